// Recovery: torn and corrupt tails are truncated; damage in the middle, gaps, swaps, insertions and
// broken links stop recovery with a message naming the record.
#include <gtest/gtest.h>

#include "journal_test_util.h"

namespace glassbook::journal::testing {
namespace {

class Recovery : public ::testing::Test {
 protected:
  void SetUp() override {
    Session s;
    s.trade(3, 12, 21);
    records_ = s.records();
    parts_ = encode_chain(records_);
  }
  // Offset of record i (0-based) in the concatenated journal.
  size_t offset(size_t i) const {
    size_t o = 0;
    for (size_t k = 0; k < i; ++k) o += parts_[k].size();
    return o;
  }
  Result<Recovered> recover(const std::string& bytes) {
    write_all(dir_.segment(), bytes);
    return open_and_recover(dir_.path());
  }
  void expect_error_naming(const Result<Recovered>& r, const std::string& needle) {
    ASSERT_FALSE(r.is_ok());
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
  }

  std::vector<Record> records_;
  std::vector<std::string> parts_;
  TempDir dir_;
};

TEST_F(Recovery, TruncatedAtEveryOffsetOfTheLastRecord) {
  const std::string whole = concat(parts_);
  const size_t last = offset(parts_.size() - 1);
  for (size_t cut = last; cut < whole.size(); ++cut) {
    auto rec = recover(whole.substr(0, cut));
    ASSERT_TRUE(rec.is_ok()) << "cut at " << cut << ": " << rec.status().to_string();
    ASSERT_EQ(rec->records.size(), records_.size() - 1) << "cut at " << cut;
    EXPECT_EQ(rec->report.truncated_bytes, cut - last);
    EXPECT_EQ(rec->report.valid_bytes, last);
    if (cut > last) {
      EXPECT_NE(rec->report.tail_damage.find("seq " + std::to_string(records_.back().seq)), std::string::npos)
          << rec->report.tail_damage;
    }
    EXPECT_EQ(read_all(dir_.segment()).size(), last) << "file not truncated at cut " << cut;
    EXPECT_EQ(rec->tip.seq, records_[records_.size() - 2].seq);
  }
}

TEST_F(Recovery, TruncatedTailThenWriterContinues) {
  const std::string whole = concat(parts_);
  auto rec = recover(whole.substr(0, whole.size() - 5));
  ASSERT_TRUE(rec.is_ok());
  auto w = JournalWriter::open(dir_.path(), rec->tip);
  ASSERT_TRUE(w.is_ok()) << w.status().to_string();
  auto writer = std::move(w).value();
  ASSERT_TRUE(writer->append(records_.back()).is_ok());
  ASSERT_TRUE(writer->sync().is_ok());
  EXPECT_EQ(read_all(dir_.segment()), whole);
}

TEST_F(Recovery, FlippedBitInTheLastRecordIsTruncated) {
  const std::string whole = concat(parts_);
  const size_t last = offset(parts_.size() - 1);
  for (size_t at = last; at < whole.size(); at += 7) {
    std::string b = whole;
    b[at] = static_cast<char>(b[at] ^ 0x10);
    auto rec = recover(b);
    ASSERT_TRUE(rec.is_ok()) << "flip at " << at << ": " << rec.status().to_string();
    EXPECT_EQ(rec->records.size(), records_.size() - 1);
    EXPECT_EQ(rec->report.truncated_bytes, whole.size() - last);
    EXPECT_FALSE(rec->report.tail_damage.empty());
    EXPECT_EQ(read_all(dir_.segment()).size(), last);
  }
}

TEST_F(Recovery, FlippedBitInAMiddleRecordNamesItsSeq) {
  const std::string whole = concat(parts_);
  for (size_t i : {size_t{0}, size_t{5}, parts_.size() - 2}) {
    for (size_t within : {size_t{0}, size_t{9}, size_t{20}, size_t{40}, parts_[i].size() - 1}) {
      std::string b = whole;
      b[offset(i) + within] ^= 0x01;
      auto rec = recover(b);
      expect_error_naming(rec, "seq " + std::to_string(records_[i].seq) + " was expected");
      EXPECT_EQ(read_all(dir_.segment()), b) << "a damaged journal must not be truncated";
    }
  }
}

TEST_F(Recovery, SwappedRecordsAreASequenceGap) {
  auto p = parts_;
  std::swap(p[4], p[5]);
  auto rec = recover(concat(p));
  expect_error_naming(rec, "expected seq " + std::to_string(records_[4].seq) + ", found seq " + std::to_string(records_[5].seq));
}

TEST_F(Recovery, InsertedRecordWithTheNextSeqBreaksTheSequence) {
  // A well-formed forgery with seq 6 and a correct link to record 5, inserted before the real seq 6.
  Record forged = records_[5];
  forged.timestamp += 1;
  forged.prev_hash = record_hash(parts_[4]);
  auto p = parts_;
  p.insert(p.begin() + 5, encode(forged));
  auto rec = recover(concat(p));
  expect_error_naming(rec, "expected seq 7, found seq 6");
}

TEST_F(Recovery, InsertedRecordWithRenumberedSuccessorsBreaksTheChain) {
  // The forger renumbers everything after the insertion (fixing checksums) but cannot fix the links.
  std::vector<Record> forged(records_.begin(), records_.begin() + 5);
  Record extra = records_[5];
  extra.timestamp += 1;
  forged.push_back(extra);
  for (size_t i = 5; i < records_.size(); ++i) {
    Record r = records_[i];
    r.seq += 1;
    forged.push_back(r);
  }
  auto p = encode_chain(forged);
  // Re-link only the inserted record; the originals after it keep their honest prev_hash.
  for (size_t i = 6; i < forged.size(); ++i) {
    forged[i].prev_hash = record_hash(parts_[i - 2]);  // its honest link, to records_[i - 2]
    p[i] = encode(forged[i]);
  }
  auto rec = recover(concat(p));
  expect_error_naming(rec, "broken hash chain at seq 7");
}

TEST_F(Recovery, EditedRecordWithAValidChecksumBreaksTheNextLink) {
  // Changing a record and recomputing its checksum is caught by the next record's prev_hash.
  Record edited = records_[3];
  edited.prev_hash = record_hash(parts_[2]);
  edited.timestamp += 1000;
  auto p = parts_;
  p[3] = encode(edited);
  auto rec = recover(concat(p));
  expect_error_naming(rec, "broken hash chain at seq " + std::to_string(records_[4].seq));
}

TEST_F(Recovery, GarbageInTheMiddleIsNotATornTail) {
  auto p = parts_;
  p.insert(p.begin() + 3, std::string(50, '\0'));
  auto rec = recover(concat(p));
  expect_error_naming(rec, "seq 4 was expected");
}

TEST_F(Recovery, ZeroFilledTailIsTruncated) {
  const std::string whole = concat(parts_);
  auto rec = recover(whole + std::string(4096, '\0'));
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->records.size(), records_.size());
  EXPECT_EQ(rec->report.truncated_bytes, 4096u);
  EXPECT_EQ(read_all(dir_.segment()), whole);
}

TEST_F(Recovery, FirstRecordMustBeSeqOneOnGenesis) {
  auto p = parts_;
  p.erase(p.begin());
  expect_error_naming(recover(concat(p)), "expected seq 1, found seq 2");
  Record first = records_[0];
  first.prev_hash[0] = 1;
  p = parts_;
  p[0] = encode(first);
  expect_error_naming(recover(concat(p)), "broken hash chain at seq 1");
}

}  // namespace
}  // namespace glassbook::journal::testing
