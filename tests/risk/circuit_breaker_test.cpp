// Circuit breaker: fast moves and long holds at the band trip it, slow drifts and interrupted holds
// do not; pauses end on time; the state round-trips through its encoding and never grows.
#include "risk/circuit_breaker.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <type_traits>

#include "core/byte_io.h"

namespace glassbook::risk {
namespace {

constexpr int64_t kSecond = 1'000'000;
constexpr Timestamp kT0 = 1'700'000'000 * kSecond;
// 10% within a minute, 5 s at the band, 30 s pause. Bucket width: 60 s / 16 = 3.75 s.
const BreakerRules kRules{100'000, 60 * kSecond, 5 * kSecond, 30 * kSecond, 1'000};
constexpr int64_t kWidth = 3'750'000;

std::string encode(CircuitBreaker b) {
  std::string out;
  ByteWriter w(out);
  b.fields(w);
  return out;
}

Status decode(const std::string& bytes, CircuitBreaker& b) {
  ByteReader r(bytes, "circuit breaker");
  b.fields(r);
  return r.status();
}

TEST(CircuitBreaker, RulesValidation) {
  EXPECT_TRUE(validate_breaker(kRules).is_ok());
  auto refused = [](BreakerRules r) { return validate_breaker(r).code() == Error::InvalidConfig; };
  BreakerRules r = kRules;
  r.move_ppm = 0;
  EXPECT_TRUE(refused(r));
  r.move_ppm = 1'000'001;
  EXPECT_TRUE(refused(r));
  r.move_ppm = 1'000'000;
  EXPECT_TRUE(validate_breaker(r).is_ok());
  r = kRules;
  r.window_us = 0;
  EXPECT_TRUE(refused(r));
  r = kRules;
  r.hold_at_band_us = -1;
  EXPECT_TRUE(refused(r));
  r = kRules;
  r.pause_us = 0;
  EXPECT_TRUE(refused(r));
  r = kRules;
  r.min_notional = 0;
  EXPECT_TRUE(refused(r));
}

TEST(CircuitBreaker, TradesAreJudgedInBatchesOfTheMinimumNotional) {
  CircuitBreaker b;
  EXPECT_FALSE(b.observe_trade(1'000'000, 5'000, kT0, false, kRules));  // a full batch at 1,000,000
  // A 999-unit print at +50%: short of the minimum, not judged.
  EXPECT_FALSE(b.observe_trade(1'500'000, 999, kT0 + kSecond, false, kRules));
  EXPECT_FALSE(b.paused(kT0 + kSecond));
  // One more unit completes the batch: its weighted price (1'499'500) is judged and trips.
  EXPECT_TRUE(b.observe_trade(1'000'000, 1, kT0 + 2 * kSecond, false, kRules));
  EXPECT_TRUE(b.paused(kT0 + 2 * kSecond));
}

TEST(CircuitBreaker, AWeightedBatchNearTheOldPriceDoesNotTrip) {
  CircuitBreaker b;
  EXPECT_FALSE(b.observe_trade(1'000'000, 1'000, kT0, false, kRules));
  // 100 units at +50% and 900 at the old price: +5%, below the 10% move.
  EXPECT_FALSE(b.observe_trade(1'500'000, 100, kT0 + kSecond, false, kRules));
  EXPECT_FALSE(b.observe_trade(1'000'000, 900, kT0 + kSecond, false, kRules));
  EXPECT_FALSE(b.paused(kT0 + kSecond));
}

TEST(CircuitBreaker, ABatchOlderThanTheWindowIsDropped) {
  CircuitBreaker b;
  EXPECT_FALSE(b.observe_trade(1'000'000, 1'000, kT0, false, kRules));
  EXPECT_FALSE(b.observe_trade(2'000'000, 600, kT0 + kSecond, false, kRules));
  // 60 s later the unjudged +100% batch is dropped: the next batch is 1'000'000 alone (kept in
  // the history), and a second one a second later finds no move. Merged, the first would have been
  // judged at 1'375'000 and the second would trip at -27%.
  EXPECT_FALSE(b.observe_trade(1'000'000, 1'000, kT0 + 61 * kSecond, false, kRules));
  EXPECT_FALSE(b.observe_trade(1'000'000, 1'000, kT0 + 62 * kSecond, false, kRules));
  EXPECT_FALSE(b.paused(kT0 + 62 * kSecond));
}

TEST(CircuitBreaker, SlowDriftNeverTrips) {
  // +100 a second: 0.6% a minute, 36% over the hour.
  CircuitBreaker b;
  for (int64_t s = 0; s <= 3600; ++s) {
    if (b.observe(1'000'000 + 100 * s, kT0 + s * kSecond, false, kRules)) {
      FAIL() << "tripped at second " << s;
    }
  }
  EXPECT_FALSE(b.paused(kT0 + 3600 * kSecond));
}

TEST(CircuitBreaker, FastRiseBeyondTheMoveTrips) {
  CircuitBreaker b;
  EXPECT_FALSE(b.observe(1'000'000, kT0, false, kRules));
  EXPECT_FALSE(b.observe(1'100'000, kT0 + 10 * kSecond, false, kRules));  // exactly 10%: not more
  EXPECT_TRUE(b.observe(1'100'001, kT0 + 11 * kSecond, false, kRules));
  EXPECT_TRUE(b.paused(kT0 + 11 * kSecond));
}

TEST(CircuitBreaker, FastFallBeyondTheMoveTrips) {
  CircuitBreaker b;
  EXPECT_FALSE(b.observe(1'000'000, kT0, false, kRules));
  EXPECT_FALSE(b.observe(900'000, kT0 + kSecond, false, kRules));  // exactly 10% of the older price
  EXPECT_TRUE(b.observe(899'999, kT0 + 2 * kSecond, false, kRules));
}

TEST(CircuitBreaker, MoveIsRelativeToTheOlderPrice) {
  // 1,100,001 -> 1,000,000 is 9.09% of the older price: no trip, though 10% of the newer one.
  CircuitBreaker b;
  EXPECT_FALSE(b.observe(1'100'001, kT0, false, kRules));
  EXPECT_FALSE(b.observe(1'000'000, kT0 + kSecond, false, kRules));
  // From 1,100,001 down to 990,000: 10.0001% of 1,100,001.
  EXPECT_TRUE(b.observe(990'000, kT0 + 2 * kSecond, false, kRules));
}

TEST(CircuitBreaker, TheSameMoveOverMoreThanTheWindowDoesNotTrip) {
  CircuitBreaker b;
  EXPECT_FALSE(b.observe(1'000'000, kT0, false, kRules));
  EXPECT_FALSE(b.observe(1'050'000, kT0 + 40 * kSecond, false, kRules));
  EXPECT_FALSE(b.observe(1'100'001, kT0 + 80 * kSecond, false, kRules));

  // Two observations one full window apart.
  CircuitBreaker c;
  EXPECT_FALSE(c.observe(1'000'000, kT0, false, kRules));
  EXPECT_FALSE(c.observe(1'100'001, kT0 + 60 * kSecond, false, kRules));

  // A steady 15% over two windows, a step a second: at most 7.5% within any window.
  CircuitBreaker d;
  for (int64_t s = 0; s <= 120; ++s) {
    if (d.observe(1'000'000 + 1'250 * s, kT0 + s * kSecond, false, kRules)) {
      FAIL() << "tripped at second " << s;
    }
  }
}

TEST(CircuitBreaker, WindowApproximationIsAtMostOneBucket) {
  // A price seen window - width ago is always compared.
  CircuitBreaker b;
  EXPECT_FALSE(b.observe(1'000'000, kT0, false, kRules));
  EXPECT_TRUE(b.observe(1'100'001, kT0 + 60 * kSecond - kWidth, false, kRules));
}

TEST(CircuitBreaker, HoldAtTheBandTrips) {
  CircuitBreaker b;
  for (int64_t s = 0; s < 5; ++s) {
    if (b.observe(1'000'000, kT0 + s * kSecond, true, kRules)) {
      FAIL() << "tripped at second " << s;
    }
  }
  EXPECT_TRUE(b.observe(1'000'000, kT0 + 5 * kSecond, true, kRules));  // held for exactly 5 s
}

TEST(CircuitBreaker, InterruptedHoldDoesNotTrip) {
  CircuitBreaker b;
  for (int64_t s = 0; s < 5; ++s) {
    if (b.observe(1'000'000, kT0 + s * kSecond, true, kRules)) {
      FAIL() << "tripped at second " << s;
    }
  }
  EXPECT_FALSE(b.observe(1'000'000, kT0 + 4 * kSecond + kSecond / 2, false, kRules));  // off the band
  for (int64_t s = 5; s < 10; ++s) {
    if (b.observe(1'000'000, kT0 + s * kSecond, true, kRules)) {
      FAIL() << "tripped at second " << s;
    }
  }
  EXPECT_TRUE(b.observe(1'000'000, kT0 + 10 * kSecond, true, kRules));  // 5 s since the restart
}

TEST(CircuitBreaker, PausedUntilThePauseEnds) {
  CircuitBreaker b;
  EXPECT_FALSE(b.paused(kT0));
  EXPECT_EQ(b.paused_until(), 0);
  EXPECT_FALSE(b.observe(1'000'000, kT0, false, kRules));
  const Timestamp trip = kT0 + 3 * kSecond;
  EXPECT_FALSE(b.paused(trip - 1));  // not yet
  EXPECT_TRUE(b.observe(1'200'000, trip, false, kRules));
  EXPECT_EQ(b.paused_until(), trip + 30 * kSecond);
  EXPECT_TRUE(b.paused(trip));
  EXPECT_TRUE(b.paused(trip + 30 * kSecond - 1));
  EXPECT_FALSE(b.paused(trip + 30 * kSecond));

  // Observations during the pause are ignored.
  const CircuitBreaker during = b;
  EXPECT_FALSE(b.observe(2'000'000, trip + kSecond, true, kRules));
  EXPECT_TRUE(b == during);

  // The window restarts after the pause: the pre-pause 1,000,000 is forgotten.
  const Timestamp after = trip + 30 * kSecond;
  EXPECT_FALSE(b.observe(1'200'000, after, false, kRules));
  EXPECT_FALSE(b.observe(1'250'000, after + kSecond, false, kRules));
  // And a new fast move trips again.
  EXPECT_TRUE(b.observe(1'400'000, after + 2 * kSecond, false, kRules));
  EXPECT_EQ(b.paused_until(), after + 32 * kSecond);
}

TEST(CircuitBreaker, EncodingRoundTrips) {
  CircuitBreaker b;
  for (int64_t s = 0; s < 20; ++s) {
    if (b.observe(1'000'000 + 997 * (s % 7), kT0 + s * kSecond, false, kRules)) {
      FAIL() << "tripped at second " << s;
    }
  }
  EXPECT_FALSE(b.observe(1'003'000, kT0 + 20 * kSecond, true, kRules));  // the at-band clock runs
  const std::string bytes = encode(b);
  EXPECT_EQ(bytes.size(), 8u + 1u + 8u + CircuitBreaker::kBuckets * 24u);
  CircuitBreaker back;
  const Status s = decode(bytes, back);
  if (!s.is_ok()) {
    FAIL() << s.to_string();
  }
  EXPECT_TRUE(back == b);
  EXPECT_EQ(encode(back), bytes);
  // The decoded breaker behaves the same.
  CircuitBreaker b2 = b;
  EXPECT_EQ(back.observe(1'120'000, kT0 + 21 * kSecond, true, kRules),
            b2.observe(1'120'000, kT0 + 21 * kSecond, true, kRules));
  EXPECT_TRUE(back == b2);

  // A paused breaker round-trips too.
  EXPECT_TRUE(b.observe(1'300'000, kT0 + 22 * kSecond, false, kRules));
  CircuitBreaker paused;
  if (!decode(encode(b), paused).is_ok()) {
    FAIL() << "decode of a paused breaker";
  }
  EXPECT_TRUE(paused == b);
  EXPECT_TRUE(paused.paused(kT0 + 22 * kSecond));
}

TEST(CircuitBreaker, DecodeRefusesTruncatedTrailingAndInvalidStates) {
  CircuitBreaker b;
  EXPECT_FALSE(b.observe(1'000'000, kT0, false, kRules));
  const std::string bytes = encode(b);
  CircuitBreaker out;
  EXPECT_FALSE(decode(bytes.substr(0, bytes.size() - 1), out).is_ok());
  EXPECT_FALSE(decode(bytes + '\0', out).is_ok());

  const std::string empty = encode(CircuitBreaker{});
  std::string bad_flag = empty;
  bad_flag[8] = 2;  // at_band must be 0 or 1
  EXPECT_FALSE(decode(bad_flag, out).is_ok());
  std::string since_without_flag = empty;
  since_without_flag[9] = 1;  // at_band_since set while not at the band
  EXPECT_FALSE(decode(since_without_flag, out).is_ok());
  std::string max_without_min = empty;
  max_without_min[17 + 16] = 5;  // bucket 0: max 5, min 0
  EXPECT_FALSE(decode(max_without_min, out).is_ok());
  std::string min_above_max = max_without_min;
  min_above_max[17 + 8] = 6;  // bucket 0: min 6 > max 5
  EXPECT_FALSE(decode(min_above_max, out).is_ok());
  std::string fine = min_above_max;
  fine[17 + 8] = 5;  // min 5 == max 5
  EXPECT_TRUE(decode(fine, out).is_ok());
}

TEST(CircuitBreaker, AMillionObservationsKeepTheSizeConstant) {
  static_assert(std::is_trivially_copyable_v<CircuitBreaker>, "fixed arrays only, no heap");
  static_assert(sizeof(CircuitBreaker) <= 512);
  CircuitBreaker b;
  const size_t size = encode(b).size();
  uint64_t x = 88172645463325252ull;  // xorshift: deterministic pseudo-random prices and gaps
  Timestamp now = kT0;
  int trips = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    now += static_cast<int64_t>(x % 2'000);
    // Within 1,000,000 +- 4% (at most 8.4% apart: no trip), with a 20% jump now and then.
    int64_t price = 1'000'000 + static_cast<int64_t>((x >> 16) % 80'001) - 40'000;
    if (i % 100'000 == 99'999) price = 1'250'000;
    if (b.observe(price, now, (x >> 40) % 64 == 0, kRules)) ++trips;
    if (i % 100'000 == 0 && encode(b).size() != size) {
      FAIL() << "encoding grew at observation " << i;
    }
  }
  EXPECT_EQ(trips, 10);
  const std::string bytes = encode(b);
  EXPECT_EQ(bytes.size(), size);
  CircuitBreaker back;
  EXPECT_TRUE(decode(bytes, back).is_ok());  // the invariants still hold
}

}  // namespace
}  // namespace glassbook::risk
