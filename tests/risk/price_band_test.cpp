// Price bands: inward rounding, the floor of 1, saturation, and inclusive bounds.
#include "risk/price_band.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace glassbook::risk {
namespace {

TEST(PriceBand, ExactBand) {
  const PriceBand b = band_around(1'000'000, 50'000);  // 5%
  EXPECT_EQ(b.lower, 950'000);
  EXPECT_EQ(b.upper, 1'050'000);
}

TEST(PriceBand, RoundsInward) {
  // 101 * 0.95 = 95.95 -> 96; 101 * 1.05 = 106.05 -> 106.
  const PriceBand b = band_around(101, 50'000);
  EXPECT_EQ(b.lower, 96);
  EXPECT_EQ(b.upper, 106);
  // A band narrower than one unit is the reference alone.
  const PriceBand c = band_around(7, 1);
  EXPECT_EQ(c.lower, 7);
  EXPECT_EQ(c.upper, 7);
}

TEST(PriceBand, LowerIsAtLeastOne) {
  const PriceBand b = band_around(10, 1'000'000);  // 100%
  EXPECT_EQ(b.lower, 1);
  EXPECT_EQ(b.upper, 20);
  const PriceBand c = band_around(1, 999'999);  // ceil(0.000001) = 1
  EXPECT_EQ(c.lower, 1);
  EXPECT_EQ(c.upper, 1);
}

TEST(PriceBand, UpperSaturatesForHugeReferences) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const PriceBand b = band_around(max, 1'000'000);
  EXPECT_EQ(b.upper, max);
  EXPECT_EQ(b.lower, 1);
  const PriceBand c = band_around(max / 2, 1);
  EXPECT_EQ(c.upper, max / 2 + (max / 2) / 1'000'000);
  EXPECT_EQ(c.lower, max / 2 - (max / 2) / 1'000'000);
}

TEST(PriceBand, WithinIsInclusive) {
  const PriceBand b = band_around(1'000'000, 50'000);
  EXPECT_TRUE(within(b, 950'000));
  EXPECT_TRUE(within(b, 1'000'000));
  EXPECT_TRUE(within(b, 1'050'000));
  EXPECT_FALSE(within(b, 949'999));
  EXPECT_FALSE(within(b, 1'050'001));
}

TEST(PriceBand, ContainsTheReferenceAlways) {
  for (int64_t ref : {int64_t{1}, int64_t{2}, int64_t{999}, int64_t{1'000'003}}) {
    for (int32_t ppm : {1, 333, 500'000, 1'000'000}) {
      const PriceBand b = band_around(ref, ppm);
      if (!within(b, ref) || b.lower < 1) {
        FAIL() << "ref " << ref << " ppm " << ppm;
      }
    }
  }
}

}  // namespace
}  // namespace glassbook::risk
