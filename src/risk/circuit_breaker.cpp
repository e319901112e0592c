// A market's circuit breaker: rule validation and the observation of prices.
#include "risk/circuit_breaker.h"

#include "core/assert.h"

#include <algorithm>
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
  if (r.min_notional <= 0) return Status(Error::InvalidConfig, "circuit breaker: min_notional must be positive");
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

bool CircuitBreaker::observe_trade(int64_t price, int64_t notional, Timestamp now, bool at_band, const BreakerRules& rules) {
  GB_ASSERT(price > 0 && notional > 0);
  GB_ASSERT(now >= 0);
  GB_ASSERT(validate_breaker(rules).is_ok());
  if (paused(now)) return false;
  if (batch_notional_ > 0 && static_cast<__int128>(now) - batch_since_ >= rules.window_us) {
    batch_notional_ = batch_price_ = batch_since_ = 0;
    batch_at_band_ = false;
  }
  if (batch_notional_ == 0) {
    batch_price_ = price;
    batch_since_ = now;
  } else {
    // The weighted average moves toward the new price by its share of the notional, rounded toward
    // zero: it stays between the old average and the price. |diff| < 2^63 and notional < 2^63, so
    // the product stays below 2^126.
    const __int128 total = static_cast<__int128>(batch_notional_) + notional;
    const __int128 diff = static_cast<__int128>(price) - batch_price_;
    batch_price_ = static_cast<int64_t>(batch_price_ + diff * notional / total);  // C++ division truncates
  }
  batch_notional_ = static_cast<int64_t>(std::min<__int128>(static_cast<__int128>(batch_notional_) + notional, INT64_MAX));
  batch_at_band_ = at_band;
  if (batch_notional_ < rules.min_notional) return false;
  const int64_t judged = batch_price_;
  const bool judged_at_band = batch_at_band_;
  batch_notional_ = batch_price_ = batch_since_ = 0;
  batch_at_band_ = false;
  return observe(judged, now, judged_at_band, rules);
}

void CircuitBreaker::clear_history() {
  at_band_ = false;
  at_band_since_ = 0;
  buckets_.fill(Bucket{});
  batch_notional_ = batch_price_ = batch_since_ = 0;
  batch_at_band_ = false;
}

}  // namespace glassbook::risk
