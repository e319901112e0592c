// Recovery: torn and corrupt tails are truncated; damage in the middle, gaps, swaps, insertions and broken links stop it naming the record; recover() from snapshots links and hands over the tail only.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "journal/snapshot_store.h"
#include "journal_test_util.h"

namespace glassbook::journal::testing {
namespace {

// One segment, written byte by byte, recovered from genesis.
class RecoveryOneSegment : public ::testing::Test {
 protected:
  void SetUp() override {
    Session s;
    s.trade(3, 12, 21);
    records_ = with_genesis(s.records());
    parts_ = encode_chain(records_);
  }
  // Offset of record i (seq i) in the concatenated journal.
  size_t offset(size_t i) const {
    size_t o = 0;
    for (size_t k = 0; k < i; ++k) o += parts_[k].size();
    return o;
  }
  Result<Recovery> recover_bytes(const std::string& bytes) {
    write_all(dir_.segment(), bytes);
    got_.clear();
    RecoverOptions options;
    options.on_record = collect_records(got_);
    return recover(dir_.path(), options);
  }
  void expect_error_naming(const Result<Recovery>& r, const std::string& needle) {
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.code(), Error::Corruption);
    EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
  }

  std::vector<Record> records_;  // seq 0 (genesis) onward
  std::vector<std::string> parts_;
  std::vector<Record> got_;
  TempDir dir_;
};

TEST_F(RecoveryOneSegment, TruncatedAtEveryOffsetOfTheLastRecord) {
  const std::string whole = concat(parts_);
  const size_t last = offset(parts_.size() - 1);
  for (size_t cut = last; cut < whole.size(); ++cut) {
    auto rec = recover_bytes(whole.substr(0, cut));
    ASSERT_TRUE(rec.is_ok()) << "cut at " << cut << ": " << rec.status().to_string();
    ASSERT_EQ(got_.size(), records_.size() - 1) << "cut at " << cut;
    EXPECT_EQ(rec->report.records, records_.size() - 1);
    EXPECT_EQ(rec->report.truncated_bytes, cut - last);
    EXPECT_EQ(rec->tip.segment_bytes, last);
    if (cut > last) {
      EXPECT_NE(rec->report.tail_damage.find("seq " + std::to_string(records_.back().seq)), std::string::npos)
          << rec->report.tail_damage;
      EXPECT_NE(rec->report.tail_damage.find(segment_file_name(0)), std::string::npos) << rec->report.tail_damage;
    }
    EXPECT_EQ(read_all(dir_.segment()).size(), last) << "file not truncated at cut " << cut;
    EXPECT_EQ(rec->tip.next_seq, records_.back().seq);
    EXPECT_EQ(rec->tip.hash, record_hash(parts_[parts_.size() - 2]));
  }
}

TEST_F(RecoveryOneSegment, TruncatedTailThenWriterContinues) {
  const std::string whole = concat(parts_);
  auto rec = recover_bytes(whole.substr(0, whole.size() - 5));
  ASSERT_TRUE(rec.is_ok());
  auto w = JournalWriter::open(dir_.path(), rec->tip);
  ASSERT_TRUE(w.is_ok()) << w.status().to_string();
  auto writer = std::move(w).value();
  ASSERT_TRUE(writer->append(records_.back()).is_ok());
  ASSERT_TRUE(writer->sync().is_ok());
  EXPECT_EQ(read_all(dir_.segment()), whole);
}

TEST_F(RecoveryOneSegment, WithoutRepairTheTornTailIsOnlyReported) {
  const std::string whole = concat(parts_);
  write_all(dir_.segment(), whole.substr(0, whole.size() - 5));
  RecoverOptions options;
  options.repair = false;
  auto rec = recover(dir_.path(), options);
  ASSERT_TRUE(rec.is_ok());
  EXPECT_EQ(rec->report.truncated_bytes, parts_.back().size() - 5);
  EXPECT_FALSE(rec->report.tail_damage.empty());
  EXPECT_EQ(read_all(dir_.segment()).size(), whole.size() - 5);
}

TEST_F(RecoveryOneSegment, FlippedBitInTheLastRecordIsTruncated) {
  const std::string whole = concat(parts_);
  const size_t last = offset(parts_.size() - 1);
  for (size_t at = last; at < whole.size(); at += 7) {
    std::string b = whole;
    b[at] = static_cast<char>(b[at] ^ 0x10);
    auto rec = recover_bytes(b);
    ASSERT_TRUE(rec.is_ok()) << "flip at " << at << ": " << rec.status().to_string();
    EXPECT_EQ(got_.size(), records_.size() - 1);
    EXPECT_EQ(rec->report.truncated_bytes, whole.size() - last);
    EXPECT_FALSE(rec->report.tail_damage.empty());
    EXPECT_EQ(read_all(dir_.segment()).size(), last);
  }
}

TEST_F(RecoveryOneSegment, FlippedBitInAMiddleRecordNamesItsSeqFileAndOffset) {
  const std::string whole = concat(parts_);
  for (size_t i : {size_t{0}, size_t{5}, parts_.size() - 2}) {
    for (size_t within : {size_t{0}, size_t{9}, size_t{20}, size_t{40}, parts_[i].size() - 1}) {
      std::string b = whole;
      b[offset(i) + within] ^= 0x01;
      auto rec = recover_bytes(b);
      expect_error_naming(rec, "seq " + std::to_string(records_[i].seq) + " was expected");
      expect_error_naming(rec, segment_file_name(0) + " at offset " + std::to_string(offset(i)));
      EXPECT_EQ(read_all(dir_.segment()), b) << "a damaged journal must not be truncated";
    }
  }
}

TEST_F(RecoveryOneSegment, SwappedRecordsAreASequenceGap) {
  auto p = parts_;
  std::swap(p[4], p[5]);
  auto rec = recover_bytes(concat(p));
  expect_error_naming(rec, "expected seq 4, found seq 5");
}

TEST_F(RecoveryOneSegment, InsertedRecordWithTheNextSeqBreaksTheSequence) {
  // A well-formed forgery with seq 5 and a correct link to record 4, inserted before the real seq 5.
  Record forged = records_[5];
  forged.timestamp += 1;
  forged.prev_hash = record_hash(parts_[4]);
  auto p = parts_;
  p.insert(p.begin() + 5, encode(forged));
  auto rec = recover_bytes(concat(p));
  expect_error_naming(rec, "expected seq 6, found seq 5");
}

TEST_F(RecoveryOneSegment, InsertedRecordWithRenumberedSuccessorsBreaksTheChain) {
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
  auto rec = recover_bytes(concat(p));
  expect_error_naming(rec, "broken hash chain at seq 6");
}

TEST_F(RecoveryOneSegment, EditedRecordWithAValidChecksumBreaksTheNextLink) {
  // Changing a record and recomputing its checksum is caught by the next record's prev_hash.
  Record edited = records_[3];
  edited.prev_hash = record_hash(parts_[2]);
  edited.timestamp += 1000;
  auto p = parts_;
  p[3] = encode(edited);
  auto rec = recover_bytes(concat(p));
  expect_error_naming(rec, "broken hash chain at seq 4");
}

TEST_F(RecoveryOneSegment, GarbageInTheMiddleIsNotATornTail) {
  auto p = parts_;
  p.insert(p.begin() + 3, std::string(50, '\0'));
  auto rec = recover_bytes(concat(p));
  expect_error_naming(rec, "seq 3 was expected");
  expect_error_naming(rec, "corruption in the middle");
}

TEST_F(RecoveryOneSegment, ZeroFilledTailIsTruncated) {
  const std::string whole = concat(parts_);
  auto rec = recover_bytes(whole + std::string(4096, '\0'));
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(got_.size(), records_.size());
  EXPECT_EQ(rec->report.truncated_bytes, 4096u);
  EXPECT_EQ(read_all(dir_.segment()), whole);
}

TEST_F(RecoveryOneSegment, FirstRecordMustBeSeqZeroLinkedToGenesis) {
  auto p = parts_;
  p.erase(p.begin());
  expect_error_naming(recover_bytes(concat(p)), "expected seq 0, found seq 1");
  Record first = records_[0];
  first.prev_hash[0] = 1;
  p = parts_;
  p[0] = encode(first);
  expect_error_naming(recover_bytes(concat(p)), "broken hash chain at seq 0");
}

TEST_F(RecoveryOneSegment, AnErrorFromTheRecordCallbackStopsRecovery) {
  write_all(dir_.segment(), concat(parts_));
  size_t seen = 0;
  RecoverOptions options;
  options.on_record = [&](const RecordView& v) {
    ++seen;
    return v.seq == 7 ? Status(Error::InvalidSignature, "bad signature at seq 7") : Status::ok();
  };
  auto rec = recover(dir_.path(), options);
  ASSERT_FALSE(rec.is_ok());
  EXPECT_EQ(rec.code(), Error::InvalidSignature);
  EXPECT_EQ(seen, 8u);
}

// A multi-segment journal with snapshots: recover() starts from the newest whole snapshot.
class SnapshotRecovery : public ::testing::Test {
 protected:
  void SetUp() override {
    Session s;
    s.trade(3, 150, 22);
    records_ = with_genesis(s.records());
    parts_ = encode_chain(records_);
    write_journal(dir_.path(), records_, 16, WriterOptions{2500});
    ASSERT_GT(segments_of(dir_.path()).size(), 4u);
  }
  SnapshotMeta meta_at(SeqNo seq) const {
    SnapshotMeta m;
    m.seq = seq;
    m.chain_hash = record_hash(parts_[seq]);
    m.state_root[0] = static_cast<uint8_t>(seq);
    m.timestamp = records_[seq].timestamp;
    return m;
  }
  void snapshot_at(SeqNo seq) { ASSERT_TRUE(write_snapshot(dir_.path(), meta_at(seq), "state at " + std::to_string(seq)).is_ok()); }
  // recover() collecting records, recording whether on_snapshot came before every record.
  Result<Recovery> run(RecoverOptions options = {}) {
    got_.clear();
    snapshots_seen_ = 0;
    bool record_before_snapshot = false;
    options.on_snapshot = [&](const Snapshot& s) {
      ++snapshots_seen_;
      snapshot_seq_ = s.meta.seq;
      record_before_snapshot = !got_.empty();
      return Status::ok();
    };
    options.on_record = collect_records(got_);
    auto r = recover(dir_.path(), options);
    EXPECT_FALSE(record_before_snapshot);
    return r;
  }
  void expect_records_from(SeqNo first) {
    ASSERT_EQ(got_.size(), records_.size() - first);
    for (size_t i = 0; i < got_.size(); ++i) {
      Record expect = records_[first + i];
      expect.prev_hash = first + i == 0 ? kGenesisHash : record_hash(parts_[first + i - 1]);
      ASSERT_EQ(got_[i], expect) << "seq " << first + i;
    }
  }
  ChainTip full_tip() const {
    ChainTip t;
    t.next_seq = records_.size();
    t.hash = record_hash(parts_.back());
    const auto segs = segments_of(dir_.path());
    t.segment_first_seq = segs.back().first_seq;
    t.segment_bytes = read_all(segs.back().path).size();
    return t;
  }

