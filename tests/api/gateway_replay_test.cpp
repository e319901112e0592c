// The gateway's replay guard beside its rate limit and the sequencer: replays cost their owner
// nothing, a request the sequencer refused may be retried, and one signed request acts at most once.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "api/gateway.h"
#include "gateway_rig.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;

std::string order_body(int client_id) {
  return fmt::format(R"({{"symbol":"SOL_USDC","side":"Bid","orderType":"Limit","price":"150.25","quantity":"1","clientId":{}}})", client_id);
}
std::string order_text(int client_id) {
  return fmt::format("instruction=orderExecute&clientId={}&orderType=Limit&price=150.25&quantity=1&side=Bid&symbol=SOL_USDC&timestamp={}&window=5000",
                     client_id, kNow);
}
HttpRequest order(GatewayRig& rig, int client_id) {
  return rig.request(rig.alice_, "POST", "/api/v1/order", order_body(client_id), order_text(client_id));
}

TEST(GatewayReplay, ReplaysAreRefusedBeforeTheOwnersRateLimitIsCharged) {
  GatewayRig rig;
  // Two requests in the bucket and (the test's clock never moves) no refill.
  rig.restart_gateway([](GatewayOptions& o) { o.per_key = RateLimit{0.001, 2}; });
  ASSERT_EQ(rig.call(order(rig, 1)).status, 200u);
  for (int i = 0; i < 20; ++i) {
    HttpResponse replay = rig.call(order(rig, 1));
    ASSERT_EQ(code_of(replay), "INVALID_CLIENT_REQUEST") << "replay " << i << ": " << replay.body;
    ASSERT_NE(replay.body.find("duplicate"), std::string::npos) << replay.body;
  }
  // The owner's next order still has its token.
  HttpResponse next = rig.call(order(rig, 2));
  EXPECT_EQ(next.status, 200u) << next.body;
  // After a restart the engine's memory refuses the replays, again before any charge.
  rig.restart_gateway([](GatewayOptions& o) { o.per_key = RateLimit{0.001, 1}; });
  for (int i = 0; i < 5; ++i) EXPECT_EQ(code_of(rig.call(order(rig, 1))), "INVALID_CLIENT_REQUEST");
  HttpResponse after_restart = rig.call(order(rig, 3));
  EXPECT_EQ(after_restart.status, 200u) << after_restart.body;
}

// Replays are now checked before the limit is charged: a request the limit then refuses is
// forgotten again, so its retry once the bucket has refilled is not taken for a replay.
TEST(GatewayReplay, ARequestRefusedByTheRateLimitMayBeSentAgain) {
  GatewayRig rig;
  auto clock = std::make_shared<std::atomic<int64_t>>(kNow);
  rig.restart_gateway([clock](GatewayOptions& o) {
    o.per_key = RateLimit{1, 1};
    o.now_ms = [clock] { return clock->load(); };
  });
  ASSERT_EQ(rig.call(order(rig, 1)).status, 200u);
  HttpResponse limited = rig.call(order(rig, 2));
  ASSERT_EQ(code_of(limited), "TOO_MANY_REQUESTS") << limited.body;
  *clock += 1000;  // one token back, well inside the request's 5 s window
  HttpResponse retried = rig.call(order(rig, 2));
  EXPECT_EQ(retried.status, 200u) << retried.body;
}

// Holds the journal thread inside on_durable while closed, so the sequencer's queues fill.
struct JournalGate {
  std::mutex mu;
  std::condition_variable cv;
  bool closed = false;
  void close() {
    std::lock_guard lk(mu);
    closed = true;
  }
  void open() {
    {
      std::lock_guard lk(mu);
      closed = false;
    }
    cv.notify_all();
  }
  void pass() {
    std::unique_lock lk(mu);
    cv.wait(lk, [this] { return !closed; });
  }
};

TEST(GatewayReplay, ARequestRefusedAsOverloadedMayBeRetried) {
  std::atomic<int> accepted = 0, completed = 0;  // before the rig: its node runs completions as it stops
  auto gate = std::make_shared<JournalGate>();
  GatewayRig rig({}, [gate](journal::NodeOptions& no) {
    no.sequencer.normal_capacity = 1;
    no.sequencer.max_in_flight = 1;
    no.on_durable = [gate, inner = no.on_durable](const engine::Command& c, std::span<const engine::Event> ev) {
      gate->pass();
      inner(c, ev);
    };
  });
  struct OpenOnExit {
    JournalGate& gate;
    ~OpenOnExit() { gate.open(); }  // a failed assertion must not leave the node unable to stop
  } open_on_exit{*gate};
  gate->close();
  // Deposits fill the in-flight window and the queue behind the held journal thread.
  const AccountId alice = *rig.view_->account_of(rig.alice_.public_key());
  bool full = false;
  for (uint64_t i = 0; i < 64 && !full; ++i) {
    auto sc = engine::sign_command(rig.watcher_, 0, 0, engine::Deposit{alice, 2, 1, 9000 + i});
    auto t = rig.node_->submit(journal::submission_of(sc), [&](SeqNo, Timestamp, std::span<const engine::Event>) { ++completed; });
    if (t) ++accepted;
    else full = t.status().code() == Error::Overloaded;
  }
  ASSERT_TRUE(full);
  HttpResponse refused = rig.call(order(rig, 1));
  EXPECT_EQ(code_of(refused), "TOO_MANY_REQUESTS") << refused.body;
  gate->open();
  for (int i = 0; i < 20'000 && completed < accepted; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(completed, accepted);
  const uint64_t before = rig.journaled();
  HttpResponse retried = rig.call(order(rig, 1));
  EXPECT_EQ(retried.status, 200u) << retried.body;
  EXPECT_EQ(rig.journaled(), before + 1);
}

TEST(GatewayReplay, ConcurrentCopiesOfOneRequestAreSequencedOnce) {
  GatewayRig rig;
  const uint64_t before = rig.journaled();
  constexpr int kCopies = 8;
  std::atomic<int> ok = 0, duplicates = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < kCopies; ++i)
    threads.emplace_back([&] {
      HttpResponse r = rig.call(order(rig, 1));
      if (r.status == 200) ++ok;
      else if (r.body.find("duplicate") != std::string::npos) ++duplicates;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(duplicates, kCopies - 1);
  EXPECT_EQ(rig.journaled(), before + 1);
}

}  // namespace
}  // namespace glassbook::api
