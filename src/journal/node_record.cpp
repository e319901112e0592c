// Node::record: one durable record's bytes, read back from the journal's segments (so that a client
// can check the record itself against its inclusion proof: GET /api/v1/glassbook/record).
#include <fmt/format.h>

#include "journal/node.h"
#include "journal/reader.h"

namespace glassbook::journal {

// A read-only scan that starts in the segment holding the record and stops at it: the segments are
// never repaired from here (the journal thread may be appending to the last one), and a record past
// the durable tree size is refused before any file is read.
Result<std::string> Node::record(SeqNo seq) const {
  const uint64_t durable = tree_size();
  if (seq >= durable) return Status(Error::InvalidArgument, fmt::format("record {} is not durable yet: the log holds {} records", seq, durable));
  ScanOptions options;
  options.from_seq = seq;
  options.repair = false;
  std::string found;
  bool have = false;
  auto scanned = scan_journal(options_.dir, options, [&](const RecordView& v) -> Status {
    found.assign(v.encoded);
    have = true;
    return Status(Error::InvalidArgument, "found");  // any refusal stops the scan: `have` tells them apart
  }, storage());
  if (have) return found;
  if (!scanned) return Status(scanned.status().code(), fmt::format("record {} could not be read: {}", seq, scanned.status().message()));
  return Status(Error::InvalidArgument, fmt::format("record {} is not in the journal's segments (pruned behind a snapshot?)", seq));
}

}  // namespace glassbook::journal
