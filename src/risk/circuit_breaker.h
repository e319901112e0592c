// A market's circuit breaker: pauses trading after a fast price move or a long stay at the band edge.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/ids.h"
#include "core/result.h"

namespace glassbook::risk {

struct BreakerRules {
  int32_t move_ppm = 0;         // a move of more than this, relative to an older price, trips
  int64_t window_us = 0;        // ... when that older price is within this window
  int64_t hold_at_band_us = 0;  // staying at the band edge this long trips
  int64_t pause_us = 0;         // length of a pause
  // Quote units a batch of trades must reach before its trade-weighted price is judged: a print
  // smaller than this moves nothing on its own (observe_trade).
  int64_t min_notional = 0;
  bool operator==(const BreakerRules&) const = default;
};

// Valid: all > 0, move_ppm <= 1e6. Refusals are Error::InvalidConfig.
Status validate_breaker(const BreakerRules& r);

// State of one market's breaker: fixed size whatever the number of observations (no allocation).
//
// Window approximation: the window is cut into kBuckets buckets of width ceil(window_us / 16) by
// absolute time (bucket start = now rounded down to a multiple of the width); each keeps the min
// and max price seen in [start, start + width). A bucket counts while now - start < window_us, so
// every price compared was seen within the window; a price seen t µs ago is always compared when
// t <= window_us - width and never when t >= window_us, in between depending on where it fell in
// its bucket: the window is short by at most one bucket width (1/16 of it). Comparing with a bucket's
// min and max is exact for "any price in it": the largest relative rise is from the smallest older
// price, the largest relative fall from the largest. A slot is reused only 16 widths (>= window_us)
// later, so a bucket still inside the window is never overwritten. A change of window_us between
// calls takes full effect one window later.
//
// Invariants: an empty bucket is all zeros, a used one has 0 < min <= max; at_band_since_ is 0
// unless at_band_. Observations arrive with non-decreasing `now` >= 0 (sequencer time).
class CircuitBreaker {
 public:
  static constexpr size_t kBuckets = 16;

  // Whether the market is paused at `now` (only cancels accepted): now < paused_until().
  bool paused(Timestamp now) const { return now < paused_until_; }
  // The end of the last pause (exclusive); 0 if there was none.
  Timestamp paused_until() const { return paused_until_; }

  // A trade (or a reference price change) at `price` (> 0) at time `now`; `at_band` tells whether
  // the price is at the edge of its band (a market order stopped there, or the trade printed at the
  // band limit). Returns true if this observation starts a pause:
  //  (a) the price has been at the band continuously for >= hold_at_band_us (the first at_band
  //      observation starts the clock, any observation with at_band = false resets it), or
  //  (b) |price - p| * 1e6 > move_ppm * p for some price p observed within the last window_us
  //      (strictly more than move_ppm, relative to the older price; see the approximation above).
  // When a pause starts: paused_until = now + pause_us (saturating), and the price history and the
  // at-band clock are cleared (the window restarts after the pause). Observations during a pause
  // are ignored (nothing recorded, returns false). Otherwise the price is recorded.
  bool observe(int64_t price, Timestamp now, bool at_band, const BreakerRules& rules);

  // A trade of `notional` quote units (> 0) at `price` (> 0). Trades gather into a batch; when the
  // batch's notional reaches rules.min_notional, its trade-weighted (notional-weighted) price is
  // judged by observe() with the at_band flag of the trade that completed it, and a new batch
  // starts. A batch whose first trade is window_us old or more is dropped when the next trade
  // arrives, so a batch never mixes prices from further apart than the window. During a pause trades
  // are ignored. Returns what observe() returns (false while the batch is short of the minimum).
  // So one minimum-size print at any price moves nothing, and a move trips only when at least
  // min_notional has traded at prices whose weighted average moved beyond move_ppm.
  bool observe_trade(int64_t price, int64_t notional, Timestamp now, bool at_band, const BreakerRules& rules);

  // Snapshot/state-root encoding: one templated field list for ByteWriter and ByteReader. A reader
  // fails on a state that breaks the invariants above.
  template <class V>
  void fields(V& v);
  // The batch of trades not yet judged, encoded apart (a later section of the snapshot, so that
  // snapshots written before batches existed still read): i64 notional, i64 price, i64 since, u8 at band.
  template <class V>
  void batch_fields(V& v);

  bool operator==(const CircuitBreaker&) const = default;

 private:
  struct Bucket {
    Timestamp start = 0;
    int64_t min = 0;
    int64_t max = 0;  // 0: empty
    bool operator==(const Bucket&) const = default;
  };

  void clear_history();

  // The batch of trades not yet judged: notional < min_notional, its weighted price, its first
  // trade's time and whether its last trade was at the band. All zero when empty.
  int64_t batch_notional_ = 0;
  int64_t batch_price_ = 0;
  Timestamp batch_since_ = 0;
  bool batch_at_band_ = false;
  Timestamp paused_until_ = 0;
  bool at_band_ = false;
  Timestamp at_band_since_ = 0;
  std::array<Bucket, kBuckets> buckets_{};
};

template <class V>
void CircuitBreaker::fields(V& v) {
  v.i64(paused_until_);
  v.boolean(at_band_);
  v.i64(at_band_since_);
  for (Bucket& b : buckets_) {
    v.i64(b.start);
    v.i64(b.min);
    v.i64(b.max);
  }
  if constexpr (V::kReading) {
    if (!at_band_ && at_band_since_ != 0) v.fail("circuit breaker: at-band time without at-band");
    for (const Bucket& b : buckets_) {
      const bool valid = b.max == 0 ? (b.start == 0 && b.min == 0) : (0 < b.min && b.min <= b.max);
      if (!valid) v.fail("circuit breaker: invalid price bucket");
    }
  }
}

template <class V>
void CircuitBreaker::batch_fields(V& v) {
  v.i64(batch_notional_);
  v.i64(batch_price_);
  v.i64(batch_since_);
  v.boolean(batch_at_band_);
  if constexpr (V::kReading) {
    const bool empty_batch = batch_notional_ == 0 && batch_price_ == 0 && batch_since_ == 0 && !batch_at_band_;
    if (batch_notional_ < 0 || (batch_notional_ > 0 ? batch_price_ <= 0 : !empty_batch))
      v.fail("circuit breaker: invalid trade batch");
  }
}

}  // namespace glassbook::risk
