// The journal's appender: buffers encoded records and makes them durable in groups (group commit).
#pragma once
#include <memory>
#include <string>

#include "core/result.h"
#include "journal/record.h"
#include "journal/segment.h"

namespace glassbook::journal {

// Appends records to <dir>/journal.log, chaining each to the previous one by record_hash.
//
// Group commit: the caller appends any number of records, then calls sync() once; sync() writes
// them and fdatasyncs the file. NOTHING may be acknowledged to a client, and no event derived from
// a record may be released, before a sync() covering that record's seq has returned successfully.
// Records appended but not yet synced may be lost in a crash.
//
// After any write or sync failure the writer is failed: every later call returns an error, since
// the file's tail is then unknown (it may hold a torn record); recovery must run again.
// Single-threaded: one writer thread owns it. Hashing happens here, never on the engine thread.
class JournalWriter {
 public:
  static constexpr size_t kMaxBufferedBytes = size_t{16} << 20;  // bound on one group commit

  // Opens (creating when absent) the segment in the existing directory `dir`, continuing the chain
  // at `tip` (from recovery; the default is an empty journal). Refuses a file whose size is not
  // tip.bytes: recovery must have run and truncated any damaged tail first.
  static Result<std::unique_ptr<JournalWriter>> open(const std::string& dir, const ChainTip& tip = {});
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Buffers one record. The writer sets record.prev_hash itself. Refuses a seq other than the
  // previous one + 1, oversized signed bytes, and a full buffer (the caller must sync() first).
  Status append(Record record);
  // Writes every buffered record and fdatasyncs. Returns the highest durable seq.
  Result<SeqNo> sync();

  SeqNo appended_seq() const { return tip_.seq; }
  SeqNo durable_seq() const { return durable_seq_; }
  size_t buffered_bytes() const { return buffer_.size(); }
  const ChainTip& tip() const { return tip_; }  // including buffered records

 private:
  JournalWriter(int fd, std::string path, const ChainTip& tip);
  Status failed_status() const;

  int fd_;
  std::string path_;
  ChainTip tip_;
  SeqNo durable_seq_;
  std::string buffer_;
  std::string failure_;  // non-empty once failed
};

}  // namespace glassbook::journal
