// Streaming scan of a journal's segments: each record checked in place (framing, CRC, seq, chain) and handed to a callback.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "journal/record.h"
#include "journal/segment.h"
#include "journal/storage.h"

namespace glassbook::journal {

// A record in place: views into the scanned segment, valid only during the callback that receives
// it. Nothing is copied or allocated per record.
struct RecordView {
  SeqNo seq = 0;
  Timestamp timestamp = 0;
  uint8_t kind = 0;
  std::string_view signed_bytes;  // exactly what the signer signed
  std::string_view signer;        // 32 bytes (crypto::PublicKey)
  std::string_view signature;     // 64 bytes (crypto::Signature)
  std::string_view prev_hash;     // 32 bytes
  std::string_view encoded;       // the whole record, header to checksum
  crypto::Digest hash{};          // record_hash(encoded); filled by the scanner, not by decode_view

  // An owned copy, equal to decode(encoded).
  Record to_record() const;
};

// decode() without copying: the same checks, in the same order, with the same Damage and messages,
// but Error::Corruption. On success the view's `encoded` is the record's bytes at the start of
// `buffer` (its size is what decode reports as consumed); `hash` is left zero.
Result<RecordView> decode_view(std::string_view buffer, Damage* damage = nullptr);

// Receives each record; a non-ok Status stops the scan and is returned by it.
using RecordSink = std::function<Status(const RecordView&)>;
// A sink that appends an owned copy of every record to `out` (small journals and tests).
RecordSink collect_records(std::vector<Record>& out);

struct ScanOptions {
  // Records below from_seq are not handed to the sink. The scan starts in the segment holding
  // from_seq - 1 (chosen by file name; earlier segments are not read, and may be absent); records
  // there before from_seq - 1 are only framed and seq-checked, not checksummed or hashed. Record
  // from_seq - 1 is hashed, and from it on every record is fully checked.
  SeqNo from_seq = 0;
  // When set (and from_seq > 0), record_hash of record from_seq - 1 must equal it: how a snapshot's
  // chain_hash is linked to the journal's tail.
  std::optional<crypto::Digest> link_hash;
  // Cut a torn tail of the last segment at its last whole record (ftruncate + fsync). Only a tail at
  // or after from_seq is cut; otherwise it is only reported.
  bool repair = true;
  // Records [0, checkpointed) are covered by a signed checkpoint (its tree size): they were
  // acknowledged and published, so damage where one of them was expected is never a torn tail to
  // cut but Error::Corruption naming the record and the checkpoint, and the files stay untouched.
  uint64_t checkpointed = 0;
};

struct ScanReport {
  uint64_t records = 0;          // records handed to the sink (seq >= from_seq)
  uint64_t skipped = 0;          // records before from_seq that were read past
  uint64_t segments = 0;         // segment files read
  uint64_t bytes = 0;            // bytes of whole records read
  uint64_t truncated_bytes = 0;  // torn tail bytes cut off (or to be cut, without repair)
  std::string tail_damage;       // empty when the tail was whole; otherwise what was found there
  // Set when the torn tail was cut: which file, from which offset to which (its old size).
  std::string truncated;
  bool link_checked = false;     // record from_seq - 1 was found (and matched link_hash if given)
};

struct ScanResult {
  ChainTip tip;  // where a JournalWriter continues; tip.next_seq < from_seq when the journal ends earlier
  ScanReport report;
};

// Scans the segments of `dir` in order (one memory-mapped segment at a time) and hands every record
// with seq >= from_seq to `sink` (which may be empty). Rules (docs/journal.md, "Recovery"):
//  - the first segment read is named for the seq expected there (0 from genesis) and each later one
//    for the previous one's last seq + 1: a missing, extra or misnamed segment is Error::Corruption;
//  - each record decodes, has seq = previous + 1 and prev_hash = record_hash of the previous record
//    (kGenesisHash for seq 0), across segment boundaries too;
//  - damage in the last segment with no valid record after it is a torn tail: reported, and cut when
//    options.repair; damage anywhere else is corruption in the middle. Every error names the
//    expected seq, the segment file and the offset, and leaves the files untouched.
// An empty directory (no segments) is the empty journal. The sink may have received records before
// an error is returned: the caller must then discard what it built from them.
// Every file is read (and a torn tail cut) through `storage`.
Result<ScanResult> scan_journal(const std::string& dir, const ScanOptions& options, const RecordSink& sink,
                                Storage& storage = file_storage());

// Cuts the torn tail a scan without repair reported (`torn_bytes` = report.truncated_bytes after the
// tip's last whole record in its segment): ftruncate + fsync of that segment to tip.segment_bytes.
// For a caller that checks what the scan found (checkpoints, a snapshot) before changing anything.
// Returns what was cut ("cut N bytes off F: offsets A to B"); Error::Io on failure.
Result<std::string> cut_torn_tail(const std::string& dir, const ChainTip& tip, uint64_t torn_bytes,
                                  Storage& storage = file_storage());

}  // namespace glassbook::journal
