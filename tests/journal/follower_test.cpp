// A verifying replica's core (journal/follower.h) fed by a real primary node's answers
// (Node::replication_batch): it follows, checks every checkpoint, resumes after a restart, and stops
// naming the seq or checkpoint when a record, a link, a signature or a checkpoint was tampered with.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <optional>

#include "journal/checkpoint.h"
#include "journal/checkpoint_log.h"
#include "journal/follower.h"
#include "journal/replication_batch.h"
#include "node_test_util.h"

namespace glassbook::journal {
namespace {

using testing::TempDir;

// A primary that ran a session: checkpoints every 64 records (one command per batch), kept running.
struct Primary {
  TempDir dir;
  testing::Session session;
  std::unique_ptr<Node> node;

  explicit Primary(NodeOptions tweak = {}, int commands = 300) {
    session.trade(4, commands, 7);
    NodeOptions o = testing::options_for(dir.path(), session);
    o.feed = tweak.feed;
    auto n = Node::open(std::move(o));
    EXPECT_TRUE(n.is_ok()) << n.status().to_string();
    node = std::move(n).value();
    testing::submit_each(*node, session.records());
  }
};

std::unique_ptr<Follower> open_follower(const std::string& dir) {
  FollowerOptions o;
  o.dir = dir;
  auto f = Follower::open(o);
  EXPECT_TRUE(f.is_ok()) << f.status().to_string();
  return f.is_ok() ? std::move(f).value() : nullptr;
}

ReplicationBatch ask(const Node& node, const Follower& f, size_t max_bytes = Node::kDefaultBatchBytes) {
  auto b = node.replication_batch(f.next_seq(), f.checkpointed_size(), max_bytes);
  EXPECT_TRUE(b.is_ok()) << b.status().to_string();
  // Every answer crosses the wire format.
  auto decoded = decode_replication_batch(encode_replication_batch(*b));
  EXPECT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  EXPECT_EQ(*decoded, *b);
  return *b;
}

// Asks and applies until an answer brings nothing new; returns the answers taken.
int follow(const Node& node, Follower& f, size_t max_bytes = Node::kDefaultBatchBytes) {
  int answers = 0;
  for (;;) {
    const uint64_t before_seq = f.next_seq(), before_cp = f.checkpointed_size();
    ReplicationBatch b = ask(node, f, max_bytes);
    Status s = f.apply(b);
    EXPECT_TRUE(s.is_ok()) << s.to_string();
    if (!s) return answers;
    ++answers;
    if (f.next_seq() == before_seq && f.checkpointed_size() == before_cp) return answers;
  }
}

std::string reencode(Record r) { return encode(r); }

// Stops the primary (its final checkpoint covers every record), lets the follower take what is left,
// and checks that it verified that checkpoint: its engine's state root is the primary's.
void expect_caught_up(Primary& p, Follower& f) {
  p.node->stop();
  follow(*p.node, f);
  EXPECT_EQ(f.next_seq(), p.node->tree_size());
  EXPECT_EQ(f.checkpointed_size(), p.node->tree_size());
  const Checkpoint last = parse_checkpoint_body(parse_note(*p.node->latest_checkpoint())->body).value();
  EXPECT_EQ(last.tree_size, p.node->tree_size());
  EXPECT_EQ(f.engine()->state_root(), last.state_root);
}

TEST(Follower, FollowsAPrimaryAndVerifiesEachOfItsCheckpoints) {
  Primary p;
  TempDir rdir;
  auto f = open_follower(rdir.path());
  ASSERT_NE(f, nullptr);
  follow(*p.node, *f);
  EXPECT_EQ(f->next_seq(), p.node->tree_size());
  EXPECT_EQ(f->checkpointed_size(), p.node->checkpointed_size());
  EXPECT_GT(f->checkpointed_size(), 64u * 4);
  // The replica's journal holds the primary's records byte for byte, and its checkpoint log the
  // primary's notes; the final checkpoint written at the primary's stop comes alone, after the records.
  expect_caught_up(p, *f);
  EXPECT_EQ(testing::read_all(rdir.segment()), testing::read_all(p.dir.segment()));
  EXPECT_EQ(testing::read_all(checkpoint_log_path(rdir.path())), testing::read_all(checkpoint_log_path(p.dir.path())));
}

TEST(Follower, AnswersStopAtCheckpointsAndRespectTheByteBound) {
  Primary p;
  TempDir rdir;
  auto f = open_follower(rdir.path());
  ASSERT_NE(f, nullptr);
  // 2 KiB answers: about ten records each, never across a checkpoint's tree size.
  for (int i = 0; i < 200 && f->next_seq() < p.node->tree_size(); ++i) {
    ReplicationBatch b = ask(*p.node, *f, 2048);
    ASSERT_FALSE(b.records.empty());
    size_t bytes = 0;
    for (const auto& r : b.records) bytes += r.size();
    EXPECT_LE(bytes, 2048u);
    const uint64_t end = b.end_seq();
    EXPECT_TRUE(end == p.node->tree_size() || end % 64 == 1 || bytes + 400 > 2048) << "answer ends at " << end;
    if (b.checkpoint) {
      EXPECT_EQ(parse_checkpoint_body(parse_note(*b.checkpoint)->body)->tree_size, end);
    }
    ASSERT_TRUE(f->apply(b).is_ok());
  }
  EXPECT_EQ(f->next_seq(), p.node->tree_size());
}

TEST(Follower, AReplicaBehindTheMemoryWindowReadsTheSegmentsAndTheCheckpointLog) {
  NodeOptions tweak;
  tweak.feed.max_bytes = 1;        // only the newest group commit stays in memory
  tweak.feed.max_checkpoints = 1;  // and only the newest checkpoint
  Primary p(tweak);
  TempDir rdir;
  auto f = open_follower(rdir.path());
  ASSERT_NE(f, nullptr);
  follow(*p.node, *f);
  EXPECT_EQ(f->next_seq(), p.node->tree_size());
  EXPECT_EQ(f->checkpointed_size(), p.node->checkpointed_size());
  expect_caught_up(p, *f);
}

TEST(Follower, ResumesFromItsOwnJournalAfterARestartAndCutsATornTail) {
  Primary p;
  TempDir rdir;
  {
    auto f = open_follower(rdir.path());
    ASSERT_NE(f, nullptr);
    for (int i = 0; i < 15; ++i) ASSERT_TRUE(f->apply(ask(*p.node, *f, 2048)).is_ok());
  }
  // A crash in the middle of a write leaves half a record after the last whole one.
  const std::string segment = testing::read_all(rdir.segment());
  testing::write_all(rdir.segment(), segment + segment.substr(segment.size() - 100, 60));
  auto f = open_follower(rdir.path());
  ASSERT_NE(f, nullptr);
  EXPECT_GT(f->recovery().checkpoints, 0u);
  EXPECT_EQ(f->recovery().truncated_bytes, 60u);
  EXPECT_GT(f->next_seq(), 64u);
  follow(*p.node, *f);
  EXPECT_EQ(f->next_seq(), p.node->tree_size());
  expect_caught_up(p, *f);
}

// A replica one answer from a checkpoint, and the answer that reaches it, for tampering.
struct Tampering : ::testing::Test {
  Primary p;
  TempDir rdir;
  std::unique_ptr<Follower> f = open_follower(rdir.path());
  ReplicationBatch next;  // the answer that ends at the checkpoint of 128 records

