// The audit: a consistent history passes with every signature and checkpoint checked, from genesis
// and from a snapshot; forged signatures, rewritten history, lost records and lying checkpoints are
// each reported with the record or checkpoint they concern.
#include <gtest/gtest.h>

#include <filesystem>

#include <fmt/format.h>

#include "journal/audit.h"
#include "journal/checkpoint_log.h"
#include "journal/recovery.h"
#include "node_test_util.h"

namespace glassbook::journal {
namespace {

using namespace testing;

// A journal of `commands` traded commands written through a node (checkpoints every 64 records,
// snapshots every `snapshot_every`). Returns the last checkpoint.
Checkpoint make_history(const std::string& dir, int commands, uint64_t seed, uint64_t snapshot_every = 0) {
  Session s;
  s.trade(6, commands, seed);
  auto o = options_for(dir, s);
  o.snapshot_every = snapshot_every;
  auto node = Node::open(o);
  EXPECT_TRUE(node.is_ok()) << node.status().to_string();
  submit_all(**node, s.records());
  (*node)->stop();
  return verify_checkpoint((*node)->latest_checkpoint().value(), (*node)->log_verifier().value()).value();
}

// Rewrites the journal in `dir` from `all` (genesis first), keeping the checkpoint log.
void rewrite(const std::string& dir, const std::vector<Record>& all) {
  for (const auto& seg : segments_of(dir)) std::filesystem::remove(seg.path);
  write_journal(dir, all);
}

std::vector<Record> all_records(const std::string& dir) {
  auto rec = open_and_recover(dir);
  EXPECT_TRUE(rec.is_ok());
  std::vector<Record> all{*rec->genesis};
  all.insert(all.end(), rec->records.begin(), rec->records.end());
  return all;
}

TEST(Audit, AConsistentHistoryPassesEveryCheck) {
  TempDir dir;
  const Checkpoint last = make_history(dir.path(), 500, 21);
  auto r = audit_journal(dir.path());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->divergence, "");
  EXPECT_EQ(r->tree_size, last.tree_size);
  EXPECT_EQ(r->records, last.tree_size);
  EXPECT_EQ(r->signatures_verified, last.tree_size);
  EXPECT_EQ(r->merkle_root, last.root);
  EXPECT_EQ(r->state_root, last.state_root);
  EXPECT_EQ(r->checkpoints_verified, read_checkpoints(dir.path())->entries.size());
}

// A journal whose genesis has no state root version (every one from before format 2) is
// checkpointed and snapshotted under format 1 and verifies as signed, from genesis and from a
// snapshot; the same history under format 2 has other state roots.
TEST(Audit, AJournalUnderStateRootFormat1VerifiesAsSigned) {
  TempDir v1_dir, v2_dir;
  Session s;
  s.trade(6, 600, 29);
  auto o = options_for(v1_dir.path(), s);
  o.genesis->state_root_version = engine::kStateRootV1;
  o.snapshot_every = 150;
  auto node = Node::open(o);
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  submit_all(**node, s.records());
  (*node)->stop();
  const Checkpoint v1_last = verify_checkpoint((*node)->latest_checkpoint().value(), (*node)->log_verifier().value()).value();
  for (bool from_snapshot : {false, true}) {
    AuditOptions ao;
    ao.from_snapshot = from_snapshot;
    auto r = audit_journal(v1_dir.path(), ao);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r->divergence, "") << from_snapshot;
    EXPECT_EQ(r->state_root, v1_last.state_root);
    EXPECT_GT(r->checkpoints_verified, 0u);
  }
  const Checkpoint v2_last = make_history(v2_dir.path(), 600, 29);
  EXPECT_EQ(v2_last.tree_size, v1_last.tree_size);
  EXPECT_NE(v2_last.state_root, v1_last.state_root);
}

TEST(Audit, FromASnapshotReachesTheSameState) {
  TempDir dir;
  const Checkpoint last = make_history(dir.path(), 700, 22, 150);
  auto full = audit_journal(dir.path());
  AuditOptions o;
  o.from_snapshot = true;
  auto snap = audit_journal(dir.path(), o);
  ASSERT_TRUE(full.is_ok() && snap.is_ok());
  EXPECT_EQ(snap->divergence, "");
  ASSERT_TRUE(snap->snapshot_seq.has_value());
  EXPECT_LT(snap->records, full->records);
  EXPECT_EQ(snap->state_root, full->state_root);
  EXPECT_EQ(snap->merkle_root, full->merkle_root);
  EXPECT_EQ(snap->state_root, last.state_root);
  EXPECT_GT(snap->checkpoints_verified, 0u);
}

