// QueryPool: queries run on the pool's threads, in order; a full queue refuses at once on the
// caller's thread; what is queued still runs when the pool is destroyed.
#include "api/query_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <thread>
#include <vector>

namespace glassbook::api {
namespace {

TEST(QueryPool, RunsQueriesOnItsOwnThreadInOrder) {
  std::vector<int> ran;
  std::thread::id where;
  {
    QueryPool pool(QueryPoolOptions{1, 64, 5});
    for (int i = 0; i < 50; ++i)
      pool.post([&ran, &where, i](bool run) {
        ASSERT_TRUE(run);
        ran.push_back(i);
        where = std::this_thread::get_id();
      });
  }  // the destructor runs what is queued
  ASSERT_EQ(ran.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(ran[static_cast<size_t>(i)], i);
  EXPECT_NE(where, std::this_thread::get_id());
}

TEST(QueryPool, AFullQueueRefusesAtOnceOnTheCallersThread) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  std::atomic<int> runs{0}, refusals{0};
  std::thread::id refused_on;
  {
    QueryPool pool(QueryPoolOptions{1, 3, 0});
    pool.post([&](bool run) {  // holds the one thread until released
      EXPECT_TRUE(run);
      started.set_value();
      released.wait();
      ++runs;
    });
    started.get_future().wait();
    for (int i = 0; i < 3; ++i) pool.post([&](bool run) { run ? ++runs : ++refusals; });
    EXPECT_EQ(pool.queued(), 3u);
    pool.post([&](bool run) {
      EXPECT_FALSE(run);
      refused_on = std::this_thread::get_id();
      ++refusals;
    });
    EXPECT_EQ(refusals.load(), 1);
    EXPECT_EQ(refused_on, std::this_thread::get_id());
    release.set_value();
  }
  EXPECT_EQ(runs.load(), 4);
  EXPECT_EQ(refusals.load(), 1);
}

TEST(QueryPool, ManyThreadsShareTheQueue) {
  std::atomic<int> runs{0};
  {
    QueryPool pool(QueryPoolOptions{4, 10'000, 0});
    std::vector<std::thread> posters;
    for (int t = 0; t < 4; ++t)
      posters.emplace_back([&pool, &runs] {
        for (int i = 0; i < 1'000; ++i) pool.post([&runs](bool run) { runs += run ? 1 : 1'000'000; });
      });
    for (auto& p : posters) p.join();
  }
  EXPECT_EQ(runs.load(), 4'000);
}

}  // namespace
}  // namespace glassbook::api
