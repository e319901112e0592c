// Segments: rotation at record boundaries, reopening across segments, contiguity, names and chain across files, torn tails only in the last one, scans from a seq.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "journal_test_util.h"

namespace glassbook::journal::testing {
namespace {

constexpr uint64_t kSegmentBytes = 2500;  // about a dozen records per segment

class Segments : public ::testing::Test {
 protected:
  void SetUp() override {
    Session s;
    s.trade(3, 150, 41);
    records_ = with_genesis(s.records());
    parts_ = encode_chain(records_);
  }
  void write(const std::string& dir, size_t group = 16) { write_journal(dir, records_, group, WriterOptions{kSegmentBytes}); }
  // Every file of `dir` by name, with its bytes.
  static std::map<std::string, std::string> files_of(const std::string& dir) {
    std::map<std::string, std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(dir)) out[e.path().filename().string()] = read_all(e.path().string());
    return out;
  }
  // scan_journal collecting the records it hands over into got_.
  Result<ScanResult> scan(const std::string& dir, ScanOptions options = {}) {
    got_.clear();
    return scan_journal(dir, options, collect_records(got_));
  }
  void expect_error_naming(const Result<ScanResult>& r, const std::vector<std::string>& needles) {
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.code(), Error::Corruption);
    for (const auto& n : needles) EXPECT_NE(r.status().message().find(n), std::string::npos) << n << " in: " << r.status().message();
  }
  // Index of the segment's records within parts_: [first_seq, first_seq + count).
  size_t records_in(const SegmentFile& seg) const {
    const size_t size = read_all(seg.path).size();
    size_t n = 0, bytes = 0;
    while (bytes < size) bytes += parts_[seg.first_seq + n++].size();
    return n;
  }

  std::vector<Record> records_;
  std::vector<std::string> parts_;
  std::vector<Record> got_;
  TempDir dir_;
};

TEST_F(Segments, RotateAtRecordBoundariesIntoNamedFiles) {
  write(dir_.path());
  const auto segs = segments_of(dir_.path());
  ASSERT_GT(segs.size(), 8u);
  std::string stream;
  for (size_t i = 0; i < segs.size(); ++i) {
    const std::string bytes = read_all(segs[i].path);
    EXPECT_EQ(segs[i].name, segment_file_name(segs[i].first_seq));
    size_t consumed = 0;
    auto first = decode(bytes, consumed);
    ASSERT_TRUE(first.is_ok()) << segs[i].name;
    EXPECT_EQ(first->seq, segs[i].first_seq) << "a segment is named for its first record";
    const size_t n = records_in(segs[i]);
    const size_t last_size = parts_[segs[i].first_seq + n - 1].size();
    if (i + 1 < segs.size()) {
      EXPECT_GE(bytes.size(), kSegmentBytes) << segs[i].name;
      EXPECT_LT(bytes.size() - last_size, kSegmentBytes) << segs[i].name << " should have rotated earlier";
    }
    stream += bytes;
  }
  EXPECT_EQ(stream, concat(parts_));  // the segments are the journal cut at record boundaries
  EXPECT_EQ(segs[0].name, "journal-00000000000000000000.log");
}

TEST_F(Segments, LayoutDoesNotDependOnGroupCommitSizes) {
  write(dir_.path(), 1);
  TempDir other;
  write(other.path(), 1000);
  EXPECT_EQ(files_of(dir_.path()), files_of(other.path()));
}

TEST_F(Segments, ReopenAndContinueAcrossSegments) {
  write(dir_.path());
  const auto expected = files_of(dir_.path());
  const auto segs = segments_of(dir_.path());
  // Split points inside a segment, and exactly where a segment is full.
  for (size_t split : {size_t{1}, size_t{40}, static_cast<size_t>(segs[3].first_seq), records_.size() - 1}) {
    TempDir dir;
    write_journal(dir.path(), std::vector<Record>(records_.begin(), records_.begin() + static_cast<std::ptrdiff_t>(split)), 5,
                  WriterOptions{kSegmentBytes});
    auto rec = recover(dir.path());
    ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
    EXPECT_EQ(rec->tip.next_seq, split);
    auto w = JournalWriter::open(dir.path(), rec->tip, WriterOptions{kSegmentBytes});
    ASSERT_TRUE(w.is_ok()) << w.status().to_string();
    for (size_t i = split; i < records_.size(); ++i) {
      ASSERT_TRUE((*w)->append(records_[i]).is_ok());
      if (i % 7 == 0) {
        ASSERT_TRUE((*w)->sync().is_ok());
      }
    }
    ASSERT_TRUE((*w)->sync().is_ok());
    EXPECT_EQ(files_of(dir.path()), expected) << "split at " << split;
    auto all = scan(dir.path());
    ASSERT_TRUE(all.is_ok()) << all.status().to_string();
    EXPECT_EQ(got_.size(), records_.size());
    EXPECT_EQ(all->tip, (*w)->tip());
  }
}

