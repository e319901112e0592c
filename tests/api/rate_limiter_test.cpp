// RateLimiter: burst, refill, wait times, per-key buckets, eviction under the key limit, threads.
#include "api/rate_limiter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace glassbook::api {
namespace {

constexpr uint64_t kSecond = 1'000'000;

TEST(RateLimiter, ANewKeyHasTheWholeBurst) {
  RateLimiter limiter({.per_second = 10, .burst = 5});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(limiter.acquire("1.2.3.4", 1, 1000), 0u) << i;
  // Empty: the next token comes in 1/10 s.
  EXPECT_EQ(limiter.acquire("1.2.3.4", 1, 1000), 100'000u);
  // Another key has its own bucket.
  EXPECT_EQ(limiter.acquire("5.6.7.8", 5, 1000), 0u);
}

TEST(RateLimiter, TokensRefillWithTimeUpToTheBurst) {
  RateLimiter limiter({.per_second = 10, .burst = 5});
  EXPECT_EQ(limiter.acquire("k", 5, 0), 0u);
  EXPECT_GT(limiter.acquire("k", 1, 0), 0u);
  EXPECT_EQ(limiter.acquire("k", 1, 100'000), 0u);  // one token after 0.1 s
  EXPECT_GT(limiter.acquire("k", 1, 100'000), 0u);
  EXPECT_EQ(limiter.acquire("k", 2, 300'000), 0u);  // two more after another 0.2 s
  // A long pause refills only up to the burst.
  EXPECT_EQ(limiter.acquire("k", 5, 100 * kSecond), 0u);
  EXPECT_GT(limiter.acquire("k", 1, 100 * kSecond), 0u);
}

TEST(RateLimiter, WaitIsTheTimeUntilEnoughTokens) {
  RateLimiter limiter({.per_second = 50, .burst = 100});
  EXPECT_EQ(limiter.acquire("k", 100, 0), 0u);
  EXPECT_EQ(limiter.acquire("k", 10, 0), 200'000u);   // 10 tokens at 50/s
  EXPECT_EQ(limiter.acquire("k", 10, 100'000), 100'000u);  // 5 earned, 5 to go
  EXPECT_EQ(limiter.acquire("k", 10, 200'000), 0u);
  // A cost above the burst costs the whole burst instead of never passing.
  EXPECT_EQ(limiter.acquire("big", 1000, 0), 0u);
  EXPECT_GT(limiter.acquire("big", 1, 0), 0u);
}

TEST(RateLimiter, AClockGoingBackRefillsNothing) {
  RateLimiter limiter({.per_second = 10, .burst = 1});
  EXPECT_EQ(limiter.acquire("k", 1, 10 * kSecond), 0u);
  EXPECT_GT(limiter.acquire("k", 1, 5 * kSecond), 0u);
  EXPECT_GT(limiter.acquire("k", 1, 10 * kSecond), 0u);
  EXPECT_EQ(limiter.acquire("k", 1, 10 * kSecond + 100'000), 0u);
}

TEST(RateLimiter, AtTheKeyLimitTheFullestBucketsAreEvicted) {
  RateLimiter limiter({.per_second = 1, .burst = 10}, /*max_keys=*/2);
  EXPECT_EQ(limiter.acquire("drained", 10, 0), 0u);  // 0 tokens left
  EXPECT_EQ(limiter.acquire("light", 1, 0), 0u);     // 9 tokens left
  EXPECT_EQ(limiter.acquire("new", 1, 0), 0u);       // evicts "light", the fullest
  EXPECT_GT(limiter.acquire("drained", 1, 0), 0u);   // still limited: it was kept
  // Later everything has refilled: those buckets go first, and "drained" starts over full.
  EXPECT_EQ(limiter.acquire("newer", 1, 100 * kSecond), 0u);
  EXPECT_EQ(limiter.acquire("drained", 10, 100 * kSecond), 0u);
}

TEST(RateLimiter, ManyKeysStayWithinTheLimit) {
  RateLimiter limiter({.per_second = 1, .burst = 2}, /*max_keys=*/20'000);
  for (int i = 0; i < 100'000; ++i) {
    ASSERT_EQ(limiter.acquire("ip" + std::to_string(i), 1, static_cast<uint64_t>(i)), 0u);
  }
  // A key used once at the end is still remembered.
  EXPECT_EQ(limiter.acquire("ip99999", 1, 100'000), 0u);
  EXPECT_GT(limiter.acquire("ip99999", 1, 100'000), 0u);
}

TEST(RateLimiter, ThreadsShareABucketExactly) {
  RateLimiter limiter({.per_second = 1, .burst = 1000});
  constexpr int kThreads = 4;
  constexpr int kTries = 1000;
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kTries; ++i) {
        if (limiter.acquire("shared", 1, 0) == 0) ++allowed;
        (void)limiter.acquire("own" + std::to_string(t), 1, 0);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(allowed.load(), 1000);  // the burst, no more and no less, with time standing still
  for (int t = 0; t < kThreads; ++t) EXPECT_GT(limiter.acquire("own" + std::to_string(t), 1, 0), 0u);
}

}  // namespace
}  // namespace glassbook::api
