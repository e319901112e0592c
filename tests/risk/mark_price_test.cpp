// Mark price and basis average: worked cases, floor rounding, the manipulation bound, extremes.
#include "risk/mark_price.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "risk/clock_sample.h"
#include "risk/units.h"

namespace glassbook::risk {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kHour = 3'600'000'000;

MarkInputs inputs(int64_t index, int64_t rate, int64_t time_to_funding, int64_t basis,
                  std::optional<int64_t> last_trade) {
  MarkInputs in;
  in.index = index;
  in.funding_rate = rate;
  in.time_to_funding_us = time_to_funding;
  in.funding_interval_us = 8 * kHour;
  in.basis_average = basis;
  in.last_trade = last_trade;
  return in;
}

TEST(BasisAverage, TheFirstSampleSetsTheAverage) {
  BasisAverage b;
  EXPECT_FALSE(b.started);
  b.add(-37, 100'000);
  EXPECT_TRUE(b.started);
  EXPECT_EQ(b.value, -37);
}

TEST(BasisAverage, StepsRoundTowardZero) {
  BasisAverage up;
  up.add(0, 500'000);
  up.add(101, 500'000);  // 0 + 101 * 0.5 = 50.5 -> 50
  EXPECT_EQ(up.value, 50);
  up.add(101, 500'000);  // 50 + 51 * 0.5 = 75.5 -> 75
  EXPECT_EQ(up.value, 75);
  BasisAverage down;
  down.add(0, 500'000);
  down.add(-101, 500'000);  // -50.5 -> -50
  EXPECT_EQ(down.value, -50);
  BasisAverage small;
  small.add(1'000, 1);
  small.add(1'999, 1);  // a step of 999 * 1e-6 truncates to 0
  EXPECT_EQ(small.value, 1'000);
  BasisAverage whole;
  whole.add(5, 1'000'000);
  whole.add(-9, 1'000'000);  // alpha 100%: the sample itself
  EXPECT_EQ(whole.value, -9);
}

TEST(BasisAverage, AlphaOutsideItsRangeIsClamped) {
  BasisAverage zero;
  zero.add(0, 0);
  zero.add(2'000'000, 0);  // alpha counts as 1 ppm: 2'000'000 * 1e-6 = 2
  EXPECT_EQ(zero.value, 2);
  BasisAverage big;
  big.add(0, 5'000'000);
  big.add(123, 5'000'000);  // alpha counts as 100%
  EXPECT_EQ(big.value, 123);
}

TEST(BasisAverage, ExtremeSamplesDoNotOverflow) {
  BasisAverage b;
  b.add(kMin, 1'000'000);
  b.add(kMax, 1'000'000);
  EXPECT_EQ(b.value, kMax);
  b.add(kMin, 500'000);  // kMax + (kMin - kMax) / 2 = kMax - (2^64 - 1) / 2 -> toward zero
  EXPECT_EQ(b.value, 0);
  b.add(kMin, 999'999);
  EXPECT_LE(b.value, 0);
  EXPECT_GE(b.value, kMin);
}

TEST(MarkPrice, WithNothingElseItIsTheIndex) {
  EXPECT_EQ(mark_price(inputs(100'000, 0, 4 * kHour, 0, std::nullopt)), 100'000);
  EXPECT_EQ(mark_price(inputs(100'000, 0, 4 * kHour, 0, 100'000)), 100'000);
}

TEST(MarkPrice, WorkedByHand) {
  // rate 0.1% per 8 h, 4 h to go: p1 = 100'000 * (1 + 0.001 * 0.5) = 100'050; p2 = 100'000 + 30.
  const int64_t rate = kRateOne / 1'000;
  EXPECT_EQ(mark_price(inputs(100'000, rate, 4 * kHour, 30, 100'040)), 100'040);  // trade between
  EXPECT_EQ(mark_price(inputs(100'000, rate, 4 * kHour, 30, 200'000)), 100'050);  // stops at p1
  EXPECT_EQ(mark_price(inputs(100'000, rate, 4 * kHour, 30, 1)), 100'030);        // stops at p2
  EXPECT_EQ(mark_price(inputs(100'000, rate, 4 * kHour, 30, std::nullopt)), 100'030);  // p3 = index
  // At funding time (0 to go) p1 is the index.
  EXPECT_EQ(mark_price(inputs(100'000, rate, 0, 30, 200'000)), 100'030);
}

TEST(MarkPrice, P1RoundsDown) {
  // index 100'001, rate -0.1%, the whole interval to go: 100'001 * 0.999 = 99'900.999 -> 99'900.
  const int64_t rate = -kRateOne / 1'000;
  EXPECT_EQ(mark_price(inputs(100'001, rate, 8 * kHour, -1'000, kMax)), 99'900);
  // +0.1%: 100'001 * 1.001 = 100'101.001 -> 100'101.
  EXPECT_EQ(mark_price(inputs(100'001, -rate, 8 * kHour, 1'000, 1)), 100'101);
  // Time to funding beyond the interval counts as the whole interval; negative as zero.
  EXPECT_EQ(mark_price(inputs(100'001, -rate, 80 * kHour, 1'000, 1)), 100'101);
  EXPECT_EQ(mark_price(inputs(100'001, -rate, -5, 1'000, 1)), 100'001);
}

TEST(MarkPrice, NeverBelowOne) {
  // p1 = 1 * (1 - 100%) = 0 and p2 = 1 - 1000 both clamp to 1.
  EXPECT_EQ(mark_price(inputs(1, -kRateOne, 8 * kHour, -1'000, -50)), 1);
  EXPECT_EQ(mark_price(inputs(1, -kRateOne, 8 * kHour, -1'000, std::nullopt)), 1);
  MarkInputs no_interval = inputs(10, 0, 0, -100, 0);
  no_interval.funding_interval_us = 0;  // bad input: p1 is the index
  EXPECT_EQ(mark_price(no_interval), 1);
}

TEST(MarkPrice, ExtremesSaturate) {
  EXPECT_EQ(mark_price(inputs(kMax, kMax, 8 * kHour, kMax, kMax)), kMax);
  EXPECT_EQ(mark_price(inputs(kMax, kMin, 8 * kHour, kMin, kMin)), 1);
  EXPECT_EQ(mark_price(inputs(kMax, kMin, 8 * kHour, kMax, 7)), 7);  // p1 = 1, p2 = kMax
  MarkInputs in = inputs(kMax, kMax, kMax, 0, 0);
  in.funding_interval_us = kMax;
  EXPECT_EQ(mark_price(in), kMax);  // p1 saturates high, p2 = index = kMax
}

// p1 and p2 as the header defines them, for inputs small enough that index * rate * t fits 128 bits.
int64_t reference_p1(const MarkInputs& in) {
  const __int128 num = static_cast<__int128>(in.index) * in.funding_rate * in.time_to_funding_us;
  const __int128 den = static_cast<__int128>(in.funding_interval_us) * kRateOne;
  __int128 q = num / den;
  if (num % den != 0 && num < 0) q -= 1;
  return static_cast<int64_t>(std::max<__int128>(1, in.index + q));
}

TEST(MarkPrice, NoLastTradeCanMoveItOutsideP1AndP2) {
  std::mt19937_64 rng(7);
  const std::vector<int64_t> absurd{1, 0, -1, kMax / 4, kMax, kMin, 2, kMax - 1};
  for (int round = 0; round < 5'000; ++round) {
    const int64_t index = 1 + static_cast<int64_t>(rng() % 1'000'000'000'000);
    const int64_t rate = static_cast<int64_t>(rng() % 200'000'001) - 100'000'000;  // +-10%
    const int64_t interval = 1 + static_cast<int64_t>(rng() % (8 * kHour));
    const int64_t t = static_cast<int64_t>(rng() % static_cast<uint64_t>(interval + 1));
    const int64_t basis = static_cast<int64_t>(rng() % 2'000'000'001) - 1'000'000'000;
    MarkInputs in = inputs(index, rate, t, basis, std::nullopt);
    in.funding_interval_us = interval;
    const int64_t p1 = reference_p1(in);
    const int64_t p2 = std::max<int64_t>(1, index + basis);
    std::vector<std::optional<int64_t>> trades{std::nullopt, p1, p2, index};
    for (int64_t a : absurd) trades.push_back(a);
    trades.push_back(static_cast<int64_t>(rng()));
    for (const auto& trade : trades) {
      in.last_trade = trade;
      const int64_t mark = mark_price(in);
      ASSERT_GE(mark, std::min(p1, p2)) << "round " << round;
      ASSERT_LE(mark, std::max(p1, p2)) << "round " << round;
      ASSERT_GE(mark, 1);
    }
    in.last_trade = 1;
    const int64_t low = mark_price(in);
    in.last_trade = kMax / 4;
    const int64_t high = mark_price(in);
    ASSERT_EQ(low, std::min(p1, p2));
    ASSERT_EQ(high, std::max(p1, p2));
  }
}

TEST(MarkPrice, CapKeepsItWithinTheCapPlusTheFundingTerm) {
  // A basis of +5% and a print at +5%: the median alone would say 105'000.
  MarkInputs in = inputs(100'000, 0, 4 * kHour, 5'000, 105'000);
  EXPECT_EQ(mark_price(in), 105'000);
  in.cap_ppm = 10'000;  // 1%
  EXPECT_EQ(mark_price(in), 101'000);
  in.basis_average = -5'000;
  in.last_trade = 95'000;
  EXPECT_EQ(mark_price(in), 99'000);
  // The funding term widens the band on its own side: rate 0.1% per 8 h, 4 h to go: p1 = 100'050.
  in.funding_rate = kRateOne / 1'000;
  in.basis_average = 5'000;
  in.last_trade = 105'000;
  EXPECT_EQ(mark_price(in), 101'050);
  in.basis_average = -5'000;
  in.last_trade = 95'000;
  EXPECT_EQ(mark_price(in), 99'000);  // p1 = 100'050 is above the index: the lower end stays
  // Inside the band nothing changes; the lower end never goes below 1.
  in.basis_average = 30;
  in.last_trade = 100'040;
  EXPECT_EQ(mark_price(in), 100'040);
  EXPECT_EQ(mark_price(MarkInputs{1, 0, 0, 1, -100, 1, 999'999}), 1);
}

TEST(BasisAverage, AddRepeatedIsRepeatedAddUpToTheHourCap) {
  BasisAverage a, b;
  a.add(0, 100'000);
  b.add(0, 100'000);
  a.add_repeated(1'000'000, 7, 100'000);
  for (int i = 0; i < 7; ++i) b.add(1'000'000, 100'000);
  EXPECT_EQ(a, b);
  a.add_repeated(5, 0, 100'000);
  a.add_repeated(5, -3, 100'000);
  EXPECT_EQ(a, b);
  BasisAverage c, d;
  c.add(0, 1);
  d.add(0, 1);
  c.add_repeated(1'000'000'000, 1'000'000'000'000, 1);  // a gap of 31,000 years counts as an hour
  d.add_repeated(1'000'000'000, BasisAverage::kMaxBasisSteps, 1);
  EXPECT_EQ(c, d);
}

TEST(ClockSample, CountsWholeSecondBoundariesTheValueStoodAt) {
  ClockSample s;
  EXPECT_EQ(s.boundaries_until(5'000'000), 0);  // nothing stands yet
  s.set(7, 1'999'999);
  EXPECT_EQ(s.boundaries_until(1'999'999), 0);
  EXPECT_EQ(s.boundaries_until(2'000'000), 1);  // the boundary at 2 s
  EXPECT_EQ(s.boundaries_until(2'999'999), 1);
  EXPECT_EQ(s.boundaries_until(12'000'000), 11);
  EXPECT_EQ(s.boundaries_until(1'000'000), 0);  // earlier: nothing
  s.clear(12'000'000);
  EXPECT_EQ(s.boundaries_until(20'000'000), 0);  // no value stood
}

}  // namespace
}  // namespace glassbook::risk
