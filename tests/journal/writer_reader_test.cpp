// JournalWriter to recovery round trips over a temporary directory: genesis at seq 0, group commit, synced hashes, writer limits and failure.
#include <gtest/gtest.h>

#include <random>

#include "crypto/merkle.h"
#include "journal_test_util.h"

namespace glassbook::journal::testing {
namespace {

std::unique_ptr<JournalWriter> open_writer(const std::string& dir, const ChainTip& tip = {}, const WriterOptions& options = {}) {
  auto w = JournalWriter::open(dir, tip, options);
  EXPECT_TRUE(w.is_ok()) << w.status().to_string();
  return w.is_ok() ? std::move(w).value() : nullptr;
}

TEST(WriterReader, EmptyDirectoryIsAnEmptyJournal) {
  TempDir dir;
  auto rec = recover(dir.path());
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_FALSE(rec->snapshot);
  EXPECT_EQ(rec->report.records, 0u);
  EXPECT_EQ(rec->tip, ChainTip{});
  EXPECT_TRUE(rec->tip.empty());

  auto all = open_and_recover(dir.path());
  ASSERT_TRUE(all.is_ok());
  EXPECT_FALSE(all->genesis);
  EXPECT_TRUE(all->records.empty());
}

TEST(WriterReader, GenesisIsSeqZeroWithAZeroPrevHash) {
  TempDir dir;
  auto writer = open_writer(dir.path());
  ASSERT_TRUE(writer);
  EXPECT_EQ(writer->next_seq(), 0u);
  EXPECT_EQ(writer->durable_seq(), kNoSeq);
  EXPECT_EQ(writer->durable_seq() + 1, 0u);

  Record first = test_genesis();
  first.seq = 1;
  Status refused = writer->append(first);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.message().find("append of seq 1 where seq 0 is next"), std::string::npos) << refused.message();

  Record genesis = test_genesis();
  genesis.prev_hash[3] = 7;  // the writer sets prev_hash itself
  ASSERT_TRUE(writer->append(genesis).is_ok());
  auto durable = writer->sync();
  ASSERT_TRUE(durable.is_ok());
  EXPECT_EQ(*durable, 0u);
  EXPECT_EQ(writer->durable_end(), 1u);

  const std::string bytes = read_all(dir.segment(0));
  EXPECT_EQ(dir.segment(0), dir.path() + "/journal-00000000000000000000.log");
  size_t consumed = 0;
  auto decoded = decode(bytes, consumed);
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_EQ(consumed, bytes.size());
  EXPECT_EQ(decoded->seq, 0u);
  EXPECT_EQ(decoded->prev_hash, kGenesisHash);
  EXPECT_EQ(writer->tip(), (ChainTip{1, record_hash(bytes), 0, bytes.size()}));
  ASSERT_EQ(writer->last_synced().hashes.size(), 1u);
  EXPECT_EQ(writer->last_synced().first_seq, 0u);
  EXPECT_EQ(writer->last_synced().hashes[0], record_hash(bytes));
  EXPECT_EQ(writer->last_synced().hashes[0], crypto::leaf_hash({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}));
}

TEST(WriterReader, RoundTripsASignedSession) {
  Session s;
  s.trade(4, 300, 11);
  TempDir dir;
  write_journal(dir.path(), s.records(), 7);

  auto rec = open_and_recover(dir.path());
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  ASSERT_TRUE(rec->genesis);
  ASSERT_EQ(rec->records.size(), s.records().size());
  EXPECT_EQ(rec->report.records, s.records().size() + 1);
  EXPECT_EQ(rec->report.segments, 1u);
  EXPECT_EQ(rec->report.truncated_bytes, 0u);
  EXPECT_TRUE(rec->report.tail_damage.empty());
  Record genesis = test_genesis();
  EXPECT_EQ(*rec->genesis, genesis);
  crypto::Digest prev = record_hash(encode(genesis));
  for (size_t i = 0; i < rec->records.size(); ++i) {
    Record expect = s.records()[i];
    expect.prev_hash = prev;
    EXPECT_EQ(rec->records[i], expect) << "record " << i;
    prev = record_hash(encode(expect));
  }
  EXPECT_EQ(rec->tip.next_seq, s.records().back().seq + 1);
  EXPECT_EQ(rec->tip.hash, prev);
  EXPECT_EQ(rec->tip.segment_first_seq, 0u);
  EXPECT_EQ(rec->tip.segment_bytes, read_all(dir.segment()).size());
}

TEST(WriterReader, ContinuesTheChainAfterRecovery) {
  Session s;
  s.trade(3, 100, 12);
  const auto& all = s.records();
  const size_t half = all.size() / 2;
  TempDir dir;
  write_journal(dir.path(), std::vector<Record>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(half)));

