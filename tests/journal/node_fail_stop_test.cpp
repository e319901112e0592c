// Node fail-stop: a checkpoint or snapshot that cannot be written (a full disk: the file is
// /dev/full, which answers every write with ENOSPC) stops the node with a clear message instead of
// trading on unanchored, and a restart recovers every acknowledged command.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>

#include "journal/checkpoint_log.h"
#include "journal/node.h"
#include "journal/snapshot_store.h"
#include "journal_test_util.h"
#include "node_test_util.h"

namespace glassbook::journal {
namespace {

using namespace testing;

// Submits `record` and waits for its acknowledgement (counted in `acknowledged`); false when the
// node refused it or stopped before acknowledging it (`refusal` says why; a command of the group
// commit in progress may still be acknowledged after that: count them once the node has stopped).
bool submit_and_wait(Node& node, const Record& record, Status& refusal, std::atomic<size_t>& acknowledged_count) {
  auto done = std::make_shared<std::promise<void>>();
  auto acknowledged = done->get_future();
  auto t = node.submit(submission_of(record), [done, &acknowledged_count](SeqNo, Timestamp, std::span<const engine::Event>) {
    ++acknowledged_count;
    done->set_value();
  });
  if (!t) {
    refusal = t.status();
    return false;
  }
  while (acknowledged.wait_for(std::chrono::milliseconds(1)) != std::future_status::ready) {
    if (Status health = node.health(); !health) {
      refusal = health;
      return false;
    }
  }
  return true;
}

TEST(NodeFailStop, ACheckpointThatCannotBeWrittenStopsTheNode) {
  TempDir dir;
  std::filesystem::create_symlink("/dev/full", checkpoint_log_path(dir.path()));
  Session s;
  s.trade(4, 200, 21);
  ASSERT_GT(s.records().size(), 100u);
  auto o = options_for(dir.path(), s);
  o.checkpoint_every = 64;
  auto opened = Node::open(o);
  ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
  std::unique_ptr<Node> node = std::move(opened).value();
  EXPECT_TRUE(node->health().is_ok());

  // One command at a time: seq 64 is the first checkpoint's; its group commit is durable (and
  // acknowledged) before the checkpoint fails, and nothing after it is taken.
  std::atomic<size_t> acknowledged_count{0};
  Status refusal;
  for (const Record& r : s.records()) {
    if (!submit_and_wait(*node, r, refusal, acknowledged_count)) break;
  }
  EXPECT_EQ(refusal.code(), Error::Io);
  const Status health = node->health();
  EXPECT_EQ(health.code(), Error::Io);
  EXPECT_EQ(health.message(), refusal.message());
  EXPECT_NE(health.message().find("node stopped: the checkpoint of 65 records could not be written"), std::string::npos)
      << health.message();
  EXPECT_NE(health.message().find("No space left on device"), std::string::npos) << health.message();
  EXPECT_EQ(node->checkpointed_size(), 0u);
  node->stop();
  const size_t acknowledged = acknowledged_count.load();
  EXPECT_EQ(acknowledged, 64u);
  EXPECT_EQ(node->health().message(), health.message());  // stop() does not hide why
  node.reset();

  // With the disk back, a restart recovers every acknowledged command and checkpoints again.
  std::filesystem::remove(checkpoint_log_path(dir.path()));
  auto reopened = Node::open(options_for(dir.path(), s));
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  EXPECT_EQ((*reopened)->recovery().records, acknowledged + 1);
  EXPECT_TRUE((*reopened)->health().is_ok());
  (*reopened)->stop();
  EXPECT_EQ((*reopened)->checkpointed_size(), acknowledged + 1);
}

TEST(NodeFailStop, ASnapshotThatCannotBeWrittenStopsTheNode) {
  TempDir dir;
  // The snapshot after seq 50 (one command per batch, so exactly there) is written into /dev/full.
  std::filesystem::create_symlink("/dev/full", dir.path() + "/" + snapshot_file_name(50) + ".tmp");
  Session s;
  s.trade(4, 200, 22);
  auto o = options_for(dir.path(), s);
  o.checkpoint_every = 1'000'000;
  o.snapshot_every = 50;
  auto node = Node::open(o);
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();

  // The snapshot is written by its own thread: the node stops some time after seq 50 is durable.
  std::atomic<size_t> acknowledged{0};
  Status refusal;
  for (const Record& r : s.records()) {
    if (!submit_and_wait(**node, r, refusal, acknowledged)) break;
  }
  while ((*node)->health().is_ok()) std::this_thread::yield();
  const Status health = (*node)->health();
  EXPECT_EQ(health.code(), Error::Io);
  EXPECT_NE(health.message().find("node stopped: the snapshot at seq 50 could not be written"), std::string::npos)
      << health.message();
  EXPECT_NE(health.message().find("No space left on device"), std::string::npos) << health.message();
  auto t = (*node)->submit(submission_of(s.records().back()), {});
  EXPECT_EQ(t.status().code(), Error::Io);
  (*node)->stop();
  // Counted after stop(): the journal thread may still be running seq 50's completion when the
  // snapshot thread's failure makes the node unhealthy.
  EXPECT_GE(acknowledged.load(), 50u);
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/" + snapshot_file_name(50)));
}

}  // namespace
}  // namespace glassbook::journal
