// QueryPool: a bounded queue of reads and the lower-priority threads that run them.
#include "api/query_pool.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

namespace glassbook::api {

namespace {
// The options within their documented ranges.
QueryPoolOptions within_limits(QueryPoolOptions o) {
  o.threads = std::clamp<size_t>(o.threads, 1, 64);
  o.capacity = std::clamp<size_t>(o.capacity, 1, size_t{1} << 20);
  return o;
}
}  // namespace

QueryPool::QueryPool(QueryPoolOptions options) : options_(within_limits(options)) {
  threads_.reserve(options_.threads);
  for (size_t i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this] {
      ::pthread_setname_np(::pthread_self(), "gb-query");
      // Raising one's own nice value needs no privilege; a failure leaves the default priority.
      if (options_.nice > 0) {
        const int now = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
        (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), std::min(19, now + options_.nice));
      }
      run();
    });
  }
}

QueryPool::~QueryPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void QueryPool::post(Query query) {
  {
    std::lock_guard lock(mu_);
    if (queue_.size() < options_.capacity && !stopping_) {
      queue_.push_back(std::move(query));
      query = nullptr;
    }
  }
  if (query) return query(false);
  cv_.notify_one();
}

size_t QueryPool::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void QueryPool::run() {
  for (;;) {
    Query query;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has run
      query = std::move(queue_.front());
      queue_.pop_front();
    }
    query(true);
  }
}

}  // namespace glassbook::api
