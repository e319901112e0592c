// A fixed pool of worker threads that runs one data-parallel check at a time over indices 0..n-1,
// the calling thread included: used to verify signatures on all cores.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace glassbook {

class WorkerPool {
 public:
  // `threads` workers besides the caller; 0 means hardware_concurrency() - 1.
  explicit WorkerPool(unsigned threads = 0);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Runs check(i) for every i in [0, n) on all threads and returns the smallest i for which it
  // returned false, or n when none did. Every index below the returned one has been checked and
  // passed. `check` must be safe to call concurrently. Not reentrant: one call at a time.
  size_t first_failure(size_t n, const std::function<bool(size_t)>& check);

  unsigned threads() const { return static_cast<unsigned>(workers_.size()) + 1; }

 private:
  static constexpr size_t kChunk = 32;  // indices a thread takes at a time
  void work();
  void run_chunks();

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable done_;
  uint64_t generation_ = 0;  // one per first_failure call
  unsigned busy_ = 0;        // workers still in the current call
  bool stopping_ = false;

  // The current call (valid while busy).
  const std::function<bool(size_t)>* check_ = nullptr;
  size_t n_ = 0;
  std::atomic<size_t> next_{0};
  std::atomic<size_t> first_bad_{0};
};

}  // namespace glassbook
