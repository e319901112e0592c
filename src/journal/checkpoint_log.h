// The checkpoint log: <dir>/checkpoints.log, every signed checkpoint the exchange issued, in order, append-only.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "journal/checkpoint.h"
#include "journal/storage.h"

namespace glassbook::journal {

// File format. Each entry is a header line followed by the signed note, byte for byte:
//
//   "checkpoint <L> <C>\n"   L: the note's length in bytes (canonical decimal, 1 .. kMaxNoteBytes)
//                            C: CRC-32C of the note's bytes, 8 lowercase hex digits
//   <note>                   L bytes: a signed checkpoint note (it ends in "\n")
//
// so `cat checkpoints.log` shows the notes one after another. The CRC detects torn writes and bit
// rot; the signatures (checked by whoever reads the notes with the log's key) detect forgery.
//
// Rules when reading (the journal's, docs/journal.md):
//  - every entry must have a well-formed header, all its bytes, a matching CRC, a note that parses
//    (parse_note) with a body that parses (parse_checkpoint_body); every entry has the first
//    entry's origin, and tree sizes strictly increase from entry to entry;
//  - damage (an incomplete entry, a bad header or a CRC mismatch) with no valid entry starting
//    anywhere after it is a torn tail: reported, and cut off by the next writer;
//  - damage followed by a valid entry is corruption in the middle: Error::Corruption naming the
//    entry's index (0-based) and offset; so is an entry whose CRC matches but whose note or
//    checkpoint is malformed, a different origin, or a tree size that does not increase.
//
// One writer per directory at a time (the exchange's checkpointer; the writer holds an exclusive
// flock on the file); readers take no lock and may see a torn (in-progress) last entry.

inline constexpr const char* kCheckpointLogFile = "checkpoints.log";
inline constexpr std::string_view kCheckpointHeaderKeyword = "checkpoint";
// The file is read whole; larger files are refused.
inline constexpr uint64_t kMaxCheckpointLogBytes = uint64_t{1} << 30;

inline std::string checkpoint_log_path(const std::string& dir) { return dir + "/" + kCheckpointLogFile; }

struct StoredCheckpoint {
  uint64_t offset = 0;     // of the entry's header in the file
  std::string note;        // the signed note exactly as stored
  Checkpoint checkpoint;   // its body, parsed; the signatures are NOT verified here
};

struct CheckpointLogContents {
  std::vector<StoredCheckpoint> entries;
  uint64_t valid_bytes = 0;      // the end of the last whole entry
  uint64_t truncated_bytes = 0;  // bytes of a torn tail after it (ignored; the writer cuts them off)
  std::string tail_damage;       // empty when the tail was whole; otherwise what was found there
};

// The header line and note of one entry.
std::string encode_checkpoint_entry(std::string_view note_text);

// Checks a whole file held in memory by the rules above (no I/O, no signature checks).
Result<CheckpointLogContents> scan_checkpoint_log(std::string_view bytes);

// Reads <dir>/checkpoints.log (absent: no entries) and scans it. Does not modify the file.
// Error::Io when it cannot be read, Error::Corruption as above.
Result<CheckpointLogContents> read_checkpoints(const std::string& dir, Storage& storage = file_storage());

// Appends to <dir>/checkpoints.log. open() reads and scans the file (creating it, and syncing the
// directory, when absent), refuses a corrupt one, and cuts a torn tail off (ftruncate + fsync).
// Error::Io when another writer has the file open. append() checks the note (parse_note, parse_checkpoint_body, same origin as the log, tree size
// above the last one's: InvalidArgument otherwise), writes its entry and fdatasyncs. After a failed
// write or sync the writer refuses all further work (reopen to recover).
class CheckpointLogWriter {
 public:
  static Result<std::unique_ptr<CheckpointLogWriter>> open(const std::string& dir, Storage& storage = file_storage());
  ~CheckpointLogWriter();
  CheckpointLogWriter(const CheckpointLogWriter&) = delete;
  CheckpointLogWriter& operator=(const CheckpointLogWriter&) = delete;

  Status append(std::string_view note_text);
  // Closes the file at a clean stop, checking close(2)'s answer (a write-back error may surface only
  // there). The writer then refuses all further work.
  Status close();

  size_t entries() const { return entries_; }
  const std::optional<Checkpoint>& last() const { return last_; }
  // What open() found and cut off: empty and 0 when the file ended with a whole entry.
  const std::string& tail_damage() const { return tail_damage_; }
  uint64_t truncated_bytes() const { return truncated_bytes_; }

 private:
  CheckpointLogWriter(std::unique_ptr<StorageFile> file, std::string path, const CheckpointLogContents& contents);

  std::unique_ptr<StorageFile> file_;
  std::string path_;
  uint64_t end_;  // file size after the last whole entry
  size_t entries_;
  std::optional<Checkpoint> last_;
  std::string tail_damage_;
  uint64_t truncated_bytes_;
  std::string failure_;  // non-empty after a failed write or sync
};

// CheckpointLogWriter::open(dir), then append(note_text): for one checkpoint now and then.
Status append_checkpoint(const std::string& dir, std::string_view note_text);

}  // namespace glassbook::journal
