// The journal's appender: buffers encoded records, makes them durable in groups (group commit) and rotates segments.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "journal/record.h"
#include "journal/segment.h"
#include "journal/storage.h"

namespace glassbook::journal {

struct WriterOptions {
  // A new segment starts before a record when the current segment holds at least this many bytes, so a
  // segment ends at a record boundary and holds less than segment_bytes + kMaxRecordBytes. At least 1.
  uint64_t segment_bytes = kDefaultSegmentBytes;
};

// The records one sync() made durable: seqs first_seq .. first_seq + hashes.size() - 1, in order,
// with their record_hash (the chain link and the Merkle leaf of each) and their encoded bytes, one
// after another (what a replica is sent: journal/record_feed.h).
struct SyncedBatch {
  SeqNo first_seq = 0;
  std::vector<crypto::Digest> hashes;
  std::string bytes;  // the records exactly as written, in seq order

  SeqNo end_seq() const { return first_seq + hashes.size(); }  // one past the last
  bool empty() const { return hashes.empty(); }
};

// Appends records to the segments of a journal directory, chaining each to the previous one by
// record_hash. The first record of a journal is seq 0 (genesis) with prev_hash kGenesisHash.
//
// Group commit: the caller appends any number of records, then calls sync() once; sync() writes
// them and fdatasyncs. NOTHING may be acknowledged to a client, and no event derived from a record
// may be released, before a sync() covering that record's seq has returned successfully. Records
// appended but not yet synced may be lost in a crash.
//
// Segments: when the current segment holds at least options.segment_bytes, the next record starts a
// new file journal-<its seq>.log. sync() fdatasyncs the full segment before creating the new one,
// and fsyncs the directory after creating it, so after a crash every segment but the last is whole.
//
// All file I/O goes through a Storage (the file storage by default; the simulator's injects faults).
// A full segment is closed after its last fdatasync and the close's result is checked: a close that
// fails fails the writer, like a failed sync.
//
// After any write, sync, close or file creation failure the writer is failed: every later call returns an
// error, since the tail is then unknown (it may hold a torn record, and a failed fsync must never be
// retried); recovery must run again. Single-threaded: one writer thread owns it. Hashing happens
// here, never on the engine thread.
class JournalWriter {
 public:
  static constexpr size_t kMaxBufferedBytes = size_t{16} << 20;  // bound on one group commit

  // Opens the journal in the existing directory `dir` to continue at `tip` (from recovery; the
  // default is the empty journal, whose first segment journal-000…0.log is created). The last
  // segment file must be tip.segment_first_seq's and hold exactly tip.segment_bytes: recovery must
  // have run and cut any torn tail first. Fdatasyncs that segment (its records may have been read
  // from the page cache, never synced) and fsyncs the directory.
  static Result<std::unique_ptr<JournalWriter>> open(const std::string& dir, const ChainTip& tip = {},
                                                     const WriterOptions& options = {}, Storage& storage = file_storage());
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Encodes, hashes and buffers one record. The writer sets record.prev_hash itself. Refuses a seq
  // other than next_seq(), oversized signed bytes, and a full buffer (the caller must sync() first);
  // those refusals leave the writer usable.
  Status append(Record record);
  // Writes every buffered record (rotating segments as decided by append) and fdatasyncs. Returns
  // durable_seq(); last_synced() then holds the records this call made durable (possibly none).
  Result<SeqNo> sync();
  // Closes the segment at a clean stop, checking close(2)'s answer as after a full segment's last
  // sync (some file systems report a write-back error only there). Refused with records still
  // buffered (sync first) and on a failed writer; after it, the writer is failed ("closed").
  Status close();

  SeqNo next_seq() const { return tip_.next_seq; }       // the seq the next append must carry
  SeqNo durable_end() const { return durable_end_; }     // one past the highest durable seq (0: none)
  SeqNo durable_seq() const { return durable_end_ - 1; } // the highest durable seq; kNoSeq when none
  size_t buffered_bytes() const { return buffer_.size(); }
  const ChainTip& tip() const { return tip_; }           // including buffered records
  const SyncedBatch& last_synced() const { return last_synced_; }
  bool failed() const { return !failure_.empty(); }

 private:
  // A new segment starts at buffer offset `offset` with record `first_seq`.
  struct Rotation {
    size_t offset;
    SeqNo first_seq;
  };

  JournalWriter(std::unique_ptr<StorageFile> file, Storage& storage, std::string dir, const ChainTip& tip,
                const WriterOptions& options);
  Status failed_status() const;
  Status fail(Status s);
  Status write_and_sync(size_t from, size_t to);

  Storage& storage_;
  std::unique_ptr<StorageFile> file_;  // the segment being appended to; null after a failed rotation
  uint64_t file_end_;                  // its size: where the next write goes
  std::string dir_;
  std::string path_;                   // file_'s path
  WriterOptions options_;
  ChainTip tip_;           // after the buffered records
  SeqNo durable_end_;
  std::string buffer_;
  std::vector<Rotation> rotations_;             // within buffer_, in order
  std::vector<crypto::Digest> pending_hashes_;  // of the buffered records
  SyncedBatch last_synced_;
  std::string failure_;  // non-empty once failed
};

}  // namespace glassbook::journal
