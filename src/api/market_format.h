// Decimal text of a market's prices, quantities and notionals, exact from integers (never a double).
#pragma once
#include <cstdint>
#include <string>

#include "engine/config.h"

namespace glassbook::api {

// Formats value / 10^scale; beyond int64 too (sums of volumes), trimmed of trailing zeros when asked.
std::string format_wide_decimal(__int128 value, int scale, bool trim);

// How one market writes its numbers: prices with as many decimals as the tick needs ("118318.3" for a
// 0.1 tick), quantities with as many as the lot needs ("0.00633" for 0.00001), and quote or base
// amounts (volumes, notionals) trimmed.
class MarketFormat {
 public:
  MarketFormat() = default;
  MarketFormat(const engine::ExchangeConfig& config, MarketId market);

  std::string price(int64_t quote_units_per_base) const;
  std::string quantity(int64_t base_units) const;
  std::string quote_amount(__int128 quote_units) const { return format_wide_decimal(quote_units, quote_decimals_, true); }
  std::string base_amount(__int128 base_units) const { return format_wide_decimal(base_units, base_decimals_, true); }
  // Quote units of `quantity` base units at `price` (exact: the configuration makes every trade's
  // notional a whole number of quote units).
  __int128 notional(int64_t price, int64_t quantity) const { return static_cast<__int128>(price) * quantity / base_unit_; }
  int base_decimals() const { return base_decimals_; }
  int quote_decimals() const { return quote_decimals_; }

 private:
  int base_decimals_ = 0;
  int quote_decimals_ = 0;
  int price_decimals_ = 0;
  int quantity_decimals_ = 0;
  int64_t price_divisor_ = 1;     // 10^(quote decimals - price decimals)
  int64_t quantity_divisor_ = 1;  // 10^(base decimals - quantity decimals)
  int64_t base_unit_ = 1;         // 10^base decimals
};

}  // namespace glassbook::api