  auto first = recover(dir.path());
  ASSERT_TRUE(first.is_ok());
  // A writer opened with a stale tip is refused.
  EXPECT_FALSE(JournalWriter::open(dir.path(), ChainTip{}).is_ok());
  ChainTip short_tip = first->tip;
  short_tip.segment_bytes -= 1;
  EXPECT_FALSE(JournalWriter::open(dir.path(), short_tip).is_ok());
  auto writer = open_writer(dir.path(), first->tip);
  ASSERT_TRUE(writer);
  EXPECT_EQ(writer->durable_seq(), all[half - 1].seq);
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
  auto writer = open_writer(dir.path());
  ASSERT_TRUE(writer);
  for (const auto& r : with_genesis(s.records())) ASSERT_TRUE(writer->append(r).is_ok());
  EXPECT_EQ(writer->durable_end(), 0u);
  EXPECT_EQ(writer->next_seq(), s.records().back().seq + 1);
  EXPECT_TRUE(read_all(dir.segment()).empty());
  ASSERT_TRUE(writer->sync().is_ok());
  EXPECT_EQ(writer->durable_seq(), s.records().back().seq);
  EXPECT_EQ(writer->buffered_bytes(), 0u);
  EXPECT_EQ(read_all(dir.segment()).size(), writer->tip().segment_bytes);
}

TEST(WriterReader, LastSyncedHoldsEachBatchsRecordHashes) {
  Session s;
  s.trade(3, 80, 14);
  const auto all = with_genesis(s.records());
  const auto parts = encode_chain(all);
  TempDir dir;
  auto writer = open_writer(dir.path(), {}, WriterOptions{3000});  // several segments on the way
  ASSERT_TRUE(writer);
  std::mt19937_64 rng(5);
  size_t next = 0;
  while (next < all.size()) {
    const size_t n = std::min(all.size() - next, static_cast<size_t>(rng() % 20));
    for (size_t i = next; i < next + n; ++i) ASSERT_TRUE(writer->append(all[i]).is_ok());
    auto durable = writer->sync();
    ASSERT_TRUE(durable.is_ok()) << durable.status().to_string();
    const SyncedBatch& batch = writer->last_synced();
    EXPECT_EQ(batch.first_seq, next);
    ASSERT_EQ(batch.hashes.size(), n);
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(batch.hashes[i], record_hash(parts[next + i])) << "seq " << next + i;
    EXPECT_EQ(batch.end_seq(), writer->durable_end());
    next += n;
  }
  EXPECT_GT(segments_of(dir.path()).size(), 3u);
  EXPECT_EQ(writer->tip().hash, record_hash(parts.back()));
}

TEST(WriterReader, AppendRefusesGapsAndOversizedRecords) {
  TempDir dir;
  auto writer = open_writer(dir.path());
  ASSERT_TRUE(writer);
  Record r;
  r.seq = 2;
  r.signed_bytes = "x";
  Status gap = writer->append(r);
  ASSERT_FALSE(gap.is_ok());
  EXPECT_EQ(gap.code(), Error::InvalidArgument);
  EXPECT_NE(gap.message().find("seq 2"), std::string::npos);
  r.seq = 0;
  r.signed_bytes.assign(kMaxSignedBytes + 1, 'x');
  EXPECT_FALSE(writer->append(r).is_ok());
  r.signed_bytes.assign(kMaxSignedBytes, 'x');
  EXPECT_TRUE(writer->append(r).is_ok());
  EXPECT_EQ(writer->next_seq(), 1u);
  EXPECT_FALSE(writer->failed());  // refusals of the caller's input do not fail the writer
}

TEST(WriterReader, AppendRefusesAFullBuffer) {
  TempDir dir;
  auto writer = open_writer(dir.path());
  ASSERT_TRUE(writer);
  Record r;
  r.signed_bytes.assign(kMaxSignedBytes, 'y');
  SeqNo seq = 0;
  Status s;
  while ((s = [&] { r.seq = seq; return writer->append(r); }()).is_ok()) ++seq;
  EXPECT_EQ(s.code(), Error::Overloaded);
  EXPECT_NE(s.message().find("buffer full"), std::string::npos);
  EXPECT_LE(writer->buffered_bytes(), JournalWriter::kMaxBufferedBytes);
  ASSERT_TRUE(writer->sync().is_ok());
  r.seq = seq;
  EXPECT_TRUE(writer->append(r).is_ok());
}