TEST_F(Segments, TornTailOfTheLastSegmentIsCut) {
  write(dir_.path());
  const auto segs = segments_of(dir_.path());
  const auto before = files_of(dir_.path());
  const SegmentFile& last = segs.back();
  const std::string whole = read_all(last.path);
  const size_t last_record = parts_.back().size();
  for (size_t cut = whole.size() - last_record; cut < whole.size(); cut += 13) {
    write_all(last.path, whole.substr(0, cut));
    auto r = scan(dir_.path());
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(got_.size(), records_.size() - 1);
    EXPECT_EQ(r->report.truncated_bytes, cut - (whole.size() - last_record));
    EXPECT_EQ(r->tip.next_seq, records_.size() - 1);
    EXPECT_EQ(r->tip.segment_first_seq, last.first_seq);
    EXPECT_EQ(r->tip.segment_bytes, whole.size() - last_record);
    EXPECT_EQ(read_all(last.path).size(), whole.size() - last_record);
  }
  auto after = files_of(dir_.path());
  after.erase(last.name);
  auto unchanged = before;
  unchanged.erase(last.name);
  EXPECT_EQ(after, unchanged) << "only the last segment may be touched";
}

TEST_F(Segments, TornFirstRecordLeavesAnEmptyLastSegmentToContinueIn) {
  write(dir_.path());
  const auto expected = files_of(dir_.path());
  const SegmentFile last = segments_of(dir_.path()).back();
  write_all(last.path, read_all(last.path).substr(0, 7));
  auto rec = recover(dir_.path());
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->report.truncated_bytes, 7u);
  EXPECT_EQ(rec->tip.next_seq, last.first_seq);
  EXPECT_EQ(rec->tip.segment_first_seq, last.first_seq);
  EXPECT_EQ(rec->tip.segment_bytes, 0u);
  EXPECT_EQ(rec->tip.hash, record_hash(parts_[last.first_seq - 1]));
  auto w = JournalWriter::open(dir_.path(), rec->tip, WriterOptions{kSegmentBytes});
  ASSERT_TRUE(w.is_ok()) << w.status().to_string();
  for (size_t i = last.first_seq; i < records_.size(); ++i) ASSERT_TRUE((*w)->append(records_[i]).is_ok());
  ASSERT_TRUE((*w)->sync().is_ok());
  EXPECT_EQ(files_of(dir_.path()), expected);
}

TEST_F(Segments, DamageInANonLastSegmentIsCorruption) {
  write(dir_.path());
  const auto segs = segments_of(dir_.path());
  const SegmentFile& mid = segs[4];
  const std::string whole = read_all(mid.path);
  const SeqNo last_seq = mid.first_seq + records_in(mid) - 1;
  const size_t last_at = whole.size() - parts_[last_seq].size();

  write_all(mid.path, whole.substr(0, whole.size() - 5));  // looks torn, but is not the last segment
  expect_error_naming(scan(dir_.path()), {"seq " + std::to_string(last_seq) + " was expected", mid.name,
                                          "offset " + std::to_string(last_at), "only the last segment"});
  EXPECT_EQ(read_all(mid.path).size(), whole.size() - 5) << "nothing is truncated on corruption";

  std::string flipped = whole;
  flipped[whole.size() - 1] ^= 0x40;  // the last record's checksum
  write_all(mid.path, flipped);
  expect_error_naming(scan(dir_.path()), {"seq " + std::to_string(last_seq) + " was expected", mid.name});
}

