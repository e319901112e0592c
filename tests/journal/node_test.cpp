// Node: a journal created with genesis, commands made durable, checkpoints signed over the Merkle log
// and the state root, proofs that verify, snapshots, and recovery from snapshot equal to full replay.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "engine/command_codec.h"
#include "journal/checkpoint_log.h"
#include "journal/genesis.h"
#include "journal/recovery.h"
#include "journal/node.h"
#include "journal/replay.h"
#include "journal/snapshot_store.h"
#include "journal_test_util.h"
#include "node_test_util.h"

namespace glassbook::journal {
namespace {

using namespace testing;

// The state root of replaying the journal in `dir` (in the order the sequencer gave it: cancels may
// overtake orders submitted before them) into a fresh engine on its genesis configuration.
crypto::Digest replayed_root(const std::string& dir) {
  auto rec = open_and_recover(dir);
  EXPECT_TRUE(rec.is_ok()) << rec.status().to_string();
  if (!rec.is_ok() || !rec->genesis) return {};
  engine::Engine e(open_genesis(*rec->genesis).value());
  EXPECT_TRUE(replay(rec->records, e, true).is_ok());
  return e.state_root();
}

Checkpoint latest(const Node& node) {
  auto note = node.latest_checkpoint();
  EXPECT_TRUE(note.has_value());
  auto cp = verify_checkpoint(note.value_or(""), node.log_verifier().value());
  EXPECT_TRUE(cp.is_ok()) << cp.status().to_string();
  return cp.is_ok() ? cp.value() : Checkpoint{};
}

TEST(Node, CreatesGenesisJournalsCommandsAndCheckpointsTheirState) {
  TempDir dir;
  Session s;
  s.trade(8, 400, 11);
  auto node = Node::open(options_for(dir.path(), s));
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  EXPECT_TRUE((*node)->recovery().created);
  submit_all(**node, s.records());
  (*node)->stop();

  const Checkpoint cp = latest(**node);
  EXPECT_EQ(cp.tree_size, s.records().size() + 1);
  EXPECT_EQ(cp.state_root, replayed_root(dir.path()));
  auto stored = read_checkpoints(dir.path());
  ASSERT_TRUE(stored.is_ok());
  EXPECT_GE(stored->entries.size(), 2u);  // at the first batch boundary past each 64 records, and at stop

  // Every record is provably in the log; every checkpoint is a prefix of the latest.
  for (SeqNo seq : {SeqNo{0}, SeqNo{1}, SeqNo{200}, SeqNo{cp.tree_size - 1}}) {
    auto proof = (*node)->inclusion_proof(seq, cp.tree_size);
    ASSERT_TRUE(proof.is_ok());
    EXPECT_TRUE(check_inclusion(proof.value(), cp).is_ok()) << "seq " << seq;
  }
  for (const auto& e : stored->entries) {
    auto proof = (*node)->consistency_proof(e.checkpoint.tree_size, cp.tree_size);
    ASSERT_TRUE(proof.is_ok());
    EXPECT_TRUE(check_consistency(proof.value(), e.checkpoint, cp).is_ok()) << e.checkpoint.tree_size;
  }
}

// A durable record read back by its seq is the very leaf its inclusion proof proves; past the
// durable size there is none.
TEST(Node, ReadsADurableRecordBackAsTheLeafOfItsProof) {
  TempDir dir;
  Session s;
  s.trade(4, 120, 13);
  auto node = Node::open(options_for(dir.path(), s));
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  submit_all(**node, s.records());
  const uint64_t size = (*node)->tree_size();
  for (SeqNo seq : {SeqNo{0}, SeqNo{1}, SeqNo{57}, SeqNo{size - 1}}) {
    auto bytes = (*node)->record(seq);
    ASSERT_TRUE(bytes.is_ok()) << bytes.status().to_string();
    size_t consumed = 0;
    auto decoded = decode(*bytes, consumed);
    ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
    EXPECT_EQ(consumed, bytes->size());
    EXPECT_EQ(decoded->seq, seq);
    auto proof = (*node)->inclusion_proof(seq, size);
    ASSERT_TRUE(proof.is_ok());
    EXPECT_EQ(record_hash(*bytes), proof->leaf_hash) << "seq " << seq;
  }
  auto beyond = (*node)->record(size);
  ASSERT_FALSE(beyond.is_ok());
  EXPECT_NE(beyond.status().message().find("not durable yet"), std::string::npos) << beyond.status().message();
  (*node)->stop();
}

TEST(Node, ReopensAtTheTipAndContinues) {
  TempDir dir;
  Session s;
  s.trade(6, 300, 12);
  const auto& all = s.records();
  const std::vector<Record> first(all.begin(), all.begin() + 150), rest(all.begin() + 150, all.end());
  {
    auto node = Node::open(options_for(dir.path(), s));
    ASSERT_TRUE(node.is_ok()) << node.status().to_string();
    submit_all(**node, first);
  }
  auto o = options_for(dir.path(), s);
  o.genesis.reset();  // an existing journal needs no genesis configuration
  auto node = Node::open(o);
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  EXPECT_FALSE((*node)->recovery().created);
  EXPECT_EQ((*node)->recovery().records, first.size() + 1);
  submit_all(**node, rest);
  (*node)->stop();
  EXPECT_EQ(latest(**node).state_root, replayed_root(dir.path()));
}

TEST(Node, SnapshotPlusTailEqualsFullReplay) {
  TempDir dir;
  Session s;
  s.trade(8, 600, 13);
  const auto& all = s.records();
  const std::vector<Record> first(all.begin(), all.end() - 1), last(all.end() - 1, all.end());
  {
    auto o = options_for(dir.path(), s);
    o.snapshot_every = 97;
    auto node = Node::open(o);
    ASSERT_TRUE(node.is_ok()) << node.status().to_string();
    submit_all(**node, first);
  }
  auto snaps = list_snapshots(dir.path());
  ASSERT_TRUE(snaps.is_ok());
  ASSERT_FALSE(snaps->empty());
  EXPECT_LE(snaps->size(), 2u);  // pruned to keep_snapshots

  // Two copies of the directory: one recovers from the snapshot, the other replays from genesis.
  TempDir genesis_dir;
  std::filesystem::copy(dir.path(), genesis_dir.path(), std::filesystem::copy_options::recursive |
                                                            std::filesystem::copy_options::overwrite_existing);
  auto from_snapshot = Node::open(options_for(dir.path(), s));
  ASSERT_TRUE(from_snapshot.is_ok()) << from_snapshot.status().to_string();
  ASSERT_TRUE((*from_snapshot)->recovery().snapshot_seq.has_value());
  EXPECT_LT((*from_snapshot)->recovery().replayed, first.size());
  auto o = options_for(genesis_dir.path(), s);
  o.from_genesis = true;
  auto from_genesis = Node::open(o);
  ASSERT_TRUE(from_genesis.is_ok()) << from_genesis.status().to_string();
  EXPECT_EQ((*from_genesis)->recovery().replayed, first.size());

  submit_all(**from_snapshot, last);
  submit_all(**from_genesis, last);
  (*from_snapshot)->stop();
  (*from_genesis)->stop();
  const Checkpoint a = latest(**from_snapshot), b = latest(**from_genesis);
  EXPECT_EQ(a.state_root, b.state_root);  // (the Merkle roots differ: the last record's timestamps do)
  EXPECT_EQ(a.state_root, replayed_root(dir.path()));
  EXPECT_EQ(b.state_root, replayed_root(genesis_dir.path()));
}

TEST(Node, RefusesAnotherExchangesJournalAndAMissingGenesis) {
  TempDir dir;
  Session s;
  s.trade(2, 10, 14);
  {
    auto node = Node::open(options_for(dir.path(), s));
    ASSERT_TRUE(node.is_ok());
    submit_all(**node, s.records());
  }
  auto o = options_for(dir.path(), s);
  o.genesis->markets[0].taker_fee_ppm += 1;
  auto other = Node::open(o);
  ASSERT_FALSE(other.is_ok());
  EXPECT_EQ(other.status().code(), Error::InvalidConfig);

  TempDir empty;
  auto e = options_for(empty.path(), s);
  e.genesis.reset();
  EXPECT_EQ(Node::open(e).status().code(), Error::InvalidConfig);
}

TEST(Node, RefusesAJournalShorterThanItsCheckpoints) {
  TempDir dir;
  Session s;
  s.trade(4, 200, 15);
  {
    auto node = Node::open(options_for(dir.path(), s));
    ASSERT_TRUE(node.is_ok());
    submit_all(**node, s.records());
  }
  // Lose the last records (as if acknowledged data vanished): the checkpoints expose it.
  const auto segs = testing::segments_of(dir.path());
  ASSERT_FALSE(segs.empty());
  const std::string path = segs.back().path;
  std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
  auto node = Node::open(options_for(dir.path(), s));
  ASSERT_FALSE(node.is_ok());
  EXPECT_EQ(node.status().code(), Error::Corruption);
  EXPECT_NE(node.status().message().find("checkpoint"), std::string::npos) << node.status().message();
}

}  // namespace
}  // namespace glassbook::journal
