// Group commit's adaptive wait: how long the engine thread waits for more commands before a batch, from the arrival rate.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace glassbook::journal {

// The wait before a batch is taken, so that one fdatasync covers many records under load while a
// lone command at low load is not delayed at all.
struct GroupCommitPolicy {
  // The longest a batch waits for more commands; zero (the default) never waits. At most 100 ms.
  std::chrono::microseconds max_wait{0};
  // A batch worth a sync: no wait once this many commands are waiting. In [1, 1 << 16].
  size_t target_records = 64;
  // Waits only when at least this many more commands are expected within max_wait at the measured
  // rate: below it the load is light and waiting would only add latency. In [1, target_records].
  size_t min_expected = 2;
};

// The policy for a batch that can take at most `most` commands (the room left, the queue's
// capacity): a target out of reach would only make every wait run to its bound, so the target (and
// min_expected with it) is cut to `most`, at least 1. Pure.
GroupCommitPolicy policy_within(const GroupCommitPolicy& policy, size_t most);

// How long to wait for more commands when `waiting` are queued and commands arrive at
// `arrivals_per_second`: zero when waiting is off, when `waiting` already reaches the target, or when
// fewer than min_expected more would arrive within max_wait; otherwise the time the rate needs to
// bring the batch to the target, at most max_wait. Pure.
std::chrono::nanoseconds group_commit_wait(const GroupCommitPolicy& policy, size_t waiting, double arrivals_per_second);

// Commands per second arriving at the sequencer, as an exponentially weighted mean of the rates
// seen between successive observations (each weighs a quarter), so that it follows a change of
// load within a few batches. Not synchronized: its owner, the engine thread, observes it.
class ArrivalRate {
 public:
  // `arrived` commands came in the `elapsed` since the previous observation. False (nothing taken
  // in) when `elapsed` is not positive: the caller keeps its baseline and observes again later.
  bool observe(uint64_t arrived, std::chrono::nanoseconds elapsed);
  double per_second() const { return rate_; }

 private:
  double rate_ = 0;
  bool seen_ = false;
};

}  // namespace glassbook::journal
