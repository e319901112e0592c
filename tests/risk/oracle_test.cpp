// Index aggregation: freshness, quorum, the cap band, its effect on the median, and extreme values.
#include "risk/oracle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "risk/median.h"

namespace glassbook::risk {
namespace {

constexpr Timestamp kNow = 1'700'000'000'000'000;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

OracleSample at(int64_t value, Timestamp time = kNow) { return {value, time, true}; }

OracleRules rules(uint32_t quorum = 1, int32_t cap_ppm = 20'000, int64_t staleness_us = 10'000'000) {
  return {staleness_us, cap_ppm, quorum};
}

TEST(Oracle, FiveAgreeingSourcesGiveTheirMedian) {
  const std::vector<OracleSample> s{at(100'000), at(100'010), at(99'990), at(100'005), at(99'995)};
  EXPECT_EQ(aggregate_index(s, kNow, rules(3)), std::optional<int64_t>(100'000));
  EXPECT_EQ(fresh_count(s, kNow, 10'000'000), 5u);
}

TEST(Oracle, AStaleSourceIsIgnored) {
  // The stale one would move the median of five to 100'010; without it the four give (100'000 +
  // 100'010) / 2.
  const std::vector<OracleSample> s{at(100'000), at(100'010), at(99'990), at(100'020),
                                    at(500'000, kNow - 10'000'001)};
  EXPECT_EQ(fresh_count(s, kNow, 10'000'000), 4u);
  EXPECT_EQ(aggregate_index(s, kNow, rules(3)), std::optional<int64_t>(100'005));
}

TEST(Oracle, FreshnessBoundaryAndFutureSamples) {
  const std::vector<OracleSample> edge{at(100, kNow - 10'000'000)};  // exactly the limit: fresh
  EXPECT_EQ(fresh_count(edge, kNow, 10'000'000), 1u);
  const std::vector<OracleSample> past{at(100, kNow - 10'000'001)};
  EXPECT_EQ(fresh_count(past, kNow, 10'000'000), 0u);
  const std::vector<OracleSample> future{at(100, kNow + 3'600'000'000)};  // ahead of our clock
  EXPECT_EQ(fresh_count(future, kNow, 10'000'000), 1u);
  EXPECT_EQ(aggregate_index(future, kNow, rules()), std::optional<int64_t>(100));
}

TEST(Oracle, AbsentAndNonPositiveSamplesDoNotCount) {
  const std::vector<OracleSample> s{at(100), OracleSample{200, kNow, false}, at(0), at(-5), at(102)};
  EXPECT_EQ(fresh_count(s, kNow, 10'000'000), 2u);
  EXPECT_EQ(aggregate_index(s, kNow, rules(2)), std::optional<int64_t>(101));
  EXPECT_EQ(aggregate_index(s, kNow, rules(3)), std::nullopt);
}

TEST(Oracle, ASourcePrintingFortyPercentLowIsCappedAndBarelyMovesTheIndex) {
  const std::vector<OracleSample> four{at(100'000), at(100'004), at(100'002), at(100'006)};
  std::vector<OracleSample> five = four;
  five.push_back(at(60'000));  // -40%
  const std::optional<int64_t> without = aggregate_index(four, kNow, rules(3));
  const std::optional<int64_t> with = aggregate_index(five, kNow, rules(3));
  ASSERT_TRUE(without.has_value());
  ASSERT_TRUE(with.has_value());
  EXPECT_EQ(*without, 100'003);
  EXPECT_EQ(*with, 100'002);  // median 100'002; 60'000 is capped to 100'002 - 2'000 = 98'002
  EXPECT_LE(std::max(*with, *without) - std::min(*with, *without), 1);
}

TEST(Oracle, QuorumNotMetFreezesTheIndex) {
  const std::vector<OracleSample> s{at(100), at(101), at(999, kNow - 20'000'000)};
  EXPECT_EQ(fresh_count(s, kNow, 10'000'000), 2u);
  EXPECT_EQ(aggregate_index(s, kNow, rules(3)), std::nullopt);
  EXPECT_EQ(aggregate_index(s, kNow, rules(2)), std::optional<int64_t>(100));
}

TEST(Oracle, AllStaleOrNoSamplesFreezesTheIndex) {
  const std::vector<OracleSample> stale{at(100, kNow - 11'000'000), at(101, kNow - 12'000'000)};
  EXPECT_EQ(aggregate_index(stale, kNow, rules(1)), std::nullopt);
  EXPECT_EQ(aggregate_index({}, kNow, rules(1)), std::nullopt);
  EXPECT_EQ(aggregate_index({}, kNow, rules(0)), std::nullopt);  // a quorum of 0 still needs one
}

TEST(Oracle, MoreSourcesThanTheLimitFreezeTheIndex) {
  const std::vector<OracleSample> at_limit(kMaxOracleSources, at(100));
  EXPECT_EQ(aggregate_index(at_limit, kNow, rules()), std::optional<int64_t>(100));
  const std::vector<OracleSample> over(kMaxOracleSources + 1, at(100));
  EXPECT_EQ(aggregate_index(over, kNow, rules()), std::nullopt);
  EXPECT_EQ(fresh_count(over, kNow, 10'000'000), kMaxOracleSources + 1);
}

// Worked by hand, even count: 100, 104, 300, 1000 with a 10% cap.
//   m = floor((104 + 300) / 2) = 202; d = floor(202 * 100'000 / 1e6) = floor(20.2) = 20;
//   band [182, 222]; capped values 182, 182, 222, 222; median = (182 + 222) / 2 = 202.
// And with an odd middle sum: 100, 103, 300, 1000: m = floor(403 / 2) = 201, d = floor(20.1) = 20,
//   band [181, 221], capped 181, 181, 221, 221, median 201.
// Capping moves every value but cannot move the median (monotone clamp, band symmetric about m):
// the capped values' median is m whatever the cap.
TEST(Oracle, CappingAnEvenCountByHandLeavesTheMedian) {
  const std::vector<OracleSample> a{at(100), at(104), at(300), at(1000)};
  EXPECT_EQ(aggregate_index(a, kNow, rules(1, 100'000)), std::optional<int64_t>(202));
  const std::vector<OracleSample> b{at(100), at(103), at(300), at(1000)};
  EXPECT_EQ(aggregate_index(b, kNow, rules(1, 100'000)), std::optional<int64_t>(201));
  EXPECT_EQ(aggregate_index(b, kNow, rules(1, 0)), std::optional<int64_t>(201));
  EXPECT_EQ(aggregate_index(b, kNow, rules(1, 1)), std::optional<int64_t>(201));
  EXPECT_EQ(aggregate_index(b, kNow, rules(1, -5)), std::optional<int64_t>(201));  // counts as 0
}

TEST(Oracle, CappedMedianEqualsThePlainMedianOnRandomInputs) {
  std::mt19937_64 rng(20240611);
  for (int round = 0; round < 20'000; ++round) {
    const size_t n = 1 + rng() % 9;
    std::vector<OracleSample> s;
    std::vector<int64_t> values;
    const int64_t scale = (round % 3 == 0) ? kMax : 1'000;
    for (size_t i = 0; i < n; ++i) {
      const int64_t v = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(scale));
      s.push_back(at(v));
      values.push_back(v);
    }
    const int32_t cap = static_cast<int32_t>(rng() % 2'000'000);
    const std::optional<int64_t> index = aggregate_index(s, kNow, rules(1, cap));
    ASSERT_TRUE(index.has_value());
    ASSERT_EQ(*index, median(values)) << "round " << round;
  }
}

TEST(Oracle, ValuesNearInt64MaxDoNotOverflow) {
  const std::vector<OracleSample> odd{at(kMax), at(kMax - 1), at(kMax - 2)};
  EXPECT_EQ(aggregate_index(odd, kNow, rules(1, 500'000)), std::optional<int64_t>(kMax - 1));
  EXPECT_EQ(aggregate_index(odd, kNow, rules(1, std::numeric_limits<int32_t>::max())),
            std::optional<int64_t>(kMax - 1));  // upper band far above INT64_MAX
  const std::vector<OracleSample> even{at(kMax), at(kMax), at(1), at(kMax - 10)};
  // m = floor((kMax - 10 + kMax) / 2) = kMax - 5; the 1 is capped up to m - floor(m / 2).
  EXPECT_EQ(aggregate_index(even, kNow, rules(1, 500'000)), std::optional<int64_t>(kMax - 5));
  // Timestamps at the extremes: the age 2^64 - 1 is taken in 128 bits and is stale.
  const std::vector<OracleSample> ancient{at(5, std::numeric_limits<Timestamp>::min())};
  EXPECT_EQ(fresh_count(ancient, std::numeric_limits<Timestamp>::max(), kMax), 0u);
  EXPECT_EQ(fresh_count(ancient, 0, kMax), 0u);  // age 2^63: one past the largest limit
  const std::vector<OracleSample> oldest_fresh{at(5, std::numeric_limits<Timestamp>::min() + 1)};
  EXPECT_EQ(fresh_count(oldest_fresh, 0, kMax), 1u);  // age 2^63 - 1
}

}  // namespace
}  // namespace glassbook::risk