TEST(WriterReader, OpenFailsOnAMissingDirectory) {
  auto w = JournalWriter::open("/tmp/glassbook-journal-does-not-exist/x");
  ASSERT_FALSE(w.is_ok());
  EXPECT_EQ(w.code(), Error::Io);
  EXPECT_NE(w.status().message().find("/tmp/glassbook-journal-does-not-exist/x"), std::string::npos);
}

TEST(WriterReader, OpenRefusesATipThatIsNotTheLastSegment) {
  Session s;
  s.trade(2, 40, 15);
  TempDir dir;
  write_journal(dir.path(), s.records(), 8, WriterOptions{1500});
  auto rec = recover(dir.path());
  ASSERT_TRUE(rec.is_ok());
  ASSERT_GT(segments_of(dir.path()).size(), 2u);
  ChainTip wrong = rec->tip;
  wrong.segment_first_seq = 0;  // the first segment, not the last
  auto w = JournalWriter::open(dir.path(), wrong);
  ASSERT_FALSE(w.is_ok());
  EXPECT_NE(w.status().message().find("recover it first"), std::string::npos) << w.status().message();
  EXPECT_FALSE(JournalWriter::open(dir.path(), rec->tip, WriterOptions{0}).is_ok());  // segment_bytes >= 1
  EXPECT_TRUE(JournalWriter::open(dir.path(), rec->tip).is_ok());
}

TEST(WriterReader, AFailedSyncFailsTheWriterForGood) {
  TempDir dir;
  auto writer = open_writer(dir.path(), {}, WriterOptions{1});  // every record gets its own segment
  ASSERT_TRUE(writer);
  ASSERT_TRUE(writer->append(test_genesis()).is_ok());
  ASSERT_TRUE(writer->sync().is_ok());
  // A stray file where the next segment must be created makes the rotation fail.
  write_all(dir.segment(1), "");
  Record r = test_genesis();
  r.seq = 1;
  ASSERT_TRUE(writer->append(r).is_ok());
  auto failed = writer->sync();
  ASSERT_FALSE(failed.is_ok());
  EXPECT_EQ(failed.code(), Error::Io);
  EXPECT_TRUE(writer->failed());
  r.seq = 2;
  Status after = writer->append(r);
  ASSERT_FALSE(after.is_ok());
  EXPECT_NE(after.message().find("failed earlier"), std::string::npos) << after.message();
  EXPECT_FALSE(writer->sync().is_ok());
  EXPECT_EQ(writer->durable_seq(), 0u);

  // Recovery sees genesis, then the empty stray segment as the (empty) last one, and continues there.
  auto rec = recover(dir.path());
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->tip.next_seq, 1u);
  EXPECT_EQ(rec->tip.segment_first_seq, 1u);
  EXPECT_EQ(rec->tip.segment_bytes, 0u);
  auto again = open_writer(dir.path(), rec->tip, WriterOptions{1});
  ASSERT_TRUE(again);
  r.seq = 1;
  ASSERT_TRUE(again->append(r).is_ok());
  ASSERT_TRUE(again->sync().is_ok());
}

// decode_view is decode without copies: same verdicts, sizes, messages and fields on every input.
TEST(WriterReader, DecodeViewAgreesWithDecode) {
  Session s;
  s.trade(2, 6, 16);
  const auto parts = encode_chain(with_genesis(s.records()));
  auto same = [](std::string_view bytes, const std::string& what) {
    size_t consumed = 0;
    Damage d1 = Damage::None, d2 = Damage::None;
    auto a = decode(bytes, consumed, &d1);
    auto b = decode_view(bytes, &d2);
    ASSERT_EQ(a.is_ok(), b.is_ok()) << what;
    EXPECT_EQ(d1, d2) << what;
    if (a.is_ok()) {
      EXPECT_EQ(b->encoded.size(), consumed) << what;
      EXPECT_EQ(b->encoded.data(), bytes.data()) << what;
      EXPECT_EQ(b->to_record(), *a) << what;
    } else {
      EXPECT_EQ(b.code(), Error::Corruption);
      EXPECT_EQ(a.status().message(), b.status().message()) << what;
    }
  };
  for (size_t i : {size_t{0}, size_t{5}}) {
    const std::string& bytes = parts[i];
    for (size_t n = 0; n <= bytes.size(); ++n) same(std::string_view(bytes).substr(0, n), "prefix " + std::to_string(n));
    for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
      std::string b = bytes + "next";
      b[bit / 8] = static_cast<char>(b[bit / 8] ^ (1 << (bit % 8)));
      same(b, "bit " + std::to_string(bit));
    }
  }
  same(std::string(300, '\0'), "zeros");
  same("GBJ", "short magic");
}

}  // namespace
}  // namespace glassbook::journal::testing
