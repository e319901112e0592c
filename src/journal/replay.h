// Replay: rebuilds commands from journal records and applies them to an engine, in order.
#pragma once
#include <cstddef>
#include <vector>

#include "core/result.h"
#include "engine/engine.h"
#include "journal/reader.h"
#include "journal/record.h"

namespace glassbook::journal {

struct ReplayReport {
  size_t applied = 0;   // records applied (refused commands included: they were journaled too)
  size_t rejected = 0;  // of which the engine refused (a Rejected event), as it did live
  SeqNo last_seq = 0;
};

// Rebuilds a Command (seq, timestamp, signer, body) from a record. Refuses an undecodable body or a
// kind byte that disagrees with the body, naming the record's seq.
Result<engine::Command> to_command(const Record& record);
// The same from a record in place (no copy of the record).
Result<engine::Command> to_command(const RecordView& record);
// The same into `out`, reusing it (replay's hot path); on an error `out` is unspecified.
Status to_command_into(const RecordView& record, engine::Command& out);

// Decodes, optionally verifies the Ed25519 signature of, and applies each record in order. Stops at
// the first undecodable body or bad signature with an error naming that record's seq; the records
// before it have been applied.
Result<ReplayReport> replay(const std::vector<Record>& records, engine::Engine& engine, bool verify_signatures);

}  // namespace glassbook::journal
