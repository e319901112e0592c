// The replication answer's byte format (replication_batch.h): one encoder, one strict decoder.
#include "journal/replication_batch.h"

#include <fmt/format.h>

#include "core/assert.h"
#include "core/byte_io.h"
#include "journal/checkpoint.h"
#include "journal/record.h"

namespace glassbook::journal {

std::string encode_replication_batch(const ReplicationBatch& batch) {
  GB_ASSERT(batch.records.size() <= kMaxBatchRecords);
  std::string out(kBatchMagic);
  ByteWriter w(out);
  w.u8(kBatchVersion);
  w.u64(batch.durable);
  w.u64(batch.first_seq);
  w.u32(static_cast<uint32_t>(batch.records.size()));
  for (const std::string& r : batch.records) {
    GB_ASSERT(r.size() <= kMaxRecordBytes);
    w.u32(static_cast<uint32_t>(r.size()));
    out.append(r);
  }
  const std::string_view note = batch.checkpoint ? std::string_view(*batch.checkpoint) : std::string_view();
  GB_ASSERT(note.size() <= kMaxNoteBytes);
  w.u32(static_cast<uint32_t>(note.size()));
  out.append(note);
  GB_ASSERT(out.size() <= kMaxBatchBytes);
  return out;
}

Result<ReplicationBatch> decode_replication_batch(std::string_view bytes) {
  auto refuse = [](std::string why) { return Status(Error::InvalidArgument, "replication answer: " + why); };
  if (bytes.size() > kMaxBatchBytes) return refuse(fmt::format("{} bytes, more than {}", bytes.size(), kMaxBatchBytes));
  if (!bytes.starts_with(kBatchMagic)) return refuse("bad magic (not a replication answer)");
  ByteReader r(bytes.substr(kBatchMagic.size()), "replication answer");
  ReplicationBatch batch;
  uint8_t version = 0;
  uint32_t count = 0;
  r.u8(version);
  r.u64(batch.durable);
  r.u64(batch.first_seq);
  r.u32(count);
  if (!r.ok()) return r.status(false);
  if (version != kBatchVersion) return refuse(fmt::format("version {}, expected {}", version, kBatchVersion));
  if (count > kMaxBatchRecords) return refuse(fmt::format("{} records, more than {}", count, kMaxBatchRecords));
  if (count > r.remaining() / 4) return refuse(fmt::format("{} records announced, but only {} bytes follow", count, r.remaining()));
  batch.records.resize(count);
  for (uint32_t i = 0; i < count && r.ok(); ++i) r.str("a record", batch.records[i], kMaxRecordBytes);
  std::string note;
  r.str("the checkpoint", note, kMaxNoteBytes);
  if (Status s = r.status(true); !s) return s;
  if (!note.empty()) batch.checkpoint = std::move(note);
  if (batch.first_seq > UINT64_MAX - count) return refuse("seqs overflow");
  return batch;
}

}  // namespace glassbook::journal
