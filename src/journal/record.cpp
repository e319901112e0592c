// Encoding and decoding of journal records (format v1), and the hash that chains them.
#include "journal/record.h"

#include <fmt/format.h>

#include "core/assert.h"
#include <cstring>

#include "crypto/merkle.h"
#include "journal/crc32c.h"

namespace glassbook::journal {

namespace {

void put_le(std::string& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

uint64_t get_le(std::string_view in, size_t at, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(in[at + i])) << (8 * i);
  return v;
}

template <size_t N>
void get_bytes(std::string_view in, size_t at, std::array<uint8_t, N>& out) {
  std::memcpy(out.data(), in.data() + at, N);
}

Result<Record> fail(Damage kind, Damage* damage, std::string message) {
  if (damage) *damage = kind;
  const char* what = kind == Damage::Incomplete ? "incomplete record" : "corrupt record";
  return Status(Error::InvalidArgument, fmt::format("{}: {}", what, message));
}

}  // namespace

size_t encoded_size(const Record& r) {
  GB_ASSERT(r.signed_bytes.size() <= kMaxSignedBytes);
  return kMinRecordBytes + r.signed_bytes.size();
}

std::string encode(const Record& r) {
  GB_ASSERT(r.signed_bytes.size() <= kMaxSignedBytes);
  std::string out;
  out.reserve(encoded_size(r));
  out.append(kRecordMagic, sizeof kRecordMagic);
  out.push_back(static_cast<char>(kRecordVersion));
  out.append(3, '\0');
  put_le(out, kFixedPayloadBytes + r.signed_bytes.size(), 4);
  put_le(out, r.seq, 8);
  put_le(out, static_cast<uint64_t>(r.timestamp), 8);
  out.push_back(static_cast<char>(r.kind));
  put_le(out, r.signed_bytes.size(), 4);
  out.append(r.signed_bytes);
  out.append(reinterpret_cast<const char*>(r.signer.data()), r.signer.size());
  out.append(reinterpret_cast<const char*>(r.signature.data()), r.signature.size());
  out.append(reinterpret_cast<const char*>(r.prev_hash.data()), r.prev_hash.size());
  put_le(out, crc32c(out), 4);
  GB_ASSERT(out.size() == encoded_size(r));
  return out;
}

crypto::Digest record_hash(std::string_view encoded) {
  return crypto::leaf_hash({reinterpret_cast<const uint8_t*>(encoded.data()), encoded.size()});
}

Result<Record> decode(std::string_view buffer, size_t& consumed, Damage* damage) {
  consumed = 0;
  if (damage) *damage = Damage::None;

  if (buffer.empty()) return fail(Damage::Incomplete, damage, "no bytes");
  // Header: a short buffer is incomplete only when what it holds is a valid header prefix.
  const char header_prefix[8] = {kRecordMagic[0], kRecordMagic[1], kRecordMagic[2], kRecordMagic[3],
                                 static_cast<char>(kRecordVersion), 0, 0, 0};
  const size_t known = std::min(buffer.size(), sizeof header_prefix);
  if (std::memcmp(buffer.data(), kRecordMagic, std::min(known, sizeof kRecordMagic)) != 0)
    return fail(Damage::Corrupt, damage, "bad magic");
  if (known > 4 && static_cast<uint8_t>(buffer[4]) != kRecordVersion)
    return fail(Damage::Corrupt, damage, fmt::format("unsupported version {}", static_cast<uint8_t>(buffer[4])));
  if (std::memcmp(buffer.data(), header_prefix, known) != 0)
    return fail(Damage::Corrupt, damage, "reserved header bytes are not zero");
  if (buffer.size() < kHeaderBytes)
    return fail(Damage::Incomplete, damage, fmt::format("{} of {} header bytes", buffer.size(), kHeaderBytes));

  const uint64_t payload = get_le(buffer, 8, 4);
  if (payload < kFixedPayloadBytes || kHeaderBytes + payload + kChecksumBytes > kMaxRecordBytes)
    return fail(Damage::Corrupt, damage, fmt::format("impossible payload length {}", payload));
  const size_t total = kHeaderBytes + payload + kChecksumBytes;
  if (buffer.size() < total)
    return fail(Damage::Incomplete, damage, fmt::format("{} of {} bytes", buffer.size(), total));

  const uint32_t stored = static_cast<uint32_t>(get_le(buffer, total - kChecksumBytes, 4));
  const uint32_t computed = crc32c(buffer.data(), total - kChecksumBytes);
  if (stored != computed)
    return fail(Damage::Corrupt, damage, fmt::format("checksum mismatch (stored {:08x}, computed {:08x})", stored, computed));

  Record r;
  size_t at = kHeaderBytes;
  r.seq = get_le(buffer, at, 8);
  r.timestamp = static_cast<Timestamp>(get_le(buffer, at + 8, 8));
  r.kind = static_cast<uint8_t>(buffer[at + 16]);
  const uint64_t signed_len = get_le(buffer, at + 17, 4);
  at += 21;
  if (kFixedPayloadBytes + signed_len != payload)
    return fail(Damage::Corrupt, damage,
                fmt::format("signed length {} disagrees with payload length {}", signed_len, payload));
  r.signed_bytes.assign(buffer.data() + at, signed_len);
  at += signed_len;
  get_bytes(buffer, at, r.signer);
  get_bytes(buffer, at + 32, r.signature);
  get_bytes(buffer, at + 96, r.prev_hash);
  GB_ASSERT(at + 128 + kChecksumBytes == total);
  consumed = total;
  return r;
}

}  // namespace glassbook::journal
