// The median of a few integers: odd and even counts, extremes, and the median of three.
#include "risk/median.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace glassbook::risk {
namespace {

TEST(Median, OddCountIsTheMiddleValue) {
  std::vector<int64_t> v{5, 1, 9, 3, 7};
  EXPECT_EQ(median(v), 5);
}

TEST(Median, EvenCountIsTheFlooredMeanOfTheMiddlePair) {
  std::vector<int64_t> v{4, 1, 2, 9};
  EXPECT_EQ(median(v), 3);  // (2 + 4) / 2
  std::vector<int64_t> w{1, 2};
  EXPECT_EQ(median(w), 1);  // 1.5 floors to 1
  std::vector<int64_t> neg{-1, -2};
  EXPECT_EQ(median(neg), -2);  // -1.5 floors to -2
}

TEST(Median, ExtremesDoNotOverflow) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> v{max, max - 2};
  EXPECT_EQ(median(v), max - 1);
  const int64_t min = std::numeric_limits<int64_t>::min();
  std::vector<int64_t> w{min, max};
  EXPECT_EQ(median(w), -1);
}

TEST(Median, MedianOfThreeInEveryOrder) {
  EXPECT_EQ(median3(1, 2, 3), 2);
  EXPECT_EQ(median3(3, 2, 1), 2);
  EXPECT_EQ(median3(2, 3, 1), 2);
  EXPECT_EQ(median3(1, 3, 2), 2);
  EXPECT_EQ(median3(5, 5, 1), 5);
  EXPECT_EQ(median3(-7, 100, 100), 100);
}

}  // namespace
}  // namespace glassbook::risk
