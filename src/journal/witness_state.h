// A witness's durable memory: per log (origin + key), the last checkpoint it cosigned, replaced atomically; and its alarm file.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "journal/checkpoint.h"
#include "journal/storage.h"

namespace glassbook::journal {

// Files in the witness's state directory:
//   log-<16 hex>.checkpoint   the last checkpoint note cosigned for one log, exactly as the log signed
//                             it; <16 hex> is the start of SHA-256(origin || "\n" || verifier key), so
//                             a log that changes its key starts a state of its own
//   alarms.log                every rollback or fork refused, appended and synced (evidence: both
//                             checkpoints' notes); its presence keeps the witness reporting an alarm
// A state file is replaced by writing a temporary file, fdatasync, rename over the old one, then
// fsync of the directory: after a crash the file holds either the old or the new checkpoint, never
// a mix, and a cosignature is never sent for a checkpoint not yet durable.
inline constexpr const char* kWitnessAlarmFile = "alarms.log";

std::string witness_state_file(const std::string& dir, const NoteVerifier& log);

struct WitnessedCheckpoint {
  std::string note;
  Checkpoint checkpoint;
};

// The last checkpoint cosigned for `log` (nullopt: none yet). A state file that cannot be read, or
// whose note does not verify with the log's key or names another origin, is an error (Corruption):
// the witness must not start over from size 0, which would let a rollback through.
Result<std::optional<WitnessedCheckpoint>> load_witness_state(const std::string& dir, const NoteVerifier& log,
                                                              Storage& storage = file_storage());
// Durably replaces the state of `log` with `note` (atomic, as above).
Status store_witness_state(const std::string& dir, const NoteVerifier& log, std::string_view note,
                           Storage& storage = file_storage());
// Appends `text` to alarms.log and syncs it.
Status append_witness_alarm(const std::string& dir, std::string_view text, Storage& storage = file_storage());
// The alarm file's contents, or "" when there is none.
Result<std::string> read_witness_alarms(const std::string& dir, Storage& storage = file_storage());

}  // namespace glassbook::journal