  std::vector<Record> records_;
  std::vector<std::string> parts_;
  std::vector<Record> got_;
  int snapshots_seen_ = 0;
  SeqNo snapshot_seq_ = 0;
  TempDir dir_;
};

TEST_F(SnapshotRecovery, WithoutASnapshotEveryRecordIsHandedOver) {
  auto rec = run();
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_FALSE(rec->snapshot);
  EXPECT_EQ(snapshots_seen_, 0);
  expect_records_from(0);
  EXPECT_EQ(rec->tip, full_tip());
  EXPECT_EQ(rec->report.records, records_.size());
  EXPECT_EQ(rec->report.segments, segments_of(dir_.path()).size());
}

TEST_F(SnapshotRecovery, TheNewestSnapshotAndOnlyTheTailAfterIt) {
  snapshot_at(10);
  snapshot_at(60);
  auto rec = run();
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  ASSERT_TRUE(rec->snapshot);
  EXPECT_EQ(rec->snapshot->meta, meta_at(60));
  EXPECT_EQ(rec->snapshot->state, "state at 60");
  EXPECT_EQ(snapshots_seen_, 1);
  EXPECT_EQ(snapshot_seq_, 60u);
  expect_records_from(61);
  EXPECT_EQ(rec->report.records, records_.size() - 61);
  EXPECT_LT(rec->report.segments, segments_of(dir_.path()).size());  // earlier segments were not read
  EXPECT_EQ(rec->tip, full_tip());
  EXPECT_TRUE(rec->report.skipped_snapshots.empty());
}

TEST_F(SnapshotRecovery, SnapshotAtEachSegmentBoundary) {
  // The snapshot's record is the last of a segment, or the first: the link crosses the boundary.
  const auto segs = segments_of(dir_.path());
  for (SeqNo seq : {segs[2].first_seq - 1, segs[2].first_seq, segs[3].first_seq - 1}) {
    snapshot_at(seq);
    auto rec = run();
    ASSERT_TRUE(rec.is_ok()) << "snapshot at " << seq << ": " << rec.status().to_string();
    EXPECT_EQ(rec->snapshot->meta.seq, seq);
    expect_records_from(seq + 1);
    EXPECT_EQ(rec->tip, full_tip());
  }
}

TEST_F(SnapshotRecovery, SnapshotAtTheLastRecordHasAnEmptyTail) {
  snapshot_at(records_.size() - 1);
  auto rec = run();
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_TRUE(got_.empty());
  EXPECT_EQ(rec->report.records, 0u);
  EXPECT_EQ(rec->tip, full_tip());
}

TEST_F(SnapshotRecovery, LinkMismatchBetweenSnapshotAndJournalIsCorruption) {
  SnapshotMeta m = meta_at(40);
  m.chain_hash = record_hash(parts_[39]);
  ASSERT_TRUE(write_snapshot(dir_.path(), m, "x").is_ok());
  auto rec = run();
  ASSERT_FALSE(rec.is_ok());
  EXPECT_EQ(rec.code(), Error::Corruption);
  EXPECT_NE(rec.status().message().find("record seq 40"), std::string::npos) << rec.status().message();
  EXPECT_NE(rec.status().message().find(crypto::to_hex(m.chain_hash)), std::string::npos) << rec.status().message();
  EXPECT_TRUE(got_.empty());
}

TEST_F(SnapshotRecovery, SnapshotAheadOfTheJournalIsRefused) {
  const SeqNo last = records_.size() - 1;
  SnapshotMeta m = meta_at(last);
  m.seq = last + 5;
  ASSERT_TRUE(write_snapshot(dir_.path(), m, "x").is_ok());
  auto rec = run();
  ASSERT_FALSE(rec.is_ok());
  EXPECT_EQ(rec.code(), Error::Corruption);
  EXPECT_NE(rec.status().message().find(fmt::format("snapshot at seq {} is ahead of the journal, which ends at seq {}", last + 5, last)),
            std::string::npos)
      << rec.status().message();

  TempDir empty;
  ASSERT_TRUE(write_snapshot(empty.path(), meta_at(3), "x").is_ok());
  auto none = recover(empty.path());
  ASSERT_FALSE(none.is_ok());
  EXPECT_NE(none.status().message().find("snapshot at seq 3 is ahead of the journal, which is empty"), std::string::npos)
      << none.status().message();
}

TEST_F(SnapshotRecovery, ATornTailBeforeTheSnapshotIsNotCut) {
  // The journal lost its end but a snapshot claims it: refuse, and keep the evidence.
  snapshot_at(records_.size() - 1);
  const auto segs = segments_of(dir_.path());
  const std::string last = read_all(segs.back().path);
  write_all(segs.back().path, last.substr(0, last.size() - 3));
  auto rec = run();
  ASSERT_FALSE(rec.is_ok());
  EXPECT_NE(rec.status().message().find("is ahead of the journal, which ends at seq " + std::to_string(records_.size() - 2)),
            std::string::npos)
      << rec.status().message();
  EXPECT_NE(rec.status().message().find("torn tail"), std::string::npos) << rec.status().message();
  EXPECT_EQ(read_all(segs.back().path).size(), last.size() - 3);
}

TEST_F(SnapshotRecovery, DamagedNewerSnapshotsAreSkippedAndReported) {
  snapshot_at(20);
  snapshot_at(70);
  snapshot_at(90);
  const std::string p70 = dir_.path() + "/" + snapshot_file_name(70), p90 = dir_.path() + "/" + snapshot_file_name(90);
  std::string b = read_all(p90);
  b[b.size() / 2] ^= 1;
  write_all(p90, b);
  write_all(p70, read_all(p70).substr(0, 50));
  auto rec = run();
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->snapshot->meta.seq, 20u);
  expect_records_from(21);
  ASSERT_EQ(rec->report.skipped_snapshots.size(), 2u);
  EXPECT_NE(rec->report.skipped_snapshots[0].find(snapshot_file_name(90)), std::string::npos);
  EXPECT_NE(rec->report.skipped_snapshots[1].find(snapshot_file_name(70)), std::string::npos);
}

