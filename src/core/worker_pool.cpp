// WorkerPool: chunks handed out by an atomic counter; the smallest failing index wins.
#include "core/worker_pool.h"

#include <algorithm>

namespace glassbook {

WorkerPool::WorkerPool(unsigned threads) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency()) - 1;
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void WorkerPool::run_chunks() {
  for (;;) {
    const size_t begin = next_.fetch_add(kChunk, std::memory_order_relaxed);
    // Chunks past a known failure cannot lower the answer.
    if (begin >= n_ || begin >= first_bad_.load(std::memory_order_relaxed)) return;
    const size_t end = std::min(n_, begin + kChunk);
    for (size_t i = begin; i < end; ++i) {
      if (!(*check_)(i)) {
        size_t cur = first_bad_.load(std::memory_order_relaxed);
        while (i < cur && !first_bad_.compare_exchange_weak(cur, i, std::memory_order_relaxed)) {
        }
        break;
      }
    }
  }
}

void WorkerPool::work() {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    run_chunks();
    {
      std::lock_guard lock(mu_);
      if (--busy_ == 0) done_.notify_one();
    }
  }
}

size_t WorkerPool::first_failure(size_t n, const std::function<bool(size_t)>& check) {
  if (n == 0) return 0;
  {
    std::lock_guard lock(mu_);
    check_ = &check;
    n_ = n;
    next_.store(0, std::memory_order_relaxed);
    first_bad_.store(n, std::memory_order_relaxed);
    busy_ = static_cast<unsigned>(workers_.size());
    ++generation_;
  }
  wake_.notify_all();
  run_chunks();
  std::unique_lock lock(mu_);
  done_.wait(lock, [&] { return busy_ == 0; });
  check_ = nullptr;
  return first_bad_.load(std::memory_order_relaxed);
}

}  // namespace glassbook
