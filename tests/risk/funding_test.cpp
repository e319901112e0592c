// Funding: impact prices worked by hand, premium samples, the average, the rate's clamp and cap,
// and the per-lot payment with its rounding and zero sum.
#include "risk/funding.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "risk/units.h"

namespace glassbook::risk {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// Two base decimals: quantities are hundredths of a base unit. Notionals 20'000, 40'200, 101'500.
const std::vector<BookLevel> kAsks{{20'000, 100}, {20'100, 200}, {20'300, 500}};

TEST(ImpactPrice, ThreeLevelAskBookByHand) {
  // 80'000 quote: 20'000 (1.00 base) + 40'200 (2.00 base) + 19'800 of the third level, that is
  // 19'800 / 20'300 = 0.97537 base. Average = 80'000 / 3.97537 = 20'123.9157 -> ceil 20'124.
  EXPECT_EQ(impact_price(kAsks, 80'000, 2, true), std::optional<int64_t>(20'124));
  // The same levels rounded as a bid side: floor.
  EXPECT_EQ(impact_price(kAsks, 80'000, 2, false), std::optional<int64_t>(20'123));
}

TEST(ImpactPrice, EndingExactlyOnALevel) {
  // 60'200 takes the first two levels whole: 60'200 / 3.00 = 20'066.67 -> ask 20'067, bid 20'066.
  EXPECT_EQ(impact_price(kAsks, 60'200, 2, true), std::optional<int64_t>(20'067));
  EXPECT_EQ(impact_price(kAsks, 60'200, 2, false), std::optional<int64_t>(20'066));
  // Inside the first level the average is its price.
  EXPECT_EQ(impact_price(kAsks, 7, 2, true), std::optional<int64_t>(20'000));
  EXPECT_EQ(impact_price(kAsks, 20'000, 2, false), std::optional<int64_t>(20'000));
}

TEST(ImpactPrice, PartialLastLevelOnTheBidSide) {
  // Bids 100 x 10, 99 x 10, 97 x 10 (no decimals). 1'500: 1'000 at 100 (10 base), then 500 at 99 =
  // 5.0505 base. Average = 1'500 / 15.0505 = 99.664 -> floor 99 for a bid (ceil 100 for an ask).
  const std::vector<BookLevel> bids{{100, 10}, {99, 10}, {97, 10}};
  EXPECT_EQ(impact_price(bids, 1'500, 0, false), std::optional<int64_t>(99));
  EXPECT_EQ(impact_price(bids, 1'500, 0, true), std::optional<int64_t>(100));
}

TEST(ImpactPrice, TooThinEmptyOrBadInputIsNone) {
  // The whole book is 161'700 quote for 8.00 base: 20'212.5.
  EXPECT_EQ(impact_price(kAsks, 161'700, 2, true), std::optional<int64_t>(20'213));
  EXPECT_EQ(impact_price(kAsks, 161'701, 2, true), std::nullopt);  // one quote unit too thin
  EXPECT_EQ(impact_price({}, 1, 2, true), std::nullopt);
  EXPECT_EQ(impact_price(kAsks, 0, 2, true), std::nullopt);
  EXPECT_EQ(impact_price(kAsks, -5, 2, false), std::nullopt);
  EXPECT_EQ(impact_price(kAsks, 100, -1, true), std::nullopt);
  EXPECT_EQ(impact_price(kAsks, 100, 19, true), std::nullopt);
  const std::vector<BookLevel> zero_price{{0, 10}, {100, 10}};
  EXPECT_EQ(impact_price(zero_price, 100, 0, true), std::nullopt);
  const std::vector<BookLevel> zero_quantity{{100, 0}, {100, 10}};
  EXPECT_EQ(impact_price(zero_quantity, 100, 0, true), std::nullopt);
}

TEST(ImpactPrice, LargeMagnitudesAreExact) {
  // 18 base decimals (int64 holds 9.22 whole units): 4 units a level at 3'000.000000 and
  // 3'001.000000 (6 quote decimals). 20'000 whole quote: 12'000 from the first level, 8'000 / 3'001
  // units from the second. Average = 2e28 * 3.001e9 / (4e18 * 3.001e9 + 8e27) = 3'000'399'920.016
  // (the product 6e37 needs 126 bits).
  const std::vector<BookLevel> eth{{3'000'000'000, 4'000'000'000'000'000'000},
                                   {3'001'000'000, 4'000'000'000'000'000'000}};
  EXPECT_EQ(impact_price(eth, 20'000'000'000, 18, true), std::optional<int64_t>(3'000'399'921));
  EXPECT_EQ(impact_price(eth, 20'000'000'000, 18, false), std::optional<int64_t>(3'000'399'920));
  // 10 units of 9 each would be 13.3 units: more base than int64 holds, refused.
  const std::vector<BookLevel> eth9{{3'000'000'000, 9'000'000'000'000'000'000},
                                    {3'001'000'000, 9'000'000'000'000'000'000}};
  EXPECT_EQ(impact_price(eth9, 40'000'000'000, 18, true), std::nullopt);
  EXPECT_EQ(impact_price(eth9, 27'000'000'000, 18, true), std::optional<int64_t>(3'000'000'000));
  // Prices and quantities at the int64 limit: the average is the one price.
  const std::vector<BookLevel> huge{{kMax, kMax}, {kMax, kMax}};
  EXPECT_EQ(impact_price(huge, kMax, 18, true), std::optional<int64_t>(kMax));
  EXPECT_EQ(impact_price(huge, kMax, 0, false), std::optional<int64_t>(kMax));
  // A product above 2^128 (the 256-bit division path), checked against exact rational arithmetic:
  // 7e36 * (kMax - 1) / (5e17 * (kMax - 1) + 7e36 - (kMax - 12'345) * 5e17).
  const std::vector<BookLevel> top{{kMax - 12'345, 500'000'000'000'000'000},
                                   {kMax - 1, 500'000'000'000'000'000}};
  EXPECT_EQ(impact_price(top, 7'000'000'000'000'000'000, 18, true),
            std::optional<int64_t>(9'223'372'036'854'767'674));
  EXPECT_EQ(impact_price(top, 7'000'000'000'000'000'000, 18, false),
            std::optional<int64_t>(9'223'372'036'854'767'673));
  // More than INT64_MAX base units would be taken: refused.
  const std::vector<BookLevel> cheap{{1, kMax}, {1, kMax}};
  EXPECT_EQ(impact_price(cheap, kMax, 0, true), std::optional<int64_t>(1));
  EXPECT_EQ(impact_price(cheap, kMax, 1, true), std::nullopt);
}

TEST(ImpactPrice, TheAverageLiesWithinTheLevelsWalked) {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 5'000; ++round) {
    std::vector<BookLevel> levels;
    int64_t price = 1 + static_cast<int64_t>(rng() % 1'000'000'000);
    int64_t total = 0;
    const int decimals = static_cast<int>(rng() % 9);
    for (int i = 0; i < 1 + static_cast<int>(rng() % 6); ++i) {
      const int64_t q = 1 + static_cast<int64_t>(rng() % 1'000'000);
      levels.push_back({price, q});
      total += static_cast<int64_t>(static_cast<__int128>(price) * q / 100'000'000);
      price += static_cast<int64_t>(rng() % 1'000);
    }
    const int64_t notional = 1 + static_cast<int64_t>(rng() % static_cast<uint64_t>(total + 1));
    const std::optional<int64_t> ask = impact_price(levels, notional, decimals, true);
    const std::optional<int64_t> bid = impact_price(levels, notional, decimals, false);
    ASSERT_EQ(ask.has_value(), bid.has_value());
    if (!ask) continue;
    ASSERT_GE(*bid, levels.front().price);
    ASSERT_LE(*ask, levels.back().price);
    ASSERT_LE(*bid, *ask);
    ASSERT_LE(*ask - *bid, 1);
  }
}

TEST(PremiumSample, Signs) {
  // Impact bid 1% above the index: +1e7 (1%).
  EXPECT_EQ(premium_sample(101'000, 101'500, 100'000), 10'000'000);
  // Impact ask 1% below: -1e7.
  EXPECT_EQ(premium_sample(98'000, 99'000, 100'000), -10'000'000);
  // The index inside the impact spread: 0.
  EXPECT_EQ(premium_sample(99'900, 100'100, 100'000), 0);
  EXPECT_EQ(premium_sample(100'000, 100'000, 100'000), 0);
  // Both sides beyond the index (a crossed pair): the difference.
  EXPECT_EQ(premium_sample(100'300, 99'900, 100'000), 2'000'000);
  // Missing impact prices or a bad index: 0.
  EXPECT_EQ(premium_sample(std::nullopt, 99'000, 100'000), 0);
  EXPECT_EQ(premium_sample(101'000, std::nullopt, 100'000), 0);
  EXPECT_EQ(premium_sample(101'000, 101'500, 0), 0);
}

TEST(PremiumSample, RoundsTowardZeroAndSaturates) {
  EXPECT_EQ(premium_sample(4, 5, 3), 333'333'333);    // 1/3
  EXPECT_EQ(premium_sample(1, 2, 3), -333'333'333);   // -1/3
  EXPECT_EQ(premium_sample(kMax, kMax, 1), kMax);     // (2^63 - 2) * 1e9: saturated
  EXPECT_EQ(premium_sample(0, 0, kMax), -kRateOne);   // the ask at 0: -100%
}

TEST(PremiumAccumulator, AveragesTowardZero) {
  PremiumAccumulator acc;
  EXPECT_EQ(acc.average(), 0);
  acc.add(1);
  acc.add(2);
  EXPECT_EQ(acc.average(), 1);  // 1.5
  acc.reset();
  EXPECT_EQ(acc.count, 0);
  EXPECT_EQ(acc.average(), 0);
  acc.add(-1);
  acc.add(-2);
  EXPECT_EQ(acc.average(), -1);  // -1.5
  acc.add(-3);
  EXPECT_EQ(acc.average(), -2);
}

TEST(PremiumAccumulator, ExtremeSamplesDoNotOverflow) {
  PremiumAccumulator acc;
  for (int i = 0; i < 1'000; ++i) acc.add(kMax);
  EXPECT_EQ(acc.average(), kMax);
  acc.reset();
  for (int i = 0; i < 1'000; ++i) acc.add(kMin);
  EXPECT_EQ(acc.average(), kMin);
  acc.add(kMax);
  EXPECT_LT(acc.average(), 0);
}

// A common setting: interest 0.01% and clamp 0.05% per interval, cap 0.375%.
constexpr FundingRules kRules{100'000, 500'000, 3'750'000};

TEST(FundingRate, NearTheInterestRateItIsTheInterestRate) {
  EXPECT_EQ(funding_rate(100'000, kRules), 100'000);
  EXPECT_EQ(funding_rate(0, kRules), 100'000);
  EXPECT_EQ(funding_rate(550'000, kRules), 100'000);   // I - P = -450'000, inside the clamp
  EXPECT_EQ(funding_rate(-400'000, kRules), 100'000);  // I - P = 500'000, the clamp's edge
}

TEST(FundingRate, FarFromItThePremiumIsPulledByTheClamp) {
  EXPECT_EQ(funding_rate(1'000'000, kRules), 500'000);    // I - P = -900'000 -> -500'000
  EXPECT_EQ(funding_rate(-1'000'000, kRules), -500'000);  // I - P = 1'100'000 -> 500'000
  EXPECT_EQ(funding_rate(-400'001, kRules), 99'999);
}

TEST(FundingRate, TheCapLimitsIt) {
  EXPECT_EQ(funding_rate(10'000'000, kRules), 3'750'000);
  EXPECT_EQ(funding_rate(-10'000'000, kRules), -3'750'000);
  EXPECT_EQ(funding_rate(4'250'000, kRules), 3'750'000);  // 4'250'000 - 500'000: exactly the cap
  EXPECT_EQ(funding_rate(kMax, kRules), 3'750'000);
  EXPECT_EQ(funding_rate(kMin, kRules), -3'750'000);
  EXPECT_EQ(funding_rate(700'000, FundingRules{100'000, 500'000, 0}), 0);
  EXPECT_EQ(funding_rate(700'000, FundingRules{100'000, -5, -5}), 0);  // negatives count as 0
  EXPECT_EQ(funding_rate(700'000, FundingRules{100'000, -5, kMax}), 700'000);
  EXPECT_EQ(funding_rate(kMin, FundingRules{kMax, kMax, kMax}), -1);  // P + kMax, no overflow
}

TEST(FundingPerLot, WorkedByHand) {
  // BTC with 8 decimals, lot 0.001 BTC (100'000), mark 60'000 USDC with 6 decimals: a lot is worth
  // 60 USDC = 60'000'000. At 0.01% it pays 6'000 (0.006 USDC).
  EXPECT_EQ(funding_per_lot(100'000, 60'000'000'000, 100'000, 8), 6'000);
  EXPECT_EQ(funding_per_lot(-100'000, 60'000'000'000, 100'000, 8), -6'000);
  EXPECT_EQ(funding_per_lot(0, 60'000'000'000, 100'000, 8), 0);
}

TEST(FundingPerLot, RoundsTowardZero) {
  // A lot worth 60'000'000: rate 1e-9 -> 0.06 -> 0; 17e-9 -> 1.02 -> 1; 33e-9 -> 1.98 -> 1.
  EXPECT_EQ(funding_per_lot(1, 60'000'000'000, 100'000, 8), 0);
  EXPECT_EQ(funding_per_lot(-1, 60'000'000'000, 100'000, 8), 0);
  EXPECT_EQ(funding_per_lot(17, 60'000'000'000, 100'000, 8), 1);
  EXPECT_EQ(funding_per_lot(-17, 60'000'000'000, 100'000, 8), -1);
  EXPECT_EQ(funding_per_lot(33, 60'000'000'000, 100'000, 8), 1);
  EXPECT_EQ(funding_per_lot(-33, 60'000'000'000, 100'000, 8), -1);
}

TEST(FundingPerLot, ExtremesSaturateAndBadInputIsZero) {
  EXPECT_EQ(funding_per_lot(kMax, kMax, kMax, 0), kMax);
  EXPECT_EQ(funding_per_lot(kMin, kMax, kMax, 0), -kMax);
  EXPECT_EQ(funding_per_lot(kMin, 1, 1, 18), 0);  // 2^63 / 1e27 -> 0
  // 100% of kMax * 1e9 / 1e18 / 1e9 exactly.
  EXPECT_EQ(funding_per_lot(kRateOne, kMax, 1'000'000'000'000'000'000, 18), kMax);
  // A 2^189-sized product divided by 1e27 (checked with exact rational arithmetic).
  EXPECT_EQ(funding_per_lot(123'456'789, 8'999'999'999'999'999'999, 8'123'456'789'012'345'678, 18),
            9'026'063'016'765'432'107);
  EXPECT_EQ(funding_per_lot(-123'456'789, 8'999'999'999'999'999'999, 8'123'456'789'012'345'678, 18),
            -9'026'063'016'765'432'107);
  EXPECT_EQ(funding_per_lot(kRateOne, 0, 1, 0), 0);
  EXPECT_EQ(funding_per_lot(kRateOne, 1, -1, 0), 0);
  EXPECT_EQ(funding_per_lot(kRateOne, 1, 1, 19), 0);
}

TEST(FundingPerLot, PaymentsOverPositionsSummingToZeroLotsSumToZero) {
  std::mt19937_64 rng(4242);
  for (int round = 0; round < 2'000; ++round) {
    const int64_t rate = static_cast<int64_t>(rng() % 20'000'001) - 10'000'000;  // +-1%
    const int64_t mark = 1 + static_cast<int64_t>(rng() % 100'000'000'000);
    const int64_t lot = 1 + static_cast<int64_t>(rng() % 1'000'000);
    const int decimals = static_cast<int>(rng() % 19);
    const int64_t per_lot = funding_per_lot(rate, mark, lot, decimals);
    const size_t n = 2 + rng() % 50;
    std::vector<int64_t> lots;
    int64_t sum_lots = 0;
    for (size_t i = 0; i + 1 < n; ++i) {
      lots.push_back(static_cast<int64_t>(rng() % 2'000'001) - 1'000'000);
      sum_lots += lots.back();
    }
    lots.push_back(-sum_lots);
    __int128 paid = 0;      // by longs
    __int128 received = 0;  // by shorts
    for (int64_t l : lots) {
      const __int128 payment = static_cast<__int128>(l) * per_lot;
      if (l > 0) {
        paid += payment;
      } else {
        received -= payment;
      }
    }
    ASSERT_TRUE(paid == received) << "round " << round;
    // Toward zero: |per_lot| <= |exact| < |per_lot| + 1, with exact = rate * mark * lot / 10^d / 1e9.
    const __int128 exact_num = static_cast<__int128>(rate) * mark * lot;  // < 2^127
    const __int128 magnitude = exact_num < 0 ? -exact_num : exact_num;
    __int128 den = 1'000'000'000;
    for (int i = 0; i < decimals; ++i) den *= 10;
    const __int128 per_lot_magnitude = per_lot < 0 ? -static_cast<__int128>(per_lot) : per_lot;
    ASSERT_TRUE(per_lot_magnitude * den <= magnitude) << "round " << round;
    ASSERT_TRUE(magnitude < (per_lot_magnitude + 1) * den) << "round " << round;
    if (per_lot != 0) {
      ASSERT_EQ(per_lot < 0, rate < 0);
    }
  }
}

TEST(PremiumAccumulator, AddRepeatedWeighsASampleByTheSecondsItStood) {
  PremiumAccumulator a;
  a.add_repeated(100, 3);   // 100 stood three seconds
  a.add_repeated(-200, 1);  // -200 one second
  a.add_repeated(7, 0);     // a burst within one second: nothing
  a.add_repeated(7, -1);
  EXPECT_EQ(a.count, 4);
  EXPECT_EQ(a.average(), (300 - 200) / 4);
  PremiumAccumulator b;
  b.add_repeated(INT64_MAX, INT64_MAX);  // saturates the count, no overflow
  b.add_repeated(INT64_MAX, 5);
  EXPECT_EQ(b.count, INT64_MAX);
  EXPECT_EQ(b.average(), INT64_MAX);
}

}  // namespace
}  // namespace glassbook::risk
