// WorkerPool: every index is checked, the smallest failure is reported, and the pool is reusable.
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <vector>

#include "core/worker_pool.h"

namespace glassbook {
namespace {

TEST(WorkerPool, ChecksEveryIndexExactlyOnceWhenAllPass) {
  WorkerPool pool(3);
  std::vector<std::atomic<int>> seen(10'000);
  EXPECT_EQ(pool.first_failure(seen.size(), [&](size_t i) {
    seen[i].fetch_add(1);
    return true;
  }), seen.size());
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i].load(), 1) << i;
}

TEST(WorkerPool, ReportsTheSmallestFailingIndex) {
  WorkerPool pool(3);
  std::mt19937_64 rng(3);
  for (int round = 0; round < 200; ++round) {
    const size_t n = 1 + rng() % 5000;
    std::vector<char> bad(n, 0);
    size_t expected = n;
    for (int k = 0; k < 3; ++k) {
      size_t i = rng() % n;
      bad[i] = 1;
      expected = std::min(expected, i);
    }
    if (round % 5 == 0) {
      std::fill(bad.begin(), bad.end(), 0);
      expected = n;
    }
    ASSERT_EQ(pool.first_failure(n, [&](size_t i) { return bad[i] == 0; }), expected) << "round " << round;
  }
}

TEST(WorkerPool, WorksWithNoExtraThreadsAndWithNothingToDo) {
  WorkerPool pool(0);
  EXPECT_GE(pool.threads(), 1u);
  EXPECT_EQ(pool.first_failure(0, [](size_t) { return false; }), 0u);
  EXPECT_EQ(pool.first_failure(100, [](size_t i) { return i != 63; }), 63u);
}

}  // namespace
}  // namespace glassbook
