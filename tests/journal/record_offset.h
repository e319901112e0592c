// The byte offset of a record in a journal of one segment, for tests that damage or cut it there.
#pragma once
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "journal/reader.h"

namespace glassbook::journal::testing {

// The offset of record `seq` in the (single) first segment of `dir`.
inline uint64_t offset_of(const std::string& dir, SeqNo seq) {
  uint64_t offset = 0;
  ScanOptions scan;
  scan.repair = false;
  auto scanned = scan_journal(dir, scan, [&](const RecordView& v) {
    if (v.seq < seq) offset += v.encoded.size();
    return Status::ok();
  });
  EXPECT_TRUE(scanned.is_ok()) << scanned.status().to_string();
  if (scanned.is_ok()) {
    EXPECT_EQ(scanned->report.segments, 1u);
  }
  return offset;
}

}  // namespace glassbook::journal::testing
