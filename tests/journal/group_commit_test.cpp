// The adaptive group-commit wait: no wait when off, idle or already full; a bounded wait under load.
#include "journal/group_commit.h"

#include <gtest/gtest.h>

namespace glassbook::journal {
namespace {

using std::chrono::microseconds;
using std::chrono::nanoseconds;

GroupCommitPolicy policy(int64_t max_wait_us, size_t target, size_t min_expected = 2) {
  return GroupCommitPolicy{microseconds(max_wait_us), target, min_expected};
}

TEST(GroupCommitWait, OffNeverWaits) { EXPECT_EQ(group_commit_wait(policy(0, 64), 1, 1e6), nanoseconds(0)); }

TEST(GroupCommitWait, AFullBatchDoesNotWait) {
  EXPECT_EQ(group_commit_wait(policy(500, 64), 64, 20'000), nanoseconds(0));
  EXPECT_EQ(group_commit_wait(policy(500, 64), 200, 20'000), nanoseconds(0));
}

TEST(GroupCommitWait, LowLoadDoesNotWait) {
  // 100 commands/s: 0.05 expected within 500 us, fewer than the 2 that make a wait worth it.
  EXPECT_EQ(group_commit_wait(policy(500, 64), 1, 100), nanoseconds(0));
  // 3,999/s: 1.9995 expected, still under 2; 4,100/s: 2.05, so it waits.
  EXPECT_EQ(group_commit_wait(policy(500, 64), 1, 3'999), nanoseconds(0));
  EXPECT_GT(group_commit_wait(policy(500, 64), 1, 4'100), nanoseconds(0));
  // No rate measured yet (or a nonsense one): no wait.
  EXPECT_EQ(group_commit_wait(policy(500, 64), 1, 0), nanoseconds(0));
  EXPECT_EQ(group_commit_wait(policy(500, 64), 1, -5), nanoseconds(0));
}

TEST(GroupCommitWait, HighLoadWaitsAtMostTheBound) {
  // 10,000/s with 1 waiting: 63 more would take 6.3 ms, so the bound of 500 us decides.
  EXPECT_EQ(group_commit_wait(policy(500, 64), 1, 10'000), nanoseconds(500'000));
}

TEST(GroupCommitWait, WaitsOnlyAsLongAsTheRateNeedsToFillTheBatch) {
  // 1,000,000/s with 14 waiting: 50 more take 50 us.
  EXPECT_EQ(group_commit_wait(policy(500, 64), 14, 1e6), nanoseconds(50'000));
  // 200,000/s with 63 waiting: the last one takes 5 us.
  EXPECT_EQ(group_commit_wait(policy(500, 64), 63, 200'000), nanoseconds(5'000));
}

TEST(GroupCommitWait, MinExpectedSetsTheLoadAtWhichWaitingStarts) {
  // 8.5 expected within 1 ms at 8,500/s: waits with min_expected 8, not with 9.
  EXPECT_EQ(group_commit_wait(policy(1000, 64, 8), 1, 8'500), nanoseconds(1'000'000));
  EXPECT_EQ(group_commit_wait(policy(1000, 64, 9), 1, 8'500), nanoseconds(0));
}

TEST(GroupCommitWait, ATargetOutOfReachIsCutToWhatABatchCanTake) {
  // A lane of 16 (or 16 slots of room) can never hold 64: the target becomes 16, so 16 waiting do not wait.
  const GroupCommitPolicy p = policy_within(policy(500, 64, 2), 16);
  EXPECT_EQ(p.target_records, 16u);
  EXPECT_EQ(p.min_expected, 2u);
  EXPECT_EQ(p.max_wait, microseconds(500));
  EXPECT_EQ(group_commit_wait(p, 16, 1e6), nanoseconds(0));
  EXPECT_GT(group_commit_wait(policy(500, 64, 2), 16, 1e6), nanoseconds(0));  // uncut, it would wait
  // min_expected never exceeds the target, and the target is at least 1.
  EXPECT_EQ(policy_within(policy(500, 64, 8), 4).min_expected, 4u);
  EXPECT_EQ(policy_within(policy(500, 64, 2), 0).target_records, 1u);
  EXPECT_EQ(policy_within(policy(500, 8, 2), 100).target_records, 8u);
}

TEST(ArrivalRate, FirstObservationIsTheRate) {
  ArrivalRate r;
  EXPECT_EQ(r.per_second(), 0);
  EXPECT_TRUE(r.observe(10, std::chrono::milliseconds(1)));
  EXPECT_DOUBLE_EQ(r.per_second(), 10'000);
}

TEST(ArrivalRate, EachObservationWeighsAQuarter) {
  ArrivalRate r;
  r.observe(10, std::chrono::milliseconds(1));  // 10,000/s
  r.observe(2, std::chrono::milliseconds(1));   // 2,000/s
  EXPECT_DOUBLE_EQ(r.per_second(), 8'000);      // 10,000 + (2,000 - 10,000) / 4
  r.observe(0, std::chrono::seconds(1));        // idle: a second without a command
  EXPECT_DOUBLE_EQ(r.per_second(), 6'000);
}

TEST(ArrivalRate, AnIdleSpellStopsTheWaitWithinAFewBatches) {
  ArrivalRate r;
  r.observe(20, std::chrono::milliseconds(1));  // 20,000/s: a wait is worth it
  const GroupCommitPolicy p = policy(500, 64);
  EXPECT_GT(group_commit_wait(p, 1, r.per_second()), nanoseconds(0));
  int batches = 0;
  while (group_commit_wait(p, 1, r.per_second()) > nanoseconds(0)) {
    r.observe(1, std::chrono::milliseconds(100));  // one command every 100 ms
    ++batches;
  }
  EXPECT_LE(batches, 8);
}

TEST(ArrivalRate, NoElapsedTimeIsNotAnObservation) {
  ArrivalRate r;
  r.observe(4, std::chrono::milliseconds(2));
  EXPECT_FALSE(r.observe(7, nanoseconds(0)));
  EXPECT_DOUBLE_EQ(r.per_second(), 2'000);
}

}  // namespace
}  // namespace glassbook::journal
