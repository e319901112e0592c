// Auto-deleveraging order: hand-worked scores, leverage, exclusions, ties and saturation.
#include "risk/adl_rank.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace glassbook::risk {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(AdlRank, HandWorkedOrder) {
  const std::vector<AdlCandidate> c{
      {16, 100, 1'000, 1'100, 500},    // 10% * 2.2x: 100,000 * 1,100 / 500 = 220,000
      {17, 50, 1'000, 1'050, 100},     // 5% * 10.5x: 50,000 * 1,050 / 100 = 525,000
      {18, 300, 1'000, 1'300, 2'600},  // 30% * 0.5x: 300,000 * 1,300 / 2,600 = 150,000
  };
  EXPECT_EQ(adl_score(c[0]), 220'000);
  EXPECT_EQ(adl_score(c[1]), 525'000);
  EXPECT_EQ(adl_score(c[2]), 150'000);
  EXPECT_EQ(adl_order(c), (std::vector<size_t>{1, 0, 2}));
}

TEST(AdlRank, ScoresRoundDownInBothSteps) {
  // 1 * 1e6 / 3 = 333,333; * 2 / 3 = 222,222 (the exact product would be 222,222.2).
  EXPECT_EQ(adl_score(AdlCandidate{16, 1, 3, 2, 3}), 222'222);
}

TEST(AdlRank, HigherLeverageWithTheSamePnlRatioRanksFirst) {
  const std::vector<AdlCandidate> c{
      {16, 100, 1'000, 1'100, 1'100},  // 10% at 1x: 100,000
      {99, 100, 1'000, 1'100, 110},    // 10% at 10x: 1,000,000
  };
  EXPECT_EQ(adl_order(c), (std::vector<size_t>{1, 0}));
}

TEST(AdlRank, LosersAndEmptyPositionsAreExcluded) {
  const std::vector<AdlCandidate> c{
      {16, 0, 1'000, 1'000, 500},    // no profit
      {17, -50, 1'000, 950, 500},    // a loss
      {18, 100, 1'000, 1'100, 0},    // no equity
      {19, 100, 1'000, 1'100, -10},  // negative equity
      {20, 100, 0, 1'100, 500},      // no cost
      {21, 100, 1'000, 0, 500},      // no position
      {22, 10, 1'000, 1'010, 500},   // the only one ranked
  };
  EXPECT_EQ(adl_order(c), (std::vector<size_t>{6}));
  EXPECT_EQ(adl_score(c[1]), 0);
  EXPECT_TRUE(adl_order(std::vector<AdlCandidate>{}).empty());
}

TEST(AdlRank, TiesGoToTheLowerAccountId) {
  const std::vector<AdlCandidate> c{
      {30, 100, 1'000, 1'100, 500},
      {20, 100, 1'000, 1'100, 500},
      {25, 100, 1'000, 1'100, 500},
      {40, 200, 1'000, 1'200, 500},  // higher score, first
  };
  EXPECT_EQ(adl_order(c), (std::vector<size_t>{3, 1, 2, 0}));
}

TEST(AdlRank, ExactBeyond64BitsAndSaturating) {
  // The intermediate 1e18 * 1e12 needs 128 bits; the score is 1e18 exactly.
  EXPECT_EQ(adl_score(AdlCandidate{16, 1'000'000'000'000, 1, 1'000'000'000'000, 1'000'000'000'000}),
            1'000'000'000'000'000'000);
  // Quotient above INT64_MAX without overflowing 128 bits.
  EXPECT_EQ(adl_score(AdlCandidate{16, kMax, 1, 1'000'000, 1}), kMax);
  // The 128-bit product itself overflows.
  EXPECT_EQ(adl_score(AdlCandidate{16, kMax, 1, kMax, 1}), kMax);
  EXPECT_EQ(adl_score(AdlCandidate{16, kMax, 1, kMax, kMax}), kMax);
  // Huge but not saturated: 1e6 * max / max.
  EXPECT_EQ(adl_score(AdlCandidate{16, kMax, kMax, kMax, kMax}), 1'000'000);

  const std::vector<AdlCandidate> c{
      {50, kMax, 1, kMax, 1},
      {16, 1, 1'000, 10, 1},
      {40, kMax, 1, kMax, 2},
  };
  EXPECT_EQ(adl_order(c), (std::vector<size_t>{2, 0, 1}));  // two saturated: by account id
}

}  // namespace
}  // namespace glassbook::risk
