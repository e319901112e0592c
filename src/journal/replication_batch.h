// The answer a primary sends a replica (GET /api/v1/glassbook/records): consecutive durable records,
// exactly as journaled, and the signed checkpoint that ends them, if one does. Byte format below.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/result.h"

namespace glassbook::journal {

// All integers little-endian:
//
//   "GBRB"                    magic
//   u8 version                1
//   u64 durable               records durable on the primary when it answered (its tree size)
//   u64 first_seq             the seq of the first record (the `from` asked for)
//   u32 count                 records that follow, at most kMaxBatchRecords
//   count x (u32 length, the record's encoded bytes)     each at most kMaxRecordBytes
//   u32 note length, note     the signed checkpoint of first_seq + count records (0: none)
//
// and nothing after. The whole answer is at most kMaxBatchBytes. Records are not decoded here:
// the replica decodes each one strictly (journal::decode) and checks it (journal/follower.h).
inline constexpr std::string_view kBatchMagic = "GBRB";
inline constexpr uint8_t kBatchVersion = 1;
inline constexpr size_t kMaxBatchRecords = 65'536;
inline constexpr size_t kMaxBatchBytes = size_t{8} << 20;

struct ReplicationBatch {
  uint64_t durable = 0;
  SeqNo first_seq = 0;
  std::vector<std::string> records;
  std::optional<std::string> checkpoint;  // its tree size is first_seq + records.size()

  SeqNo end_seq() const { return first_seq + records.size(); }
  bool operator==(const ReplicationBatch&) const = default;
};

// Precondition: within the bounds above.
std::string encode_replication_batch(const ReplicationBatch& batch);
// Strict: magic, version, bounds, every length present, nothing trailing. InvalidArgument naming
// what is wrong.
Result<ReplicationBatch> decode_replication_batch(std::string_view bytes);

}  // namespace glassbook::journal
