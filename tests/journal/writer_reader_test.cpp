// JournalWriter to open_and_recover round trips over a temporary directory, and writer limits.
#include <gtest/gtest.h>

#include "journal_test_util.h"

namespace glassbook::journal::testing {
namespace {

TEST(WriterReader, EmptyDirectoryIsAnEmptyJournal) {
  TempDir dir;
  auto rec = open_and_recover(dir.path());
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_TRUE(rec->records.empty());
  EXPECT_EQ(rec->tip, ChainTip{});
}

TEST(WriterReader, RoundTripsASignedSession) {
  Session s;
  s.trade(4, 300, 11);
  TempDir dir;
  write_journal(dir.path(), s.records(), 7);

  auto rec = open_and_recover(dir.path());
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  ASSERT_EQ(rec->records.size(), s.records().size());
  EXPECT_EQ(rec->report.records, s.records().size());
  EXPECT_EQ(rec->report.truncated_bytes, 0u);
  EXPECT_TRUE(rec->report.tail_damage.empty());
  crypto::Digest prev = kGenesisHash;
  for (size_t i = 0; i < rec->records.size(); ++i) {
    Record expect = s.records()[i];
    expect.prev_hash = prev;
    EXPECT_EQ(rec->records[i], expect) << "record " << i;
    prev = record_hash(encode(expect));
  }
  EXPECT_EQ(rec->tip.seq, s.records().back().seq);
  EXPECT_EQ(rec->tip.hash, prev);
  EXPECT_EQ(rec->tip.bytes, read_all(dir.segment()).size());
}

TEST(WriterReader, ContinuesTheChainAfterRecovery) {
  Session s;
  s.trade(3, 100, 12);
  const auto& all = s.records();
  const size_t half = all.size() / 2;
  TempDir dir;
  write_journal(dir.path(), std::vector<Record>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(half)));

  auto first = open_and_recover(dir.path());
  ASSERT_TRUE(first.is_ok());
  // A writer opened with a stale tip is refused.
  EXPECT_FALSE(JournalWriter::open(dir.path(), ChainTip{}).is_ok());
  auto w = JournalWriter::open(dir.path(), first->tip);
  ASSERT_TRUE(w.is_ok()) << w.status().to_string();
  auto writer = std::move(w).value();
  for (size_t i = half; i < all.size(); ++i) ASSERT_TRUE(writer->append(all[i]).is_ok());
  auto durable = writer->sync();
  ASSERT_TRUE(durable.is_ok());
  EXPECT_EQ(*durable, all.back().seq);

  auto second = open_and_recover(dir.path());
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_EQ(second->records.size(), all.size());
  EXPECT_EQ(second->tip, writer->tip());
}

TEST(WriterReader, NothingIsDurableBeforeSync) {
  Session s;
  s.trade(2, 10, 13);
  TempDir dir;
  auto writer = std::move(JournalWriter::open(dir.path())).value();
  for (const auto& r : s.records()) ASSERT_TRUE(writer->append(r).is_ok());
  EXPECT_EQ(writer->durable_seq(), 0u);
  EXPECT_EQ(writer->appended_seq(), s.records().back().seq);
  EXPECT_TRUE(read_all(dir.segment()).empty());
  ASSERT_TRUE(writer->sync().is_ok());
  EXPECT_EQ(writer->durable_seq(), s.records().back().seq);
  EXPECT_EQ(writer->buffered_bytes(), 0u);
  EXPECT_EQ(read_all(dir.segment()).size(), writer->tip().bytes);
}

TEST(WriterReader, AppendRefusesGapsAndOversizedRecords) {
  TempDir dir;
  auto writer = std::move(JournalWriter::open(dir.path())).value();
  Record r;
  r.seq = 2;
  r.signed_bytes = "x";
  Status gap = writer->append(r);
  ASSERT_FALSE(gap.is_ok());
  EXPECT_NE(gap.message().find("seq 2"), std::string::npos);
  r.seq = 1;
  r.signed_bytes.assign(kMaxSignedBytes + 1, 'x');
  EXPECT_FALSE(writer->append(r).is_ok());
  r.signed_bytes.assign(kMaxSignedBytes, 'x');
  EXPECT_TRUE(writer->append(r).is_ok());
  EXPECT_EQ(writer->appended_seq(), 1u);
}

TEST(WriterReader, AppendRefusesAFullBuffer) {
  TempDir dir;
  auto writer = std::move(JournalWriter::open(dir.path())).value();
  Record r;
  r.signed_bytes.assign(kMaxSignedBytes, 'y');
  SeqNo seq = 0;
  Status s;
  while ((s = [&] { r.seq = seq + 1; return writer->append(r); }()).is_ok()) ++seq;
  EXPECT_NE(s.message().find("buffer full"), std::string::npos);
  EXPECT_LE(writer->buffered_bytes(), JournalWriter::kMaxBufferedBytes);
  ASSERT_TRUE(writer->sync().is_ok());
  r.seq = seq + 1;
  EXPECT_TRUE(writer->append(r).is_ok());
}

TEST(WriterReader, OpenFailsOnAMissingDirectory) {
  auto w = JournalWriter::open("/tmp/glassbook-journal-does-not-exist/x");
  ASSERT_FALSE(w.is_ok());
  EXPECT_NE(w.status().message().find("cannot open"), std::string::npos);
}

}  // namespace
}  // namespace glassbook::journal::testing
