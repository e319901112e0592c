// Recovery: reads a journal segment, checks every record and the chain, truncates a torn tail.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "journal/record.h"
#include "journal/segment.h"

namespace glassbook::journal {

struct RecoveryReport {
  size_t records = 0;            // whole, valid records kept
  uint64_t valid_bytes = 0;      // the segment's size after recovery
  uint64_t truncated_bytes = 0;  // bytes of a torn or corrupt tail that were (or must be) cut off
  std::string tail_damage;       // empty when the tail was whole; otherwise what was found there
};

struct Recovered {
  std::vector<Record> records;
  RecoveryReport report;
  ChainTip tip;  // where a JournalWriter continues
};

// Checks a whole segment held in memory (no I/O). Rules (docs/journal.md):
//  - records are decoded from offset 0; each must have seq = previous seq + 1 (the first: 1) and
//    prev_hash = record_hash of the previous record (the first: kGenesisHash);
//  - damage (an incomplete record, or a corrupt one) with no valid record anywhere after it is a
//    torn tail: reported in the result, to be truncated at the last whole record;
//  - damage followed by a valid record, a sequence gap, or a broken hash link is an error naming
//    the first bad sequence number and its offset.
Result<Recovered> scan_segment(std::string_view bytes);

// Reads <dir>/journal.log (absent: an empty journal), runs scan_segment, and when the tail is torn
// truncates the file to its last whole record (ftruncate + fsync) before returning.
Result<Recovered> open_and_recover(const std::string& dir);

}  // namespace glassbook::journal
