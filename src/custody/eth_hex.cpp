// Ethereum's hex text read and written (see eth_hex.h).
#include "custody/eth_hex.h"

#include <fmt/format.h>

namespace glassbook::custody::eth {
namespace {

int digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string_view> strip_prefix(std::string_view text, std::string_view what) {
  if (text.size() < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
    return Status(Error::InvalidArgument, fmt::format("{} '{}' does not start with 0x", what, text.substr(0, 80)));
  return text.substr(2);
}

}  // namespace

Result<Bytes> parse_data(std::string_view text) {
  auto digits = strip_prefix(text, "hex data");
  if (!digits) return digits.status();
  if (digits->size() % 2 != 0)
    return Status(Error::InvalidArgument, fmt::format("hex data '{}' has an odd number of digits", text.substr(0, 80)));
  Bytes out(digits->size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = digit((*digits)[2 * i]), lo = digit((*digits)[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status(Error::InvalidArgument, fmt::format("hex data '{}' holds a non-hex character", text.substr(0, 80)));
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return out;
}

std::string data_hex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "0x";
  out.reserve(2 + 2 * bytes.size());
  for (uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

Result<Uint256> parse_quantity256(std::string_view text) {
  auto digits = strip_prefix(text, "quantity");
  if (!digits) return digits.status();
  if (digits->empty() || digits->size() > 64)
    return Status(Error::InvalidArgument, fmt::format("quantity '{}' has {} hex digits (1 to 64)", text.substr(0, 80), digits->size()));
  Uint256 out{};
  size_t nibble = 0;  // from the least significant end
  for (auto it = digits->rbegin(); it != digits->rend(); ++it, ++nibble) {
    const int d = digit(*it);
    if (d < 0) return Status(Error::InvalidArgument, fmt::format("quantity '{}' holds a non-hex character", text.substr(0, 80)));
    out[31 - nibble / 2] |= static_cast<uint8_t>(nibble % 2 ? d << 4 : d);
  }
  return out;
}

Result<uint64_t> parse_quantity(std::string_view text) {
  auto v = parse_quantity256(text);
  if (!v) return v.status();
  for (size_t i = 0; i < 24; ++i)
    if ((*v)[i] != 0) return Status(Error::Overflow, fmt::format("quantity {} does not fit 64 bits", decimal(*v)));
  uint64_t out = 0;
  for (size_t i = 24; i < 32; ++i) out = (out << 8) | (*v)[i];
  return out;
}

Result<Uint256> parse_word(std::string_view text) {
  auto digits = strip_prefix(text, "word");
  if (!digits) return digits.status();
  if (digits->size() != 64)
    return Status(Error::InvalidArgument, fmt::format("'{}' is not a 32-byte word", text.substr(0, 80)));
  return parse_quantity256(text);
}

std::string quantity_hex(uint64_t value) { return fmt::format("0x{:x}", value); }

Result<int64_t> to_int64(const Uint256& value) {
  for (size_t i = 0; i < 24; ++i)
    if (value[i] != 0) return Status(Error::Overflow, fmt::format("amount {} does not fit our int64 units", decimal(value)));
  uint64_t out = 0;
  for (size_t i = 24; i < 32; ++i) out = (out << 8) | value[i];
  if (out > static_cast<uint64_t>(INT64_MAX))
    return Status(Error::Overflow, fmt::format("amount {} does not fit our int64 units", out));
  return static_cast<int64_t>(out);
}

Uint256 from_uint64(uint64_t value) {
  Uint256 out{};
  for (size_t i = 0; i < 8; ++i) out[31 - i] = static_cast<uint8_t>(value >> (8 * i));
  return out;
}

std::string decimal(const Uint256& value) {
  // Repeated division by 10 of the big-endian number (at most 78 digits).
  Uint256 v = value;
  std::string digits;
  for (;;) {
    bool zero = true;
    unsigned remainder = 0;
    for (uint8_t& b : v) {
      const unsigned cur = remainder * 256 + b;
      b = static_cast<uint8_t>(cur / 10);
      remainder = cur % 10;
      if (b) zero = false;
    }
    digits.push_back(static_cast<char>('0' + remainder));
    if (zero) break;
  }
  return {digits.rbegin(), digits.rend()};
}

}  // namespace glassbook::custody::eth
