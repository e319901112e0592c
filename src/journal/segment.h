// Where a journal lives on disk and the tip of its hash chain, shared by the writer and the reader.
#pragma once
#include <cstdint>
#include <string>

#include "core/ids.h"
#include "journal/record.h"

namespace glassbook::journal {

// One segment file per journal directory for now.
inline constexpr const char* kSegmentFile = "journal.log";
// A segment is read whole into memory during recovery; larger files are refused.
inline constexpr uint64_t kMaxSegmentBytes = uint64_t{1} << 30;

inline std::string segment_path(const std::string& dir) { return dir + "/" + kSegmentFile; }

// The last whole record of a journal: its seq, its record_hash, and the segment size after it.
// The empty journal's tip is {0, kGenesisHash, 0}.
struct ChainTip {
  SeqNo seq = 0;
  crypto::Digest hash = kGenesisHash;
  uint64_t bytes = 0;

  bool operator==(const ChainTip&) const = default;
};

}  // namespace glassbook::journal