TEST_F(SnapshotRecovery, FromGenesisIgnoresSnapshots) {
  snapshot_at(50);
  RecoverOptions options;
  options.from_genesis = true;
  auto rec = run(options);
  ASSERT_TRUE(rec.is_ok());
  EXPECT_FALSE(rec->snapshot);
  EXPECT_EQ(snapshots_seen_, 0);
  expect_records_from(0);
}

TEST_F(SnapshotRecovery, TornTailAfterTheSnapshotIsCutAndTheWriterContinues) {
  snapshot_at(30);
  const auto segs = segments_of(dir_.path());
  const std::string last = read_all(segs.back().path);
  write_all(segs.back().path, last.substr(0, last.size() - 10));
  auto rec = run();
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  EXPECT_EQ(rec->report.truncated_bytes, parts_.back().size() - 10);
  EXPECT_EQ(got_.size(), records_.size() - 31 - 1);
  auto w = JournalWriter::open(dir_.path(), rec->tip, WriterOptions{2500});
  ASSERT_TRUE(w.is_ok()) << w.status().to_string();
  ASSERT_TRUE((*w)->append(records_.back()).is_ok());
  ASSERT_TRUE((*w)->sync().is_ok());
  EXPECT_EQ(read_all(segs.back().path), last);
}

TEST_F(SnapshotRecovery, SegmentsBeforeTheSnapshotMayBeGone) {
  const auto segs = segments_of(dir_.path());
  const SeqNo seq = segs[3].first_seq + 2;
  snapshot_at(seq);
  for (size_t i = 0; i < 3; ++i) std::filesystem::remove(segs[i].path);
  auto rec = run();
  ASSERT_TRUE(rec.is_ok()) << rec.status().to_string();
  expect_records_from(seq + 1);
  EXPECT_EQ(rec->tip, full_tip());

  // Without the segment holding the snapshot's record, the link cannot be checked.
  std::filesystem::remove(segs[3].path);
  auto gone = run();
  ASSERT_FALSE(gone.is_ok());
  EXPECT_EQ(gone.code(), Error::Corruption);
  EXPECT_NE(gone.status().message().find("no segment holds seq " + std::to_string(seq)), std::string::npos)
      << gone.status().message();
}

}  // namespace
}  // namespace glassbook::journal::testing
