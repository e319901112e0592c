// Mark price and basis average: exact integer arithmetic in 128 bits, saturated to [1, INT64_MAX].
#include "risk/mark_price.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "core/checked.h"
#include "risk/median.h"
#include "risk/units.h"

namespace glassbook::risk {

namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// floor(a / d) for 0 < d < 2^63.
__int128 floor_div(__int128 a, int64_t d) { return div_floor(a, d); }

int64_t clamp_price(__int128 p) {
  if (p < 1) return 1;
  if (p > kMax) return kMax;
  return static_cast<int64_t>(p);
}

// floor(index * rate * t / (interval * 1e9)) exactly, for 0 <= t <= interval. With a = index * rate
// (|a| < 2^126): floor(a*t/I) = qa*t + floor(ra*t/I) where qa = floor(a/I), 0 <= ra < I; then
// floor(floor(x / I) / K) = floor(x / (I*K)). Every intermediate stays below 2^127.
__int128 funding_adjustment(int64_t index, int64_t rate, int64_t t, int64_t interval) {
  const __int128 a = static_cast<__int128>(index) * rate;
  const __int128 qa = floor_div(a, interval);
  const __int128 ra = a - qa * interval;
  const __int128 x = qa * t + floor_div(ra * t, interval);
  return floor_div(x, kRateOne);
}

}  // namespace

void BasisAverage::add(int64_t sample, int32_t alpha_ppm) {
  if (!started) {
    value = sample;
    started = true;
    return;
  }
  const int64_t alpha = std::clamp<int64_t>(alpha_ppm, 1, kPpm);
  const __int128 diff = static_cast<__int128>(sample) - value;  // |diff| < 2^64
  const __int128 step = div_toward_zero(diff * alpha, kPpm);    // toward zero; |step| <= |diff|
  value = static_cast<int64_t>(value + step);                    // between value and sample
}

void BasisAverage::add_repeated(int64_t sample, int64_t times, int32_t alpha_ppm) {
  const int64_t steps = std::min(times, kMaxBasisSteps);
  for (int64_t i = 0; i < steps; ++i) add(sample, alpha_ppm);
}

int64_t mark_price(const MarkInputs& in) {
  __int128 p1 = in.index;
  if (in.funding_interval_us > 0) {
    const int64_t t = std::clamp<int64_t>(in.time_to_funding_us, 0, in.funding_interval_us);
    p1 += funding_adjustment(in.index, in.funding_rate, t, in.funding_interval_us);
  }
  const int64_t c1 = clamp_price(p1);
  const int64_t c2 = clamp_price(static_cast<__int128>(in.index) + in.basis_average);
  const int64_t p3 = in.last_trade.value_or(in.index);
  // median3 lies in [min(c1, c2), max(c1, c2)], both >= 1, whatever p3 is.
  const int64_t mark = median3(c1, c2, p3);
  if (in.cap_ppm <= 0) return mark;
  const __int128 d = div_toward_zero(static_cast<__int128>(in.index) * in.cap_ppm, kPpm);  // >= 0
  const __int128 lower = std::min<__int128>(in.index, c1) - d;
  const __int128 upper = std::max<__int128>(in.index, c1) + d;
  if (mark < lower) return clamp_price(lower);
  if (mark > upper) return clamp_price(upper);
  return mark;
}

}  // namespace glassbook::risk
