// The gateway's reads (every GET) run on a pool of their own at a lower priority, so a storm of queries cannot take the cores orders and cancels need.
#pragma once
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace glassbook::api {

struct QueryPoolOptions {
  size_t threads = 1;       // [1, 64]
  size_t capacity = 1024;   // [1, 1 << 20] queries waiting; beyond it a query is refused at once
  int nice = 5;             // added to the pool threads' nice value (0: the I/O threads' priority)
};

// A query is called once: with true on a pool thread when its turn comes, or with false on the
// caller's thread when the queue is full (it must then answer "busy" at once, without the work).
using Query = std::function<void(bool run)>;

// Why: the I/O threads parse, verify and submit orders and cancels; if they also rendered every
// query, a crowd refreshing trades, books and histories during a crash (a thousand 1,000-trade
// answers a second fill both cores) would queue every order behind the reads, for seconds
// (`bench api`'s phase beside queries). Here reads wait in a bounded queue for threads whose nice
// value lets the scheduler prefer the I/O threads while they are busy, and take any idle core.
class QueryPool {
 public:
  explicit QueryPool(QueryPoolOptions options = {});
  // Runs every query still queued, then joins the threads.
  ~QueryPool();
  QueryPool(const QueryPool&) = delete;
  QueryPool& operator=(const QueryPool&) = delete;

  // Queues `query`, or calls query(false) at once when `capacity` queries already wait.
  void post(Query query);
  size_t queued() const;

 private:
  void run();

  const QueryPoolOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Query> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace glassbook::api
