// A market's circuit breaker: rule validation and the observation of prices.
#include "risk/circuit_breaker.h"

#include "core/assert.h"
#include <limits>

#include "core/checked.h"
#include "risk/units.h"

namespace glassbook::risk {

namespace {

// Whether `price` moved strictly more than move_ppm from the older price `older` (> 0), relative to
// `older`: |price - older| * 1e6 > move_ppm * older, exact in 128 bits.
bool moved_beyond(int64_t older, int64_t price, int32_t move_ppm) {
  __int128 diff = static_cast<__int128>(price) - older;
  if (diff < 0) diff = -diff;
  return diff * kPpm > static_cast<__int128>(move_ppm) * older;
}

}  // namespace

Status validate_breaker(const BreakerRules& r) {
  if (r.move_ppm <= 0 || r.move_ppm > kPpm)
    return Status(Error::InvalidConfig, "circuit breaker: move_ppm must be in 1..1e6");
  if (r.window_us <= 0) return Status(Error::InvalidConfig, "circuit breaker: window_us must be positive");
  if (r.hold_at_band_us <= 0)
    return Status(Error::InvalidConfig, "circuit breaker: hold_at_band_us must be positive");
  if (r.pause_us <= 0) return Status(Error::InvalidConfig, "circuit breaker: pause_us must be positive");
  return Status::ok();
}

bool CircuitBreaker::observe(int64_t price, Timestamp now, bool at_band, const BreakerRules& rules) {
  GB_ASSERT(price > 0);
  GB_ASSERT(now >= 0);
  GB_ASSERT(validate_breaker(rules).is_ok());
  if (paused(now)) return false;

  // (a) The at-band clock: started by the first at_band observation, reset by any other.
  if (!at_band) {
    at_band_ = false;
    at_band_since_ = 0;
  } else if (!at_band_) {
    at_band_ = true;
    at_band_since_ = now;
  }
  bool trip = at_band_ && static_cast<__int128>(now) - at_band_since_ >= rules.hold_at_band_us;

  // (b) A move beyond move_ppm from the min or max of any bucket younger than the window.
  for (const Bucket& b : buckets_) {
    if (b.max == 0 || static_cast<__int128>(now) - b.start >= rules.window_us) continue;
    if (moved_beyond(b.min, price, rules.move_ppm) || moved_beyond(b.max, price, rules.move_ppm)) trip = true;
  }

  if (trip) {
    paused_until_ = checked_add(now, rules.pause_us).value_or(std::numeric_limits<Timestamp>::max());
    clear_history();
    return true;
  }

  // Record the price in its bucket; a slot still holding an older bucket starts afresh.
  const int64_t width = rules.window_us / kBuckets + (rules.window_us % kBuckets != 0 ? 1 : 0);
  const int64_t index = now / width;  // now >= 0: rounds down
  const Timestamp start = index * width;
  Bucket& b = buckets_[static_cast<size_t>(index % static_cast<int64_t>(kBuckets))];
  if (b.max == 0 || b.start != start) {
    b = Bucket{start, price, price};
  } else {
    if (price < b.min) b.min = price;
    if (price > b.max) b.max = price;
  }
  return false;
}

void CircuitBreaker::clear_history() {
  at_band_ = false;
  at_band_since_ = 0;
  buckets_.fill(Bucket{});
}

}  // namespace glassbook::risk
