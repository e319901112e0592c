// Journal directory layout (segment file names) and the tip of the hash chain, shared by the writer and the scanner.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "journal/record.h"

namespace glassbook::journal {

// A journal directory holds segment files named "journal-<seq of its first record, 20 decimal
// digits>.log". Segments are contiguous: a segment's first seq is the previous segment's last
// seq + 1, the first segment starts at seq 0 (genesis), and the chain links across segments.
inline constexpr std::string_view kSegmentPrefix = "journal-";
inline constexpr std::string_view kSegmentSuffix = ".log";
inline constexpr size_t kSeqDigits = 20;  // enough for every u64

// The writer starts a new segment before a record when the current one holds at least this much.
inline constexpr uint64_t kDefaultSegmentBytes = uint64_t{256} << 20;

// "journal-00000000000000000042.log" for first_seq 42.
std::string segment_file_name(SeqNo first_seq);
inline std::string segment_path(const std::string& dir, SeqNo first_seq) {
  return dir + "/" + segment_file_name(first_seq);
}
// The first seq named by a segment file name, or nullopt when `name` is not exactly
// prefix + 20 digits + suffix.
std::optional<SeqNo> parse_segment_file_name(std::string_view name);

// "<prefix><seq, 20 digits><suffix>" and its inverse, shared with the snapshot store's names.
std::string seq_file_name(std::string_view prefix, SeqNo seq, std::string_view suffix);
std::optional<SeqNo> parse_seq_file_name(std::string_view name, std::string_view prefix, std::string_view suffix);

// "No record": the seq before seq 0. kNoSeq + 1 == 0 (unsigned wrap-around), so "highest seq + 1" is
// the next seq even for the empty journal.
inline constexpr SeqNo kNoSeq = ~SeqNo{0};

// Where the journal ends: what the next record must carry and where it goes.
// The empty journal's tip is ChainTip{}: next_seq 0, kGenesisHash, segment 0 of 0 bytes.
struct ChainTip {
  SeqNo next_seq = 0;                  // seq of the next record; equals the number of records
  crypto::Digest hash = kGenesisHash;  // record_hash of record next_seq - 1 (kGenesisHash when empty)
  SeqNo segment_first_seq = 0;         // the last segment (the one appended to): its first seq
  uint64_t segment_bytes = 0;          // its size: the end of its last whole record

  bool empty() const { return next_seq == 0; }
  bool operator==(const ChainTip&) const = default;
};

}  // namespace glassbook::journal
