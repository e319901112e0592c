// Decimal text of prices, quantities and wide amounts.
#include "api/market_format.h"

#include "core/decimal.h"

namespace glassbook::api {

namespace {
int64_t pow10(int n) {
  int64_t v = 1;
  while (n-- > 0) v *= 10;
  return v;
}
// How many trailing decimal zeros `step` has, at most `limit`.
int trailing_zeros(int64_t step, int limit) {
  int n = 0;
  while (n < limit && step > 0 && step % 10 == 0) {
    step /= 10;
    ++n;
  }
  return n;
}
}  // namespace

std::string format_wide_decimal(__int128 value, int scale, bool trim) {
  if (value >= INT64_MIN && value <= INT64_MAX) return format_decimal(static_cast<int64_t>(value), scale, trim);
  const bool negative = value < 0;
  unsigned __int128 mag = negative ? static_cast<unsigned __int128>(-(value + 1)) + 1 : static_cast<unsigned __int128>(value);
  char digits[48];  // least significant first; 2^127 has 39 digits
  int n = 0;
  while (mag != 0) {
    digits[n++] = static_cast<char>('0' + static_cast<int>(mag % 10));
    mag /= 10;
  }
  while (n <= scale) digits[n++] = '0';
  std::string out;
  if (negative) out.push_back('-');
  for (int i = n - 1; i >= scale; --i) out.push_back(digits[i]);
  int frac_end = 0;
  if (trim)
    while (frac_end < scale && digits[frac_end] == '0') ++frac_end;
  if (frac_end < scale) {
    out.push_back('.');
    for (int i = scale - 1; i >= frac_end; --i) out.push_back(digits[i]);
  }
  return out;
}

MarketFormat::MarketFormat(const engine::ExchangeConfig& config, MarketId market) {
  const engine::MarketConfig& m = config.markets.at(market);
  base_decimals_ = config.assets.at(m.base).decimals;
  quote_decimals_ = config.assets.at(m.quote).decimals;
  const int price_zeros = trailing_zeros(m.tick_size, quote_decimals_);
  const int quantity_zeros = trailing_zeros(m.lot_size, base_decimals_);
  price_decimals_ = quote_decimals_ - price_zeros;
  quantity_decimals_ = base_decimals_ - quantity_zeros;
  price_divisor_ = pow10(price_zeros);
  quantity_divisor_ = pow10(quantity_zeros);
  base_unit_ = pow10(base_decimals_);
}

std::string MarketFormat::price(int64_t v) const {
  if (v % price_divisor_ != 0) return format_decimal(v, quote_decimals_, true);
  return format_decimal(v / price_divisor_, price_decimals_);
}

std::string MarketFormat::quantity(int64_t v) const {
  if (v % quantity_divisor_ != 0) return format_decimal(v, base_decimals_, true);
  return format_decimal(v / quantity_divisor_, quantity_decimals_);
}

}  // namespace glassbook::api