  void SetUp() override {
    ASSERT_NE(f, nullptr);
    while (f->next_seq() < 100) ASSERT_TRUE(f->apply(ask(*p.node, *f, 2048)).is_ok());
    next = ask(*p.node, *f);
    ASSERT_TRUE(next.checkpoint.has_value());
  }
  std::string stopped(const ReplicationBatch& b) {
    Status s = f->apply(b);
    EXPECT_FALSE(s.is_ok());
    // After a refusal the follower takes nothing more.
    EXPECT_FALSE(f->apply(next).is_ok());
    return s.message();
  }
  Record record_at(SeqNo seq) {
    size_t consumed = 0;
    return decode(next.records.at(seq - next.first_seq), consumed).value();
  }
  void put(SeqNo seq, const Record& r) { next.records.at(seq - next.first_seq) = reencode(r); }
  std::string resigned_checkpoint(auto&& change) {
    Checkpoint cp = parse_checkpoint_body(parse_note(*next.checkpoint)->body).value();
    change(cp);
    return sign_checkpoint(cp, cp.origin, testing::log_key()).value();
  }
};

TEST_F(Tampering, OneFlippedByteIsAMalformedRecordAndTheGoodOnesBeforeItAreKept) {
  const SeqNo seq = next.first_seq + 5;
  next.records[5][40] ^= 1;
  EXPECT_EQ(stopped(next).rfind(fmt::format("seq {}: malformed record", seq), 0), 0u) << stopped(next);
  EXPECT_EQ(f->next_seq(), seq);
}

TEST_F(Tampering, AChangedCommandWithAValidChecksumHasABadSignature) {
  const SeqNo seq = next.first_seq + 3;
  Record r = record_at(seq);
  r.signed_bytes[r.signed_bytes.size() - 9] ^= 1;
  put(seq, r);
  const std::string why = stopped(next);
  EXPECT_EQ(why.rfind(fmt::format("seq {}: bad signature", seq), 0), 0u) << why;
}

TEST_F(Tampering, ARecordThatDoesNotLinkToThePreviousOneIsABrokenHashLink) {
  const SeqNo seq = next.first_seq + 2;
  Record r = record_at(seq);
  r.prev_hash[0] ^= 1;
  put(seq, r);
  const std::string why = stopped(next);
  EXPECT_EQ(why.rfind(fmt::format("seq {}: broken hash link", seq), 0), 0u) << why;
}

TEST_F(Tampering, ARemovedRecordIsASeqTheReplicaDidNotExpect) {
  const SeqNo seq = next.first_seq + 4;
  next.records.erase(next.records.begin() + 4);
  const std::string why = stopped(next);
  EXPECT_EQ(why.rfind(fmt::format("seq {}: the primary sent a record with seq {}", seq, seq + 1), 0), 0u) << why;
}

TEST_F(Tampering, ACheckpointWithAnotherStateRootNamesTheCheckpointAndBothRoots) {
  next.checkpoint = resigned_checkpoint([](Checkpoint& cp) { cp.state_root[7] ^= 1; });
  const std::string why = stopped(next);
  EXPECT_NE(why.find(fmt::format("checkpoint of {} records (after seq {}): its state root is", next.end_seq(), next.end_seq() - 1)),
            std::string::npos) << why;
  EXPECT_NE(why.find("the replica's engine's"), std::string::npos) << why;
  // The records were good: they are journaled; the checkpoint is not.
  EXPECT_EQ(f->next_seq(), next.end_seq());
  EXPECT_LT(f->checkpointed_size(), next.end_seq());
}

TEST_F(Tampering, ACheckpointWithAnotherMerkleRootSaysTheRecordsDiffer) {
  next.checkpoint = resigned_checkpoint([](Checkpoint& cp) { cp.root[0] ^= 1; });
  const std::string why = stopped(next);
  EXPECT_NE(why.find("its Merkle root is"), std::string::npos) << why;
}

TEST_F(Tampering, ACheckpointNotSignedByTheLogKeyIsRefused) {
  Checkpoint cp = parse_checkpoint_body(parse_note(*next.checkpoint)->body).value();
  const auto other = crypto::KeyPair::from_seed(crypto::seed_from_label("follower-test/not-the-log"));
  next.checkpoint = sign_checkpoint(cp, cp.origin, other).value();
  const std::string why = stopped(next);
  EXPECT_NE(why.find(fmt::format("checkpoint of {} records (after seq {}): not signed by the log key in force", next.end_seq(),
                                 next.end_seq() - 1)), std::string::npos) << why;
}

TEST_F(Tampering, APrimaryThatHoldsFewerRecordsThanTheReplicaHasLostRecords) {
  ReplicationBatch behind;
  behind.first_seq = f->next_seq();
  behind.durable = f->next_seq() - 10;
  const std::string why = stopped(behind);
  EXPECT_NE(why.find("records it had made durable are gone"), std::string::npos) << why;
}

TEST(ReplicationBatch, DecodingIsStrict) {
  ReplicationBatch b;
  b.durable = 9;
  b.first_seq = 3;
  b.records = {"abc", std::string(300, 'x')};
  b.checkpoint = "note\n";
  const std::string bytes = encode_replication_batch(b);
  ASSERT_EQ(decode_replication_batch(bytes).value(), b);
  for (size_t cut = 0; cut < bytes.size(); ++cut) EXPECT_FALSE(decode_replication_batch(bytes.substr(0, cut)).is_ok()) << cut;
  EXPECT_FALSE(decode_replication_batch(bytes + "x").is_ok());
  std::string magic = bytes;
  magic[0] = 'X';
  EXPECT_FALSE(decode_replication_batch(magic).is_ok());
  std::string version = bytes;
  version[4] = 2;
  EXPECT_FALSE(decode_replication_batch(version).is_ok());
}

}  // namespace
}  // namespace glassbook::journal
