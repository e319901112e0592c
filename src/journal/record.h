// A journal record: one sequenced, signed command exactly as signed, framed with a checksum and
// chained to its predecessor by SHA-256. The byte format (v1) is specified in docs/journal.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace glassbook::journal {

inline constexpr char kRecordMagic[4] = {'G', 'B', 'J', 'R'};
inline constexpr uint8_t kRecordVersion = 1;
inline constexpr size_t kHeaderBytes = 12;     // magic, version, 3 reserved, u32 payload length
inline constexpr size_t kFixedPayloadBytes = 149;  // seq, timestamp, kind, u32 len, signer, signature, prev hash
inline constexpr size_t kChecksumBytes = 4;
inline constexpr size_t kMaxRecordBytes = 64 * 1024;  // whole record, header and checksum included
inline constexpr size_t kMinRecordBytes = kHeaderBytes + kFixedPayloadBytes + kChecksumBytes;
inline constexpr size_t kMaxSignedBytes = kMaxRecordBytes - kMinRecordBytes;

struct Record {
  SeqNo seq = 0;
  Timestamp timestamp = 0;
  uint8_t kind = 0;          // the command's variant index; equals signed_bytes' kind byte
  std::string signed_bytes;  // exactly what the signer signed (engine::signing_bytes of the body)
  crypto::PublicKey signer{};
  crypto::Signature signature{};
  crypto::Digest prev_hash{};  // record_hash of the previous record; zeros for the first record

  bool operator==(const Record&) const = default;
};

// The previous-hash of the first record of a journal.
inline constexpr crypto::Digest kGenesisHash{};

// Size of the encoded record. Precondition: signed_bytes.size() <= kMaxSignedBytes.
size_t encoded_size(const Record& r);
// Frames a record (format v1). Precondition: r.signed_bytes.size() <= kMaxSignedBytes.
std::string encode(const Record& r);
// The link of the chain and the record's leaf in the Merkle log: SHA-256(0x00 || the whole encoded
// record, checksum included), i.e. crypto::leaf_hash of it. One hash per record serves both.
crypto::Digest record_hash(std::string_view encoded);

// Why a buffer did not start with a whole, valid record.
enum class Damage : uint8_t {
  None,
  Incomplete,  // the bytes so far are a valid prefix of a record: a torn write, or more to read
  Corrupt,     // bad magic, unsupported version, impossible length or checksum mismatch
};

// Decodes the record at the start of `buffer`. On success `consumed` is its encoded size; on
// failure `consumed` is 0, `*damage` (when given) says which failure, and the status is
// Error::InvalidArgument with a message.
Result<Record> decode(std::string_view buffer, size_t& consumed, Damage* damage = nullptr);

}  // namespace glassbook::journal
