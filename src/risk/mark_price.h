// The mark price of a perpetual (median of funding-adjusted index, index + basis, last trade) and
// the moving average of its basis.
#pragma once
#include <cstdint>
#include <optional>

namespace glassbook::risk {

// Exponential moving average of (mid - index), sampled on the clock: the engine folds in the basis
// that stood at each whole second (risk/clock_sample.h), so its weight is per second, not per message.
struct BasisAverage {
  int64_t value = 0;
  bool started = false;

  // The first sample sets the average. Later: value += (sample - value) * alpha_ppm / 1e6, the step
  // rounded toward zero, in 128 bits (no overflow for any int64 values; the new value lies between
  // the old value and the sample). alpha_ppm is the new sample's weight, 1..1e6; values outside are
  // clamped into that range.
  void add(int64_t sample, int32_t alpha_ppm);
  // add(sample, alpha_ppm) min(times, kMaxBasisSteps) times (times <= 0: nothing). A gap longer
  // than an hour counts as an hour: the older average then keeps (1 - alpha)^3600 of its weight,
  // e^-24 at alpha = 1/150 per second (a 150 s window), so the cap changes nothing measurable.
  static constexpr int64_t kMaxBasisSteps = 3'600;
  void add_repeated(int64_t sample, int64_t times, int32_t alpha_ppm);

  bool operator==(const BasisAverage&) const = default;
};

struct MarkInputs {
  int64_t index = 0;                  // > 0
  int64_t funding_rate = 0;           // the current (predicted) funding rate, 1e-9 units (kRateOne = 1.0)
  int64_t time_to_funding_us = 0;     // 0 .. funding_interval_us (clamped into that range)
  int64_t funding_interval_us = 1;    // > 0 (otherwise p1 is the index itself)
  int64_t basis_average = 0;          // BasisAverage::value (0 when not started)
  std::optional<int64_t> last_trade;  // last traded price, if any
  int32_t cap_ppm = 0;                // how far the mark may stand from the index (0: no cap)
};

// mark = median(p1, p2, p3), where
//   p1 = index + floor(index * funding_rate * time_to_funding / (funding_interval * 1e9))
//        (= floor(index * (1 + rate * time_to_funding / interval)), exact, 128-bit intermediates),
//   p2 = index + basis_average,
//   p3 = last_trade, or the index when there has been no trade.
// p1 and p2 are each clamped into [1, INT64_MAX] before the median, so the mark is never below 1
// and nothing overflows. Since the median of three lies between any two of them, a last trade of
// any value (a manipulated print) cannot move the mark outside [min(p1, p2), max(p1, p2)].
// Then, with cap_ppm > 0, the mark is clamped into [min(index, p1) - d, max(index, p1) + d] where
// d = floor(index * cap_ppm / 1e6): whatever the basis and the last trade say, the mark stands at
// most cap_ppm from the index plus the funding term (the lower end never below 1).
int64_t mark_price(const MarkInputs& in);

}  // namespace glassbook::risk
