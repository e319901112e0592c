// Recovery entry point: the newest whole snapshot, then the journal's tail after it, linked by hash and with a torn tail cut.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "journal/reader.h"
#include "journal/record.h"
#include "journal/segment.h"
#include "journal/snapshot_store.h"

namespace glassbook::journal {

struct RecoverOptions {
  bool from_genesis = false;  // ignore snapshots: hand over every record from seq 0
  bool repair = true;         // cut a torn tail of the last segment (ScanOptions::repair)
  uint64_t checkpointed = 0;  // records a signed checkpoint covers: never cut (ScanOptions::checkpointed)
  // Called once with the snapshot recovery starts from (never without one), before any record.
  std::function<Status(const Snapshot&)> on_snapshot;
  // Called with each record after the snapshot (every record without one), in order. May be empty.
  RecordSink on_record;
};

struct RecoveryReport {
  uint64_t records = 0;          // records after the snapshot, checked and handed to on_record
  uint64_t segments = 0;         // segment files read
  uint64_t truncated_bytes = 0;  // torn tail bytes cut off (or to be cut, without repair)
  std::string tail_damage;       // empty when the tail was whole
  std::string truncated;         // what was cut (file and offsets), when it was
  std::vector<std::string> skipped_snapshots;  // damaged snapshots newer than the one used, and why
};

struct Recovery {
  std::optional<Snapshot> snapshot;  // the snapshot recovery started from, if any
  ChainTip tip;                      // for JournalWriter::open
  RecoveryReport report;
};

// Recovers the journal in `dir`:
//  1. unless options.from_genesis, loads the newest whole snapshot (load_newest_valid_snapshot;
//     damaged newer ones are skipped and reported) and passes it to on_snapshot;
//  2. scans the journal from the snapshot's seq + 1 (from genesis without one), checking that
//     record_hash of the snapshot's record equals meta.chain_hash, and hands each later record to
//     on_record; a torn tail is cut (scan_journal's rules);
//  3. refuses a snapshot beyond the journal's last whole record: Error::Corruption "snapshot at seq N
//     is ahead of the journal, which ends at seq M".
// On an error the callbacks may have run: the caller discards what it built. Nothing but a torn tail
// is ever changed on disk.
// Every file is read (and a torn tail cut) through `storage`.
Result<Recovery> recover(const std::string& dir, const RecoverOptions& options = {}, Storage& storage = file_storage());

// The whole journal in memory, for small journals and tests: recover(dir, {from_genesis}) with every
// record collected. Prefer recover() with a callback: a long journal does not fit in memory.
struct Recovered {
  std::optional<Record> genesis;  // record seq 0 (the exchange configuration), if any
  std::vector<Record> records;    // seq 1 onward: the commands, replay()'s input
  RecoveryReport report;
  ChainTip tip;
};
Result<Recovered> open_and_recover(const std::string& dir, Storage& storage = file_storage());

}  // namespace glassbook::journal