TEST_F(Segments, GapBetweenSegments) {
  write(dir_.path());
  const auto segs = segments_of(dir_.path());
  const SegmentFile& seg = segs[5];
  // Its first record is lost and the file renamed for the next one: seg.first_seq is missing.
  const std::string bytes = read_all(seg.path);
  std::filesystem::remove(seg.path);
  write_all(dir_.path() + "/" + segment_file_name(seg.first_seq + 1), bytes.substr(parts_[seg.first_seq].size()));
  expect_error_naming(scan(dir_.path()),
                      {"segment " + segment_file_name(seg.first_seq + 1) + " is named for seq " + std::to_string(seg.first_seq + 1),
                       "seq " + std::to_string(seg.first_seq) + " was expected next",
                       segs[4].name + " ends at seq " + std::to_string(seg.first_seq - 1)});
}

TEST_F(Segments, MissingMiddleSegment) {
  write(dir_.path());
  const auto segs = segments_of(dir_.path());
  std::filesystem::remove(segs[3].path);
  expect_error_naming(scan(dir_.path()), {segs[4].name, "seq " + std::to_string(segs[3].first_seq) + " was expected next",
                                          "a segment is missing"});
}

TEST_F(Segments, MisnamedSegment) {
  write(dir_.path());
  const auto segs = segments_of(dir_.path());
  // Named one later than its first record.
  std::filesystem::rename(segs[6].path, dir_.path() + "/" + segment_file_name(segs[6].first_seq + 1));
  expect_error_naming(scan(dir_.path()), {"seq " + std::to_string(segs[6].first_seq) + " was expected next", "misnamed"});
  std::filesystem::rename(dir_.path() + "/" + segment_file_name(segs[6].first_seq + 1), segs[6].path);
  ASSERT_TRUE(scan(dir_.path()).is_ok());

  // Named right, but holding records from a later seq on.
  const std::string bytes = read_all(segs[6].path);
  write_all(segs[6].path, bytes.substr(parts_[segs[6].first_seq].size()));
  expect_error_naming(scan(dir_.path()), {"sequence gap in " + segs[6].name + " at offset 0",
                                          "expected seq " + std::to_string(segs[6].first_seq) + ", found seq " +
                                              std::to_string(segs[6].first_seq + 1)});
}

TEST_F(Segments, ChainBrokenAcrossASegmentBoundary) {
  write(dir_.path());
  const auto segs = segments_of(dir_.path());
  const SegmentFile& seg = segs[7];
  // Its first record re-encoded (valid checksum) with a link to the wrong predecessor.
  Record first = records_[seg.first_seq];
  first.prev_hash = record_hash(parts_[seg.first_seq - 2]);
  const std::string bytes = read_all(seg.path);
  write_all(seg.path, encode(first) + bytes.substr(parts_[seg.first_seq].size()));
  expect_error_naming(scan(dir_.path()), {"broken hash chain at seq " + std::to_string(seg.first_seq), seg.name + ", offset 0",
                                          "hash of seq " + std::to_string(seg.first_seq - 1)});
}

TEST_F(Segments, TheFirstSegmentMustStartAtGenesis) {
  write(dir_.path());
  const auto segs = segments_of(dir_.path());
  std::filesystem::remove(segs[0].path);
  expect_error_naming(scan(dir_.path()), {segs[1].name, "seq 0 was expected"});
}

TEST_F(Segments, EmptySegmentsAreOnlyAllowedLast) {
  write(dir_.path());
  const auto next = records_.size();
  write_all(dir_.path() + "/" + segment_file_name(next), "");  // as after a crash right after rotating
  auto r = scan(dir_.path());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->tip.segment_first_seq, next);
  EXPECT_EQ(r->tip.segment_bytes, 0u);
  EXPECT_EQ(r->tip.next_seq, next);

  write_all(dir_.path() + "/" + segment_file_name(next + 1), "");
  expect_error_naming(scan(dir_.path()), {segment_file_name(next) + " holds no record", "seq " + std::to_string(next) + " was expected"});
}

