// A shared mutex that lets a waiting writer in before new readers, so a stream of readers can never starve the one writer.
#pragma once
#include <pthread.h>

#include "core/assert.h"

namespace glassbook {

// std::shared_mutex on glibc prefers readers: while readers overlap one another, a writer waits, for
// as long as they keep overlapping. Where one thread must write to keep everyone else's answers
// coming (the journal thread folding durable commands into the view, which every order's answer
// waits for) and many threads read (every query, on every I/O thread), a storm of queries, the very
// traffic of a crash, would hold back every answer. Here, once a writer waits, new readers wait
// behind it; readers must not take the lock twice in one thread (a recursive read could deadlock
// behind a waiting writer). Meets the SharedMutex requirements (std::shared_lock, std::unique_lock).
class WriterFirstSharedMutex {
 public:
  WriterFirstSharedMutex() {
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    [[maybe_unused]] const int rc = pthread_rwlock_init(&lock_, &attr);
    GB_ASSERT(rc == 0);
    pthread_rwlockattr_destroy(&attr);
  }
  ~WriterFirstSharedMutex() { pthread_rwlock_destroy(&lock_); }
  WriterFirstSharedMutex(const WriterFirstSharedMutex&) = delete;
  WriterFirstSharedMutex& operator=(const WriterFirstSharedMutex&) = delete;

  void lock() { pthread_rwlock_wrlock(&lock_); }
  bool try_lock() { return pthread_rwlock_trywrlock(&lock_) == 0; }
  void unlock() { pthread_rwlock_unlock(&lock_); }
  void lock_shared() { pthread_rwlock_rdlock(&lock_); }
  bool try_lock_shared() { return pthread_rwlock_tryrdlock(&lock_) == 0; }
  void unlock_shared() { pthread_rwlock_unlock(&lock_); }

 private:
  pthread_rwlock_t lock_;
};

}  // namespace glassbook
