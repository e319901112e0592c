// Funding of perpetuals: exact integer arithmetic with 128-bit sums and a 256-bit product where a
// product of three int64-sized factors is divided.
#include "risk/funding.h"

#include <algorithm>
#include <cstdint>
#include <limits>

#include "core/checked.h"
#include "risk/units.h"

namespace glassbook::risk {

namespace {

using u128 = unsigned __int128;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr u128 kLow64 = ~uint64_t{0};

struct Quotient {
  u128 value = 0;
  bool exact = false;  // the division left no remainder
};

// floor(a * b / c) for c > 0, through the full 256-bit product; nullopt when the quotient needs more
// than 128 bits. Schoolbook product on 64-bit halves, then restoring division bit by bit.
std::optional<Quotient> mul_div_256(u128 a, u128 b, u128 c) {
  const u128 a0 = a & kLow64, a1 = a >> 64, b0 = b & kLow64, b1 = b >> 64;
  const u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const u128 mid = (p00 >> 64) + (p01 & kLow64) + (p10 & kLow64);  // < 3 * 2^64
  const u128 lo = (p00 & kLow64) | (mid << 64);
  const u128 hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
  if (hi >= c) return std::nullopt;  // the quotient is at least 2^128
  if (hi == 0) return Quotient{lo / c, lo % c == 0};
  // Invariant: r < c. Shifting in a bit gives r' < 2c, which may pass 2^128 (the carry); then
  // r' - c < c and the wrapped subtraction gives exactly r' - c.
  u128 r = hi;
  u128 q = 0;
  for (int i = 127; i >= 0; --i) {
    const bool carry = (r >> 127) != 0;
    r = (r << 1) | ((lo >> i) & 1);
    q <<= 1;
    if (carry || r >= c) {
      r -= c;
      q |= 1;
    }
  }
  return Quotient{q, r == 0};
}

int64_t saturate(__int128 v) {
  if (v > kMax) return kMax;
  if (v < -kMax) return -kMax;
  return static_cast<int64_t>(v);
}

}  // namespace

std::optional<int64_t> impact_price(std::span<const BookLevel> levels, int64_t impact_notional,
                                    int base_decimals, bool is_ask_side) {
  if (impact_notional <= 0 || base_decimals < 0 || base_decimals > 18) return std::nullopt;
  // Notionals are kept scaled by 10^base_decimals (price * quantity), so nothing is rounded while
  // walking. target < 2^123; acc < target; one level's price * quantity < 2^126.
  const u128 target = static_cast<u128>(impact_notional) * static_cast<u128>(pow10(base_decimals));
  u128 acc = 0;   // scaled notional of the levels taken whole
  u128 base = 0;  // base units of the levels taken whole, <= INT64_MAX
  for (const BookLevel& level : levels) {
    if (level.price <= 0 || level.quantity <= 0) return std::nullopt;
    const u128 price = static_cast<u128>(level.price);
    const u128 pq = price * static_cast<u128>(level.quantity);
    if (acc + pq >= target) {
      // Take rest / price base units here (a fraction), so base taken = (base * price + rest) / price
      // and the average = target / base taken = target * price / (base * price + rest).
      const u128 rest = target - acc;               // 0 < rest <= pq
      const u128 denominator = base * price + rest;  // < 2^126 + 2^123
      if (denominator > static_cast<u128>(kMax) * price) return std::nullopt;  // base taken > INT64_MAX
      const std::optional<Quotient> avg = mul_div_256(target, price, denominator);
      if (!avg) return std::nullopt;  // unreachable: the average is at most the highest price walked
      const u128 rounded = avg->value + ((is_ask_side && !avg->exact) ? 1 : 0);
      return static_cast<int64_t>(rounded);  // within the prices walked, so it fits
    }
    acc += pq;
    base += static_cast<u128>(level.quantity);
    if (base > static_cast<u128>(kMax)) return std::nullopt;
  }
  return std::nullopt;  // the book is too thin (or empty)
}

int64_t premium_sample(std::optional<int64_t> impact_bid, std::optional<int64_t> impact_ask,
                       int64_t index) {
  if (!impact_bid || !impact_ask || index <= 0) return 0;
  const __int128 above = std::max<__int128>(0, static_cast<__int128>(*impact_bid) - index);
  const __int128 below = std::max<__int128>(0, static_cast<__int128>(index) - *impact_ask);
  // |above - below| < 2^64, times 1e9 < 2^94; C++ division rounds toward zero.
  return saturate((above - below) * kRateOne / index);
}

void PremiumAccumulator::add(int64_t sample) {
  sum += sample;
  ++count;
}

void PremiumAccumulator::add_repeated(int64_t sample, int64_t times) {
  if (times <= 0) return;
  const int64_t room = INT64_MAX - count;
  if (times > room) times = room;
  sum += static_cast<__int128>(sample) * times;  // |sum| <= 2^63 * 2^63 = 2^126
  count += times;
}

int64_t PremiumAccumulator::average() const {
  if (count == 0) return 0;
  return static_cast<int64_t>(div_toward_zero(sum, count));  // a mean of int64 values fits int64
}

void PremiumAccumulator::reset() {
  sum = 0;
  count = 0;
}

int64_t funding_rate(int64_t premium_average, const FundingRules& rules) {
  const __int128 clamp = std::max<int64_t>(rules.clamp, 0);
  const __int128 toward_interest =
      std::clamp<__int128>(static_cast<__int128>(rules.interest_rate) - premium_average, -clamp, clamp);
  const int64_t rate = static_cast<int64_t>(premium_average + toward_interest);  // between P and I
  const int64_t cap = std::max<int64_t>(rules.cap, 0);
  return std::clamp<int64_t>(rate, -cap, cap);
}

int64_t funding_per_lot(int64_t rate, int64_t mark, int64_t lot_size, int base_decimals) {
  if (mark <= 0 || lot_size <= 0 || base_decimals < 0 || base_decimals > 18 || rate == 0) return 0;
  // |rate| * (mark * lot) / (10^base_decimals * 1e9): the product needs up to 189 bits.
  const u128 magnitude_rate = rate < 0 ? -static_cast<u128>(rate) : static_cast<u128>(rate);
  const u128 lot_value = static_cast<u128>(mark) * static_cast<u128>(lot_size);  // < 2^126
  const u128 divisor = static_cast<u128>(pow10(base_decimals)) * static_cast<u128>(kRateOne);
  const std::optional<Quotient> q = mul_div_256(magnitude_rate, lot_value, divisor);  // floor of |x|
  const u128 magnitude = (q && q->value <= static_cast<u128>(kMax)) ? q->value : static_cast<u128>(kMax);
  const int64_t m = static_cast<int64_t>(magnitude);
  return rate < 0 ? -m : m;  // floor of the magnitude, with the sign: toward zero
}

}  // namespace glassbook::risk
