// The mark price of a perpetual (median of funding-adjusted index, index + basis, last trade) and
// the moving average of its basis.
#pragma once
#include <cstdint>
#include <optional>

namespace glassbook::risk {

// Exponential moving average of (mid - index), sampled by the engine at each index update.
struct BasisAverage {
  int64_t value = 0;
  bool started = false;

  // The first sample sets the average. Later: value += (sample - value) * alpha_ppm / 1e6, the step
  // rounded toward zero, in 128 bits (no overflow for any int64 values; the new value lies between
  // the old value and the sample). alpha_ppm is the new sample's weight, 1..1e6; values outside are
  // clamped into that range.
  void add(int64_t sample, int32_t alpha_ppm);

  bool operator==(const BasisAverage&) const = default;
};

struct MarkInputs {
  int64_t index = 0;                  // > 0
  int64_t funding_rate = 0;           // the current (predicted) funding rate, 1e-9 units (kRateOne = 1.0)
  int64_t time_to_funding_us = 0;     // 0 .. funding_interval_us (clamped into that range)
  int64_t funding_interval_us = 1;    // > 0 (otherwise p1 is the index itself)
  int64_t basis_average = 0;          // BasisAverage::value (0 when not started)
  std::optional<int64_t> last_trade;  // last traded price, if any
};

// mark = median(p1, p2, p3), where
//   p1 = index + floor(index * funding_rate * time_to_funding / (funding_interval * 1e9))
//        (= floor(index * (1 + rate * time_to_funding / interval)), exact, 128-bit intermediates),
//   p2 = index + basis_average,
//   p3 = last_trade, or the index when there has been no trade.
// p1 and p2 are each clamped into [1, INT64_MAX] before the median, so the mark is never below 1
// and nothing overflows. Since the median of three lies between any two of them, a last trade of
// any value (a manipulated print) cannot move the mark outside [min(p1, p2), max(p1, p2)].
int64_t mark_price(const MarkInputs& in);

}  // namespace glassbook::risk
