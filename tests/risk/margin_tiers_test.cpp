// Tiered margin: hand-worked values, exact rounding, continuity at boundaries, monotonicity, and
// the validation rules.
#include "risk/margin_tiers.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace glassbook::risk {
namespace {

// Up to 50,000 at 1% / 0.5%, up to 250,000 at 2% / 1%, up to 1,000,000 at 5% / 2.5%.
// Initial deductions: 0, 50,000 * 1% = 500, 500 + 250,000 * 3% = 8,000.
// Maintenance deductions: 0, 50,000 * 0.5% = 250, 250 + 250,000 * 1.5% = 4,000.
const std::vector<MarginTier> kTiers{
    {50'000, 10'000, 5'000},
    {250'000, 20'000, 10'000},
    {1'000'000, 50'000, 25'000},
};

// Tier k's formula at `notional`, as the exact 1e6-scaled value (independent of the code under test).
__int128 scaled_with_tier(const std::vector<MarginTier>& t, size_t k, int64_t notional, bool initial) {
  auto rate = [&](size_t i) -> __int128 { return initial ? t[i].initial_ppm : t[i].maintenance_ppm; };
  __int128 deduction = 0;
  for (size_t j = 1; j <= k; ++j) {
    deduction += static_cast<__int128>(t[j - 1].max_notional) * (rate(j) - rate(j - 1));
  }
  return rate(k) * notional - deduction;
}

int64_t ceil_ppm(__int128 scaled) { return static_cast<int64_t>((scaled + 999'999) / 1'000'000); }

TEST(MarginTiers, TheExampleTableIsValid) {
  EXPECT_TRUE(validate_tiers(kTiers).is_ok());
}

TEST(MarginTiers, HandWorkedInitialMargin) {
  EXPECT_EQ(initial_margin(kTiers, 0), 0);
  EXPECT_EQ(initial_margin(kTiers, 40'000), 400);       // 1%
  EXPECT_EQ(initial_margin(kTiers, 50'000), 500);       // 1%, the first tier's edge
  EXPECT_EQ(initial_margin(kTiers, 100'000), 1'500);    // 2% - 500
  EXPECT_EQ(initial_margin(kTiers, 250'000), 4'500);    // 2% - 500
  EXPECT_EQ(initial_margin(kTiers, 500'000), 17'000);   // 5% - 8,000
  EXPECT_EQ(initial_margin(kTiers, 1'000'000), 42'000); // 5% - 8,000
  EXPECT_EQ(initial_margin(kTiers, 2'000'000), 92'000); // above the table: the last tier
}

TEST(MarginTiers, HandWorkedMaintenanceMargin) {
  EXPECT_EQ(maintenance_margin(kTiers, 0), 0);
  EXPECT_EQ(maintenance_margin(kTiers, 40'000), 200);
  EXPECT_EQ(maintenance_margin(kTiers, 50'000), 250);
  EXPECT_EQ(maintenance_margin(kTiers, 100'000), 750);      // 1% - 250
  EXPECT_EQ(maintenance_margin(kTiers, 500'000), 8'500);    // 2.5% - 4,000
  EXPECT_EQ(maintenance_margin(kTiers, 1'000'000), 21'000); // 2.5% - 4,000
}

TEST(MarginTiers, FractionsRoundUp) {
  EXPECT_EQ(initial_margin(kTiers, 1), 1);     // 0.01
  EXPECT_EQ(initial_margin(kTiers, 99), 1);    // 0.99
  EXPECT_EQ(initial_margin(kTiers, 100), 1);   // exactly 1
  EXPECT_EQ(initial_margin(kTiers, 101), 2);   // 1.01
  EXPECT_EQ(maintenance_margin(kTiers, 50'001), 251);  // 500.01 - 250 = 250.01
}

TEST(MarginTiers, DeductionsAreExactNotRoundedPerTier) {
  // Initial deduction of the second tier: 3 * (0.5 - 0.333333) = 0.500001.
  const std::vector<MarginTier> t{{3, 333'333, 1}, {10, 500'000, 2}};
  if (!validate_tiers(t).is_ok()) {
    FAIL() << validate_tiers(t).to_string();
  }
  EXPECT_EQ(initial_margin(t, 3), 1);   // 0.999999
  EXPECT_EQ(initial_margin(t, 5), 2);   // 2.5 - 0.500001 = 1.999999 (3 with a floored deduction)
  EXPECT_EQ(initial_margin(t, 10), 5);  // 5 - 0.500001 = 4.499999
}

TEST(MarginTiers, ContinuousAtEveryBoundary) {
  for (size_t k = 0; k + 1 < kTiers.size(); ++k) {
    const int64_t edge = kTiers[k].max_notional;
    for (bool initial : {true, false}) {
      const __int128 own = scaled_with_tier(kTiers, k, edge, initial);
      const __int128 next = scaled_with_tier(kTiers, k + 1, edge, initial);
      EXPECT_TRUE(own == next) << "tier " << k;
      const int64_t m = initial ? initial_margin(kTiers, edge) : maintenance_margin(kTiers, edge);
      EXPECT_EQ(m, ceil_ppm(next)) << "tier " << k;
      // One unit above the edge costs at most one unit more at the next tier's rate (<= 1).
      const int64_t above = initial ? initial_margin(kTiers, edge + 1) : maintenance_margin(kTiers, edge + 1);
      EXPECT_EQ(above, ceil_ppm(scaled_with_tier(kTiers, k + 1, edge + 1, initial)));
      EXPECT_LE(above - m, 1);
    }
  }
}

TEST(MarginTiers, MonotoneAndMaintenanceBelowInitialOverASweep) {
  int64_t last_im = 0;
  int64_t last_mm = 0;
  for (int64_t n = 0; n <= 1'200'000; n += 997) {
    for (int64_t x : {n, n + 1}) {
      const int64_t im = initial_margin(kTiers, x);
      const int64_t mm = maintenance_margin(kTiers, x);
      if (im < last_im || mm < last_mm || mm > im || im > x) {
        FAIL() << "at " << x << ": im " << im << " mm " << mm;
      }
      last_im = im;
      last_mm = mm;
    }
  }
  for (const MarginTier& t : kTiers) {
    for (int64_t x : {t.max_notional - 1, t.max_notional, t.max_notional + 1}) {
      if (initial_margin(kTiers, x) > initial_margin(kTiers, x + 1)) {
        FAIL() << "initial margin decreases after " << x;
      }
      if (maintenance_margin(kTiers, x) > maintenance_margin(kTiers, x + 1)) {
        FAIL() << "maintenance margin decreases after " << x;
      }
    }
  }
}

TEST(MarginTiers, ExtremeNotionalDoesNotOverflow) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  const std::vector<MarginTier> t{{1'000, 10'000, 5'000}, {max, 1'000'000, 999'999}};
  if (!validate_tiers(t).is_ok()) {
    FAIL() << validate_tiers(t).to_string();
  }
  // 1e6-scaled: 1e6 * max - 1,000 * 990,000; the exact ceiling is max - 990.
  EXPECT_EQ(initial_margin(t, max), max - 990);
  // 999,999 * max - 1,000 * 994,999, over 1e6, rounded up.
  const __int128 scaled = static_cast<__int128>(999'999) * max - static_cast<__int128>(1'000) * 994'999;
  EXPECT_EQ(maintenance_margin(t, max), ceil_ppm(scaled));
}

TEST(MarginTiers, InvalidTablesAreRefused) {
  auto refused = [](std::vector<MarginTier> t) { return validate_tiers(t).code() == Error::InvalidConfig; };
  EXPECT_TRUE(refused({}));  // no tier
  std::vector<MarginTier> many;
  for (int i = 1; i <= 17; ++i) many.push_back({i * 1'000, 10'000 + i, 5'000 + i});
  EXPECT_TRUE(refused(many));  // 17 tiers
  many.pop_back();
  EXPECT_TRUE(validate_tiers(many).is_ok());  // 16 are allowed
  EXPECT_TRUE(refused({{0, 10'000, 5'000}}));                              // max_notional 0
  EXPECT_TRUE(refused({{-5, 10'000, 5'000}}));                             // negative
  EXPECT_TRUE(refused({{100, 10'000, 5'000}, {100, 20'000, 10'000}}));     // not strictly increasing
  EXPECT_TRUE(refused({{100, 10'000, 5'000}, {50, 20'000, 10'000}}));      // decreasing
  EXPECT_TRUE(refused({{100, 10'000, 0}}));                                // maintenance 0
  EXPECT_TRUE(refused({{100, 10'000, -1}}));                               // maintenance negative
  EXPECT_TRUE(refused({{100, 10'000, 10'000}}));                           // maintenance == initial
  EXPECT_TRUE(refused({{100, 10'000, 20'000}}));                           // maintenance > initial
  EXPECT_TRUE(refused({{100, 1'000'001, 5'000}}));                         // initial above 100%
  EXPECT_TRUE(validate_tiers(std::vector<MarginTier>{{100, 1'000'000, 999'999}}).is_ok());  // 100% ok
  EXPECT_TRUE(refused({{100, 20'000, 5'000}, {200, 10'000, 5'000}}));      // initial decreases
  EXPECT_TRUE(refused({{100, 20'000, 10'000}, {200, 30'000, 5'000}}));     // maintenance decreases
  EXPECT_TRUE(validate_tiers(std::vector<MarginTier>{{100, 20'000, 10'000}, {200, 20'000, 10'000}}).is_ok());
}

}  // namespace
}  // namespace glassbook::risk
