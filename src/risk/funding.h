// Funding of perpetuals: impact prices, premium index samples and their average, the funding rate
// and what one lot pays per funding.
#pragma once
#include <cstdint>
#include <optional>
#include <span>

namespace glassbook::risk {

// One price level of a book side: price in quote smallest units per whole base unit, quantity in
// base smallest units.
struct BookLevel {
  int64_t price = 0;
  int64_t quantity = 0;
};

// The average price at which a market order of `impact_notional` quote units fills against `levels`
// (best first): levels are taken whole, notional price * quantity / 10^base_decimals each, until the
// impact notional is reached; the last level is taken partially, by the exact (fractional) base
// quantity whose notional is what remains. Average = impact_notional * 10^base_decimals / base taken,
// computed exactly (256-bit product), then rounded away from the book's middle: down (floor) for the
// bid side, up (ceil) for the ask side. It lies within the prices of the levels walked.
// std::nullopt when the levels cannot fill it (too thin or empty), impact_notional <= 0, a level has
// price <= 0 or quantity <= 0, base_decimals is outside 0..18, or the base quantity taken exceeds
// INT64_MAX.
std::optional<int64_t> impact_price(std::span<const BookLevel> levels, int64_t impact_notional,
                                    int base_decimals, bool is_ask_side);

// Premium index sample, 1e-9 units: (max(0, impact_bid - index) - max(0, index - impact_ask)) * 1e9
// / index, rounded toward zero and saturated to the int64 range. 0 when either impact price is
// missing or index <= 0.
int64_t premium_sample(std::optional<int64_t> impact_bid, std::optional<int64_t> impact_ask,
                       int64_t index);

// Average, by count, of the premium samples of one funding interval. The engine adds the premium
// that stood at each whole second (risk/clock_sample.h), so by count is by time. The sum is 128-bit:
// it cannot overflow before 2^63 samples.
struct PremiumAccumulator {
  __int128 sum = 0;
  int64_t count = 0;

  void add(int64_t sample);
  // add(sample) `times` times (times <= 0: nothing), in O(1). count saturates at INT64_MAX.
  void add_repeated(int64_t sample, int64_t times);
  int64_t average() const;  // sum / count rounded toward zero; 0 when empty
  void reset();
};

// Funding parameters, 1e-9 units per funding interval. clamp, cap >= 0 (negative ones count as 0).
struct FundingRules {
  int64_t interest_rate = 0;
  int64_t clamp = 0;
  int64_t cap = 0;

  bool operator==(const FundingRules&) const = default;
};

// rate = P + clamp(I - P, -clamp, +clamp) (so it lies between P and I), then limited to
// [-cap, +cap]. P is the premium average, I the interest rate. 128-bit intermediates.
int64_t funding_rate(int64_t premium_average, const FundingRules& rules);

// What one lot of a long position pays per funding (negative: receives), in quote smallest units:
// rate * mark * lot_size / 10^base_decimals / 1e9, computed exactly (256-bit product) and rounded
// toward zero, saturated to the int64 range. Longs pay this per lot and shorts receive it per lot:
// as every position pays lots * per_lot and the lots of all positions sum to zero, the payments sum
// to exactly zero, and the rounding toward zero means no one pays more than the exact amount.
// 0 when mark <= 0, lot_size <= 0 or base_decimals is outside 0..18.
int64_t funding_per_lot(int64_t rate, int64_t mark, int64_t lot_size, int base_decimals);

}  // namespace glassbook::risk