// Snapshots fall due once `snapshot_every` records follow genesis; with exactly that many commands the
// only snapshot is taken at the last record, where the final checkpoint also sits.
TEST(Audit, ACheckpointAtTheSnapshotPointIsCheckedAgainstTheRestoredState) {
  TempDir dir;
  const Checkpoint last = make_history(dir.path(), 150, 28, 150);
  AuditOptions o;
  o.from_snapshot = true;
  auto r = audit_journal(dir.path(), o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  ASSERT_EQ(r->snapshot_seq, std::optional<SeqNo>(last.tree_size - 1));
  EXPECT_EQ(r->divergence, "");
  EXPECT_EQ(r->records, 0u);
  EXPECT_EQ(r->checkpoints_verified, 1u);
  EXPECT_EQ(r->state_root, last.state_root);

  // The log key signs a false state root for that point: the snapshot audit catches it.
  auto stored = read_checkpoints(dir.path());
  Checkpoint lie = stored->entries.back().checkpoint;
  ASSERT_EQ(lie.tree_size, last.tree_size);
  lie.state_root[3] ^= 1;
  std::string log;
  for (size_t i = 0; i + 1 < stored->entries.size(); ++i) log += encode_checkpoint_entry(stored->entries[i].note);
  log += encode_checkpoint_entry(sign_checkpoint(lie, lie.origin, log_key()).value());
  write_all(checkpoint_log_path(dir.path()), log);
  auto caught = audit_journal(dir.path(), o);
  ASSERT_TRUE(caught.is_ok());
  EXPECT_NE(caught->divergence.find("state after seq " + std::to_string(lie.tree_size - 1)), std::string::npos) << caught->divergence;
}

TEST(Audit, SnapshotPlusTailEqualsFullReplayAcrossRandomHistories) {
  for (uint64_t seed = 100; seed < 108; ++seed) {
    TempDir dir;
    const int commands = 150 + static_cast<int>(seed % 5) * 97;
    const uint64_t every = 40 + seed % 7 * 13;  // snapshots at varied points, mid-batch or not
    make_history(dir.path(), commands, seed, every);
    AuditOptions genesis;
    genesis.verify_signatures = false;
    AuditOptions snapshot = genesis;
    snapshot.from_snapshot = true;
    auto full = audit_journal(dir.path(), genesis);
    auto tail = audit_journal(dir.path(), snapshot);
    ASSERT_TRUE(full.is_ok() && tail.is_ok());
    EXPECT_EQ(full->divergence, "") << "seed " << seed;
    EXPECT_EQ(tail->divergence, "") << "seed " << seed;
    ASSERT_TRUE(tail->snapshot_seq.has_value()) << "seed " << seed;
    EXPECT_EQ(tail->state_root, full->state_root) << "seed " << seed;
    EXPECT_EQ(tail->merkle_root, full->merkle_root) << "seed " << seed;
  }
}

TEST(Audit, AForgedSignatureIsNamedByItsSeq) {
  TempDir dir;
  make_history(dir.path(), 300, 23);
  auto all = all_records(dir.path());
  all[137].signature[5] ^= 0x10;
  rewrite(dir.path(), all);
  auto r = audit_journal(dir.path());
  ASSERT_TRUE(r.is_ok());
  EXPECT_NE(r->divergence.find("seq 137: bad signature"), std::string::npos) << r->divergence;
  EXPECT_EQ(r->records, 137u);  // everything before it was replayed
  // Without signature checks the forgery is still caught: the checkpoints' Merkle roots differ.
  AuditOptions o;
  o.verify_signatures = false;
  auto r2 = audit_journal(dir.path(), o);
  EXPECT_NE(r2->divergence.find("Merkle root"), std::string::npos) << r2->divergence;
}

// A record whose body does not decode (it is decoded beside the scan, ahead of the engine) stops the
// audit at that record, after every record before it was applied, with or without signatures.
TEST(Audit, AnUndecodableBodyIsNamedByItsSeqAfterTheRecordsBeforeIt) {
  TempDir dir;
  make_history(dir.path(), 300, 26);
  const auto original = all_records(dir.path());
  auto all = original;
  ASSERT_GT(all[137].signed_bytes.size(), 4u);
  all[137].signed_bytes[2] ^= 0x20;  // the domain tag no longer reads glassbook/command/v1
  all[201].kind ^= 1;                // a later record's kind disagrees with its body
  rewrite(dir.path(), all);
  AuditOptions o;
  o.verify_signatures = false;
  auto r = audit_journal(dir.path(), o);
  ASSERT_TRUE(r.is_ok());
  EXPECT_NE(r->divergence.find("seq 137: signed command: missing domain tag"), std::string::npos) << r->divergence;
  EXPECT_EQ(r->records, 137u);
  auto signed_audit = audit_journal(dir.path());
  ASSERT_TRUE(signed_audit.is_ok());
  EXPECT_NE(signed_audit->divergence.find("seq 137"), std::string::npos) << signed_audit->divergence;
  EXPECT_EQ(signed_audit->records, 137u);

  all = original;
  all[201].kind ^= 1;  // only the later record is wrong now
  rewrite(dir.path(), all);
  auto later = audit_journal(dir.path(), o);
  ASSERT_TRUE(later.is_ok());
  EXPECT_NE(later->divergence.find("seq 201: kind"), std::string::npos) << later->divergence;
  EXPECT_EQ(later->records, 201u);
}

TEST(Audit, RewrittenHistoryFailsTheNextCheckpoint) {
  TempDir dir;
  make_history(dir.path(), 300, 24);
  auto all = all_records(dir.path());
  all[40].timestamp += 1;  // not signed by anyone, but part of the record and of the log
  rewrite(dir.path(), all);
  auto r = audit_journal(dir.path());
  ASSERT_TRUE(r.is_ok());
  EXPECT_NE(r->divergence.find("Merkle root"), std::string::npos) << r->divergence;
}

TEST(Audit, LostRecordsAreReported) {
  TempDir dir;
  const Checkpoint last = make_history(dir.path(), 300, 25);
  auto all = all_records(dir.path());
  all.resize(all.size() - 3);
  rewrite(dir.path(), all);
  auto r = audit_journal(dir.path());
  ASSERT_TRUE(r.is_ok());
  EXPECT_NE(r->divergence.find("acknowledged records are missing"), std::string::npos) << r->divergence;
  // Named: the first checkpoint beyond what is left (batching decides which one that is).
  const auto stored = read_checkpoints(dir.path());
  uint64_t first_beyond = 0;
  for (const auto& e : stored->entries)
    if (e.checkpoint.tree_size > all.size()) {
      first_beyond = e.checkpoint.tree_size;
      break;
    }
  EXPECT_GT(first_beyond, all.size());
  EXPECT_LE(first_beyond, last.tree_size);
  EXPECT_NE(r->divergence.find(fmt::format("covers {} records, but the journal holds only {}", first_beyond, all.size())),
            std::string::npos)
      << r->divergence;
}

TEST(Audit, ACheckpointWithAFalseStateRootIsCaught) {
  TempDir dir;
  const Checkpoint last = make_history(dir.path(), 200, 26);
  // The log key signs a checkpoint whose Merkle root is right but whose state root is not.
  Session s;
  auto extra = Node::open(options_for(dir.path(), s));
  ASSERT_TRUE(extra.is_ok());
  Session more;
  more.trade(1, 0, 1);  // one registration and two deposits
  submit_all(**extra, more.records());
  (*extra)->stop();
  auto stored = read_checkpoints(dir.path());
  Checkpoint lie = stored->entries.back().checkpoint;
  lie.state_root[0] ^= 1;
  // Replace the honest final checkpoint by the lie.
  std::string log;
  for (size_t i = 0; i + 1 < stored->entries.size(); ++i) log += encode_checkpoint_entry(stored->entries[i].note);
  log += encode_checkpoint_entry(sign_checkpoint(lie, lie.origin, log_key()).value());
  write_all(checkpoint_log_path(dir.path()), log);
  auto r = audit_journal(dir.path());
  ASSERT_TRUE(r.is_ok());
  EXPECT_NE(r->divergence.find("state after seq " + std::to_string(lie.tree_size - 1)), std::string::npos) << r->divergence;
  EXPECT_GT(lie.tree_size, last.tree_size);
}

TEST(Audit, DamageInTheMiddleIsADivergenceNamingTheSeq) {
  TempDir dir;
  make_history(dir.path(), 200, 27);
  const auto segs = segments_of(dir.path());
  std::string bytes = read_all(segs[0].path);
  bytes[bytes.size() / 2] ^= 0x01;
  write_all(segs[0].path, bytes);
  auto r = audit_journal(dir.path());
  ASSERT_TRUE(r.is_ok());
  EXPECT_NE(r->divergence.find("seq"), std::string::npos) << r->divergence;
  EXPECT_LT(r->records, 203u);
}

}  // namespace
}  // namespace glassbook::journal
