// The node's state copies (NodeOptions::state_copy_every_us), taken for the proof of liabilities: at
// the first batch, then a full interval of command time apart, each the state whose state root the
// checkpoint written at its sequence carries, handed over only once that checkpoint is on disk.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "engine/engine.h"
#include "journal/checkpoint_log.h"
#include "node_test_util.h"

namespace glassbook::journal::testing {
namespace {

TEST(NodeStateCopy, CopiesAreCheckpointedStatesAnIntervalApart) {
  TempDir dir;
  Session s;
  s.trade(8, 200, 5);
  NodeOptions o = options_for(dir.path(), s);
  o.checkpoint_every = 1'000'000;  // no checkpoint but the copies' and the final one
  std::atomic<Timestamp> clock{1'700'000'000'000'000};
  o.sequencer.clock = [&clock] { return clock += 1'000; };  // 1 ms a call
  o.state_copy_every_us = 50'000;
  std::mutex mu;
  std::vector<StateCopy> copies;
  std::vector<uint64_t> checkpointed_when_handed;
  Node* node_ptr = nullptr;
  o.on_state_copy = [&](StateCopy c) {
    std::lock_guard lock(mu);
    checkpointed_when_handed.push_back(node_ptr->checkpointed_size());
    copies.push_back(std::move(c));
  };
  auto node = Node::open(std::move(o));
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  node_ptr = node->get();
  submit_each(**node, s.records());
  (*node)->stop();

  std::lock_guard lock(mu);
  ASSERT_GE(copies.size(), 3u);
  EXPECT_EQ(copies.front().seq, 1u);  // the first batch
  auto stored = read_checkpoints(dir.path());
  ASSERT_TRUE(stored.is_ok()) << stored.status().to_string();
  for (size_t i = 0; i < copies.size(); ++i) {
    const StateCopy& c = copies[i];
    if (i > 0) {
      EXPECT_GE(c.timestamp - copies[i - 1].timestamp, 50'000) << "copy " << i;
    }
    // Its checkpoint was written before it was handed over, and carries its state root.
    EXPECT_GE(checkpointed_when_handed[i], c.seq + 1) << "copy " << i;
    bool found = false;
    for (const auto& e : stored->entries) {
      if (e.checkpoint.tree_size != c.seq + 1) continue;
      found = true;
      EXPECT_EQ(e.checkpoint.state_root, c.state_root) << "copy " << i;
    }
    EXPECT_TRUE(found) << "no checkpoint at the sequence of copy " << i;
    // The bytes restore to exactly that state.
    auto restored = engine::Engine::restore(c.engine);
    ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
    EXPECT_EQ((*restored)->state_root(), c.state_root);
    EXPECT_EQ((*restored)->last_seq(), c.seq);
    EXPECT_EQ((*restored)->last_timestamp(), c.timestamp);
  }
}

TEST(NodeStateCopy, NoCopyWithoutAnInterval) {
  TempDir dir;
  Session s;
  s.trade(4, 20, 3);
  NodeOptions o = options_for(dir.path(), s);
  int copies = 0;
  o.on_state_copy = [&](StateCopy) { ++copies; };
  auto node = Node::open(std::move(o));
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  submit_all(**node, s.records());
  (*node)->stop();
  EXPECT_EQ(copies, 0);
}

}  // namespace
}  // namespace glassbook::journal::testing
