// Checked arithmetic: overflow is reported, never wrapped; 128-bit mul-div rounds as documented.
#include <gtest/gtest.h>

#include "core/checked.h"

namespace glassbook {
namespace {

TEST(Checked, AddSubMulOverflow) {
  EXPECT_EQ(checked_add(1, 2), 3);
  EXPECT_FALSE(checked_add(INT64_MAX, 1));
  EXPECT_FALSE(checked_sub(INT64_MIN, 1));
  EXPECT_EQ(checked_sub(0, INT64_MAX), -INT64_MAX);
  EXPECT_FALSE(checked_mul(INT64_MAX / 2 + 1, 2));
  EXPECT_EQ(checked_mul(-3, 4), -12);
}

TEST(Checked, MulDivUses128BitIntermediates) {
  // 10^12 * 10^12 overflows int64 but the quotient fits.
  EXPECT_EQ(mul_div_floor(1'000'000'000'000, 1'000'000'000'000, 1'000'000'000'000), 1'000'000'000'000);
  EXPECT_FALSE(mul_div_floor(INT64_MAX, INT64_MAX, 1));
  EXPECT_FALSE(mul_div_floor(1, 1, 0));
}

TEST(Checked, Rounding) {
  EXPECT_EQ(mul_div_floor(7, 1, 2), 3);
  EXPECT_EQ(mul_div_ceil(7, 1, 2), 4);
  EXPECT_EQ(mul_div_ceil(8, 1, 2), 4);
  EXPECT_EQ(mul_div_floor(-7, 1, 2), -4);
  EXPECT_EQ(mul_div_ceil(-7, 1, 2), -3);
  EXPECT_EQ(mul_div_ceil(1, 500, 1'000'000), 1);  // a fee on one unit rounds up to one unit
  EXPECT_EQ(mul_div_ceil(0, 500, 1'000'000), 0);
}

}  // namespace
}  // namespace glassbook