TEST_F(Segments, SegmentNamesAreStrictAndOtherFilesIgnored) {
  write(dir_.path());
  write_all(dir_.path() + "/notes.txt", "hello");
  write_all(dir_.path() + "/" + segment_file_name(3) + ".tmp", "junk");
  write_all(dir_.path() + "/snapshot-00000000000000000003.snap", "junk");
  auto ok = scan(dir_.path());
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(got_.size(), records_.size());

  write_all(dir_.path() + "/journal-12.log", "");
  expect_error_naming(scan(dir_.path()), {"journal-12.log", "not a segment name"});

  EXPECT_EQ(parse_segment_file_name("journal-00000000000000000042.log"), SeqNo{42});
  EXPECT_EQ(parse_segment_file_name("journal-18446744073709551615.log"), SeqNo{18446744073709551615ull});
  EXPECT_EQ(parse_segment_file_name("journal-18446744073709551616.log"), std::nullopt);  // beyond u64
  EXPECT_EQ(parse_segment_file_name("journal-0000000000000000004x.log"), std::nullopt);
  EXPECT_EQ(parse_segment_file_name("journal-000000000000000000042.log"), std::nullopt);
  EXPECT_EQ(segment_file_name(42), "journal-00000000000000000042.log");
}

TEST_F(Segments, ScanFromASeqHandsOverTheTailAndChecksTheLink) {
  write(dir_.path());
  const auto segs = segments_of(dir_.path());
  for (SeqNo from : {SeqNo{1}, segs[3].first_seq, segs[3].first_seq + 1, segs[5].first_seq + 4, SeqNo(records_.size() - 1),
                     SeqNo(records_.size())}) {
    ScanOptions o;
    o.from_seq = from;
    o.link_hash = record_hash(parts_[from - 1]);
    auto r = scan(dir_.path(), o);
    ASSERT_TRUE(r.is_ok()) << "from " << from << ": " << r.status().to_string();
    ASSERT_EQ(got_.size(), records_.size() - from);
    if (!got_.empty()) {
      EXPECT_EQ(got_.front().seq, from);
    }
    EXPECT_TRUE(r->report.link_checked);
    EXPECT_EQ(r->report.records, records_.size() - from);
    EXPECT_EQ(r->tip.next_seq, records_.size());
    EXPECT_EQ(r->tip.hash, record_hash(parts_.back()));
    // Only the segment holding from - 1 and later ones were read.
    size_t holding = 0;
    while (holding + 1 < segs.size() && segs[holding + 1].first_seq <= from - 1) ++holding;
    EXPECT_EQ(r->report.segments, segs.size() - holding);
    EXPECT_EQ(r->report.skipped, from - segs[holding].first_seq);

    crypto::Digest wrong = record_hash(parts_[from - 1]);
    wrong[0] ^= 1;
    o.link_hash = wrong;
    auto bad = scan(dir_.path(), o);
    expect_error_naming(bad, {"record seq " + std::to_string(from - 1), "link hash"});
  }
}

TEST_F(Segments, ScanFromBeyondTheEndReportsWhereTheJournalEnds) {
  write(dir_.path());
  ScanOptions o;
  o.from_seq = records_.size() + 3;
  o.link_hash = crypto::Digest{};
  auto r = scan(dir_.path(), o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(got_.empty());
  EXPECT_FALSE(r->report.link_checked);
  EXPECT_EQ(r->tip.next_seq, records_.size());
  EXPECT_EQ(r->tip.hash, record_hash(parts_.back()));  // exact even though the last record was only read past
}

TEST_F(Segments, RecordsBeforeTheStartAreOnlyFramed) {
  // The cheap skip: a record before from_seq - 1 is framed and seq-checked, not checksummed; from
  // genesis the same damage is found.
  write(dir_.path());
  const auto segs = segments_of(dir_.path());
  const SegmentFile& seg = segs[2];
  std::string bytes = read_all(seg.path);
  bytes[parts_[seg.first_seq].size() / 2] ^= 1;  // inside its first record's signed bytes
  write_all(seg.path, bytes);
  ScanOptions o;
  o.from_seq = seg.first_seq + 5;
  o.link_hash = record_hash(parts_[o.from_seq - 1]);
  o.repair = false;
  EXPECT_TRUE(scan(dir_.path(), o).is_ok());
  o.from_seq = 0;
  o.link_hash.reset();
  expect_error_naming(scan(dir_.path(), o), {"seq " + std::to_string(seg.first_seq) + " was expected", seg.name});
}

}  // namespace
}  // namespace glassbook::journal::testing
