// StreamHub: subscribe, publish, unsubscribe, remove, the per-connection limit, failed sends, re-entrant sends.
#include "api/stream_hub.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace glassbook::api {
namespace {

class FakeConnection : public WsConnection {
 public:
  explicit FakeConnection(uint64_t id) : id_(id) {}
  bool send(std::string text) override {
    if (on_send) on_send();
    std::lock_guard lock(mutex);
    if (!accept) return false;
    sent.push_back(std::move(text));
    return true;
  }
  void close(std::string_view) override {}
  uint64_t id() const override { return id_; }
  const std::string& remote_ip() const override { return ip_; }
  size_t sent_count() {
    std::lock_guard lock(mutex);
    return sent.size();
  }

  std::mutex mutex;
  std::vector<std::string> sent;
  bool accept = true;
  std::function<void()> on_send;

 private:
  uint64_t id_;
  std::string ip_ = "127.0.0.1";
};

TEST(StreamHub, PublishReachesEverySubscriberOfTheKey) {
  StreamHub hub;
  auto a = std::make_shared<FakeConnection>(1);
  auto b = std::make_shared<FakeConnection>(2);
  EXPECT_FALSE(hub.has_subscribers("depth.SOL_USDC"));
  ASSERT_TRUE(hub.subscribe(a, "depth.SOL_USDC").is_ok());
  ASSERT_TRUE(hub.subscribe(b, "depth.SOL_USDC").is_ok());
  ASSERT_TRUE(hub.subscribe(b, "trade.SOL_USDC").is_ok());
  EXPECT_TRUE(hub.has_subscribers("depth.SOL_USDC"));
  EXPECT_EQ(hub.subscribers("depth.SOL_USDC"), 2u);
  EXPECT_EQ(hub.subscribers("trade.SOL_USDC"), 1u);
  EXPECT_EQ(hub.subscribers("nobody"), 0u);

  EXPECT_EQ(hub.publish("depth.SOL_USDC", "d1"), 2u);
  EXPECT_EQ(hub.publish("trade.SOL_USDC", "t1"), 1u);
  EXPECT_EQ(hub.publish("nobody", "x"), 0u);
  EXPECT_EQ(a->sent, (std::vector<std::string>{"d1"}));
  EXPECT_EQ(b->sent, (std::vector<std::string>{"d1", "t1"}));
}

TEST(StreamHub, SubscribeIsIdempotentAndUnsubscribeStopsDelivery) {
  StreamHub hub;
  auto a = std::make_shared<FakeConnection>(1);
  ASSERT_TRUE(hub.subscribe(a, "k").is_ok());
  ASSERT_TRUE(hub.subscribe(a, "k").is_ok());
  EXPECT_EQ(hub.subscribers("k"), 1u);
  EXPECT_EQ(hub.publish("k", "once"), 1u);
  EXPECT_EQ(a->sent.size(), 1u);

  hub.unsubscribe(*a, "k");
  hub.unsubscribe(*a, "k");        // not subscribed any more: nothing happens
  hub.unsubscribe(*a, "unknown");  // never subscribed
  EXPECT_FALSE(hub.has_subscribers("k"));
  EXPECT_EQ(hub.publish("k", "gone"), 0u);
  EXPECT_EQ(a->sent.size(), 1u);
}

TEST(StreamHub, RemoveDropsEverySubscriptionOfAConnection) {
  StreamHub hub;
  auto a = std::make_shared<FakeConnection>(1);
  auto b = std::make_shared<FakeConnection>(2);
  ASSERT_TRUE(hub.subscribe(a, "x").is_ok());
  ASSERT_TRUE(hub.subscribe(a, "y").is_ok());
  ASSERT_TRUE(hub.subscribe(b, "y").is_ok());
  hub.remove(*a);
  EXPECT_FALSE(hub.has_subscribers("x"));
  EXPECT_EQ(hub.subscribers("y"), 1u);
  EXPECT_EQ(hub.publish("y", "m"), 1u);
  EXPECT_TRUE(a->sent.empty());
  hub.remove(*a);  // idempotent
  // The released connection is not kept alive by the hub.
  std::weak_ptr<FakeConnection> weak = a;
  a.reset();
  EXPECT_TRUE(weak.expired());
}

TEST(StreamHub, ThePerConnectionLimitHolds) {
  StreamHub hub(3);
  auto a = std::make_shared<FakeConnection>(1);
  auto b = std::make_shared<FakeConnection>(2);
  for (std::string key : {"k0", "k1", "k2"}) ASSERT_TRUE(hub.subscribe(a, key).is_ok());
  const Status over = hub.subscribe(a, "k3");
  EXPECT_EQ(over.code(), Error::InvalidArgument);
  EXPECT_FALSE(hub.has_subscribers("k3"));
  EXPECT_TRUE(hub.subscribe(a, "k0").is_ok());  // an existing one is still fine
  EXPECT_TRUE(hub.subscribe(b, "k3").is_ok());  // the limit is per connection
  hub.unsubscribe(*a, "k1");
  EXPECT_TRUE(hub.subscribe(a, "k3").is_ok());  // room again
  EXPECT_EQ(hub.subscribers("k3"), 2u);
  EXPECT_EQ(hub.subscribe(nullptr, "k").code(), Error::InvalidArgument);
}

TEST(StreamHub, ConnectionsWhoseSendFailsAreDropped) {
  StreamHub hub;
  auto good = std::make_shared<FakeConnection>(1);
  auto dead = std::make_shared<FakeConnection>(2);
  dead->accept = false;
  ASSERT_TRUE(hub.subscribe(good, "k").is_ok());
  ASSERT_TRUE(hub.subscribe(dead, "k").is_ok());
  ASSERT_TRUE(hub.subscribe(dead, "other").is_ok());
  EXPECT_EQ(hub.publish("k", "m"), 1u);
  EXPECT_EQ(hub.subscribers("k"), 1u);
  EXPECT_FALSE(hub.has_subscribers("other"));  // dropped from every key
}

TEST(StreamHub, SendMayReenterTheHub) {
  StreamHub hub;
  auto a = std::make_shared<FakeConnection>(1);
  a->on_send = [&] {
    hub.unsubscribe(*a, "k");
    (void)hub.subscribe(a, "k2");
  };
  ASSERT_TRUE(hub.subscribe(a, "k").is_ok());
  EXPECT_EQ(hub.publish("k", "m"), 1u);  // no deadlock
  EXPECT_FALSE(hub.has_subscribers("k"));
  EXPECT_TRUE(hub.has_subscribers("k2"));
}

TEST(StreamHub, ConcurrentSubscribersAndPublishers) {
  StreamHub hub;
  constexpr int kThreads = 4;
  constexpr int kRounds = 500;
  std::vector<std::shared_ptr<FakeConnection>> connections;
  for (int i = 0; i < kThreads; ++i) connections.push_back(std::make_shared<FakeConnection>(100 + i));
  std::atomic<size_t> published{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto& mine = connections[static_cast<size_t>(t)];
      for (int r = 0; r < kRounds; ++r) {
        (void)hub.subscribe(mine, "shared");
        published += hub.publish("shared", "m");
        if (r % 3 == 0) hub.unsubscribe(*mine, "shared");
        if (r % 7 == 0) hub.remove(*mine);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  size_t received = 0;
  for (auto& c : connections) received += c->sent_count();
  EXPECT_EQ(received, published.load());
  EXPECT_GE(published.load(), static_cast<size_t>(kThreads * kRounds));  // each sees at least its own
}

}  // namespace
}  // namespace glassbook::api
