// RLP encoding and strict decoding (see rlp.h).
#include "custody/rlp.h"

#include <fmt/format.h>

namespace glassbook::custody::rlp {
namespace {

constexpr size_t kMaxDepth = 64;

Bytes big_endian_minimal(uint64_t value) {
  Bytes out;
  for (int shift = 56; shift >= 0; shift -= 8) {
    const auto b = static_cast<uint8_t>(value >> shift);
    if (!out.empty() || b != 0) out.push_back(b);
  }
  return out;
}

// The prefix of a payload of `length` bytes: `short_base` + length up to 55 bytes, otherwise
// `short_base` + 55 + the length's own length, then the length.
Bytes prefix(size_t length, uint8_t short_base) {
  if (length <= 55) return {static_cast<uint8_t>(short_base + length)};
  const Bytes len = big_endian_minimal(length);
  Bytes out{static_cast<uint8_t>(short_base + 55 + len.size())};
  out.insert(out.end(), len.begin(), len.end());
  return out;
}

Status error_at(size_t offset, std::string_view what) {
  return Status(Error::InvalidArgument, fmt::format("RLP: {} at byte {}", what, offset));
}

// Decodes the item starting at `data[pos]`, which must end by `end`; advances `pos` past it.
Result<Item> decode_at(std::span<const uint8_t> data, size_t& pos, size_t end, size_t depth) {
  if (pos >= end) return error_at(pos, "truncated item");
  const size_t start = pos;
  const uint8_t first = data[pos++];
  if (first < 0x80) return Item{false, {first}, {}};
  const bool is_list = first >= 0xc0;
  const uint8_t base = is_list ? 0xc0 : 0x80;
  size_t length = 0;
  if (first - base <= 55) {
    length = first - base;
  } else {
    const size_t len_of_len = first - base - 55;
    if (len_of_len > 8 || end - pos < len_of_len) return error_at(start, "truncated length");
    if (data[pos] == 0) return error_at(start, "length with a leading zero");
    for (size_t i = 0; i < len_of_len; ++i) length = (length << 8) | data[pos++];
    if (length <= 55) return error_at(start, "long form for a short length");
  }
  if (end - pos < length) return error_at(start, "truncated payload");
  const size_t payload_end = pos + length;
  Item item;
  item.is_list = is_list;
  if (!is_list) {
    if (length == 1 && data[pos] < 0x80) return error_at(start, "single byte below 0x80 given a prefix");
    item.bytes.assign(data.begin() + static_cast<ptrdiff_t>(pos), data.begin() + static_cast<ptrdiff_t>(payload_end));
    pos = payload_end;
    return item;
  }
  if (depth >= kMaxDepth) return error_at(start, "lists nested too deeply");
  while (pos < payload_end) {
    auto child = decode_at(data, pos, payload_end, depth + 1);
    if (!child) return child.status();
    item.items.push_back(std::move(child).value());
  }
  return item;
}

}  // namespace

Bytes encode_bytes(std::span<const uint8_t> bytes) {
  if (bytes.size() == 1 && bytes[0] < 0x80) return {bytes[0]};
  Bytes out = prefix(bytes.size(), 0x80);
  out.insert(out.end(), bytes.begin(), bytes.end());
  return out;
}

Bytes encode_uint(uint64_t value) { return encode_bytes(big_endian_minimal(value)); }

Bytes encode_big_uint(std::span<const uint8_t> big_endian) {
  size_t skip = 0;
  while (skip < big_endian.size() && big_endian[skip] == 0) ++skip;
  return encode_bytes(big_endian.subspan(skip));
}

Bytes encode_list(const std::vector<Bytes>& encoded_items) {
  size_t length = 0;
  for (const Bytes& i : encoded_items) length += i.size();
  Bytes out = prefix(length, 0xc0);
  out.reserve(out.size() + length);
  for (const Bytes& i : encoded_items) out.insert(out.end(), i.begin(), i.end());
  return out;
}

Result<Item> decode(std::span<const uint8_t> encoded) {
  size_t pos = 0;
  auto item = decode_at(encoded, pos, encoded.size(), 0);
  if (!item) return item;
  if (pos != encoded.size()) return error_at(pos, "trailing bytes after the item");
  return item;
}

}  // namespace glassbook::custody::rlp
