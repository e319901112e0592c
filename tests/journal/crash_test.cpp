// Crash tests: a child process runs a node and reports every acknowledged command on a pipe; the
// parent kills it with SIGKILL at a random point, many times. Recovery must hold every acknowledged
// command, in the seq it was acknowledged with, and its state must equal replaying the journal.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <random>

#include "journal/audit.h"
#include "journal/recovery.h"
#include "node_test_util.h"

namespace glassbook::journal {
namespace {

using namespace testing;

struct Ack {
  uint64_t seq;
  uint64_t index;  // of the submitted record
};

// The child: opens the node, submits every record, writes an Ack for each completion. Never returns.
[[noreturn]] void run_child(const std::string& dir, const Session& s, int fd) {
  auto o = options_for(dir, s);
  o.snapshot_every = 200;
  o.checkpoint_every = 50;
  auto node = Node::open(o);
  if (!node.is_ok()) _exit(3);
  const auto& records = s.records();
  // Like clients that wait for their answers: a few commands at a time, each group durable before
  // the next is sent, so the journal syncs often and a kill lands anywhere in the run.
  std::atomic<size_t> completed{0};
  std::mt19937_64 rng(dir.size());
  size_t sent = 0;
  while (sent < records.size()) {
    const size_t group = std::min(records.size() - sent, static_cast<size_t>(1 + rng() % 24));
    for (size_t i = sent; i < sent + group; ++i) {
      for (;;) {
        auto t = (*node)->submit(submission_of(records[i]), [fd, i, &completed](SeqNo seq, Timestamp, std::span<const engine::Event>) {
          const Ack a{seq, i};
          if (::write(fd, &a, sizeof a) != static_cast<ssize_t>(sizeof a)) _exit(4);
          completed.fetch_add(1);
        });
        if (t.is_ok()) break;
        if (t.status().code() != Error::Overloaded) _exit(5);
        ::usleep(50);
      }
    }
    sent += group;
    while (completed.load() < sent) ::usleep(20);
  }
  (*node)->stop();
  _exit(0);
}

TEST(Crash, EveryAcknowledgedCommandSurvivesSigkill) {
  Session s;
  s.trade(8, 3000, 31);
  const auto& records = s.records();
  std::mt19937_64 rng(77);
  int killed_mid_run = 0;
  for (int round = 0; round < 16; ++round) {
    TempDir dir;
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      run_child(dir.path(), s, fds[1]);
    }
    ::close(fds[1]);
    // Kill after a random number of acknowledgements (sometimes before any).
    const uint64_t kill_after = round % 4 == 0 ? 0 : rng() % records.size();
    if (kill_after == 0) ::usleep(static_cast<useconds_t>(rng() % 30'000));
    std::vector<Ack> acks;
    bool killed = false;
    for (;;) {
      if (!killed && acks.size() >= kill_after) {
        ::kill(pid, SIGKILL);
        killed = true;
      }
      Ack a;
      const ssize_t n = ::read(fds[0], &a, sizeof a);
      if (n == 0) break;  // the child is gone and the pipe is drained
      ASSERT_EQ(n, static_cast<ssize_t>(sizeof a));
      acks.push_back(a);
    }
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) ++killed_mid_run;
    else ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;

    // Recovery (snapshot + tail) and the records it finds.
    auto rec = open_and_recover(dir.path());
    if (acks.empty() && !rec.is_ok()) continue;  // killed before genesis was durable: nothing was promised
    ASSERT_TRUE(rec.is_ok()) << "round " << round << ": " << rec.status().to_string();
    for (const Ack& a : acks) {
      ASSERT_GE(rec->records.size(), a.seq) << "round " << round << ": acknowledged seq " << a.seq << " lost";
      EXPECT_EQ(rec->records[a.seq - 1].signed_bytes, records[a.index].signed_bytes) << "round " << round << " seq " << a.seq;
    }
    // The node recovers to the state of replaying every durable record (from its snapshot if any).
    auto node = Node::open(options_for(dir.path(), s));
    ASSERT_TRUE(node.is_ok()) << "round " << round << ": " << node.status().to_string();
    (*node)->stop();
    AuditOptions o;
    o.verify_signatures = round % 3 == 0;  // signatures on some rounds: the slow part
    auto audit = audit_journal(dir.path(), o);
    ASSERT_TRUE(audit.is_ok());
    EXPECT_EQ(audit->divergence, "") << "round " << round;
    const auto note = (*node)->latest_checkpoint();
    ASSERT_TRUE(note.has_value());
    auto cp = verify_checkpoint(*note, (*node)->log_verifier().value());
    ASSERT_TRUE(cp.is_ok());
    EXPECT_EQ(cp->tree_size, rec->records.size() + 1);
    EXPECT_EQ(cp->state_root, audit->state_root) << "round " << round;
  }
  EXPECT_GT(killed_mid_run, 8);
}

}  // namespace
}  // namespace glassbook::journal
