// WriterFirstSharedMutex: readers share it, a writer excludes them, and once a writer waits no new
// reader gets in ahead of it (std::shared_mutex lets them in).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "core/writer_first_shared_mutex.h"

namespace glassbook {
namespace {

using namespace std::chrono_literals;

// Holds a read lock, starts a writer, and tries new read locks until one is refused because the
// writer waits (true), or until `patience` has passed with every try let in (false). Bounded in
// time either way; the writer gets in once the first reader leaves.
template <class Mutex>
bool a_waiting_writer_keeps_new_readers_out(std::chrono::milliseconds patience) {
  Mutex m;
  m.lock_shared();
  std::atomic<bool> wrote{false};
  std::thread writer([&] {
    std::unique_lock lock(m);
    wrote = true;
  });
  bool refused = false;
  const auto deadline = std::chrono::steady_clock::now() + patience;
  while (!refused && std::chrono::steady_clock::now() < deadline) {
    if (m.try_lock_shared()) {
      m.unlock_shared();  // the writer is not waiting yet (or readers go first)
      std::this_thread::sleep_for(1ms);
    } else {
      refused = true;
    }
  }
  EXPECT_FALSE(wrote.load());  // the first reader still holds it
  m.unlock_shared();
  writer.join();
  EXPECT_TRUE(wrote.load());
  return refused;
}

TEST(WriterFirstSharedMutex, AWaitingWriterGoesBeforeNewReaders) {
  EXPECT_TRUE(a_waiting_writer_keeps_new_readers_out<WriterFirstSharedMutex>(10s));
}

TEST(WriterFirstSharedMutex, TheStandardSharedMutexLetsNewReadersPassAWaitingWriter) {
  // The behaviour this class exists to change, so that the test above means something here.
  EXPECT_FALSE(a_waiting_writer_keeps_new_readers_out<std::shared_mutex>(300ms));
}

TEST(WriterFirstSharedMutex, ReadersShareAndAWriterExcludes) {
  WriterFirstSharedMutex m;
  m.lock_shared();
  EXPECT_TRUE(m.try_lock_shared());
  EXPECT_FALSE(m.try_lock());
  m.unlock_shared();
  m.unlock_shared();
  ASSERT_TRUE(m.try_lock());
  EXPECT_FALSE(m.try_lock_shared());
  EXPECT_FALSE(m.try_lock());
  m.unlock();
  EXPECT_TRUE(m.try_lock_shared());
  m.unlock_shared();
}

}  // namespace
}  // namespace glassbook
