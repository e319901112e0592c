// Price and quantity checks of orders against their market (order_checks.h).
#include "engine/order_checks.h"

#include <fmt/format.h>

#include "core/decimal.h"
#include "engine/trigger_orders.h"

namespace glassbook::engine {

std::string quote_text(const ExchangeConfig& x, const MarketConfig& cfg, int64_t v) { return format_decimal(v, x.assets[cfg.quote].decimals, true); }
std::string base_text(const ExchangeConfig& x, const MarketConfig& cfg, int64_t v) { return format_decimal(v, x.assets[cfg.base].decimals, true); }

Status check_price(const ExchangeConfig& x, const MarketConfig& cfg, int64_t price) {
  if (price <= 0) return Status(Error::InvalidPrice, "price must be positive");
  if (price % cfg.tick_size != 0)
    return Status(Error::PriceNotTickMultiple, fmt::format("price {} is not a multiple of the tick size {}", quote_text(x, cfg, price),
                                                           quote_text(x, cfg, cfg.tick_size)));
  if (price > cfg.max_price)
    return Status(Error::InvalidPrice, fmt::format("price {} is above the market's maximum price {} {}", quote_text(x, cfg, price),
                                                   quote_text(x, cfg, cfg.max_price), x.assets[cfg.quote].symbol));
  return {};
}
Status check_quantity(const ExchangeConfig& x, const MarketConfig& cfg, int64_t quantity) {
  if (quantity <= 0) return Status(Error::InvalidQuantity, "quantity must be positive");
  if (quantity % cfg.lot_size != 0)
    return Status(Error::QuantityNotLotMultiple, fmt::format("quantity {} is not a multiple of the lot size {}", base_text(x, cfg, quantity),
                                                             base_text(x, cfg, cfg.lot_size)));
  if (quantity < cfg.min_quantity)
    return Status(Error::InvalidQuantity, fmt::format("quantity {} is below the market's minimum {} {}", base_text(x, cfg, quantity),
                                                      base_text(x, cfg, cfg.min_quantity), x.assets[cfg.base].symbol));
  return {};
}
Status notional_out_of_range(const ExchangeConfig& x, const MarketConfig& cfg) {
  return Status(Error::Overflow, fmt::format("order notional out of range: price x quantity must be at most {} {}",
                                             quote_text(x, cfg, INT64_MAX), x.assets[cfg.quote].symbol));
}

Status check_attached(const ExchangeConfig& x, const MarketConfig& cfg, const PlaceOrder& p, size_t pending) {
  if (p.take_profit_limit != 0 && p.take_profit_trigger == 0)
    return Status(Error::InvalidArgument, "takeProfitLimitPrice needs takeProfitTriggerPrice");
  if (p.stop_loss_limit != 0 && p.stop_loss_trigger == 0) return Status(Error::InvalidArgument, "stopLossLimitPrice needs stopLossTriggerPrice");
  if (p.trigger_price != 0) return Status(Error::InvalidArgument, "a trigger order cannot carry a take-profit or stop-loss");
  const std::pair<int64_t, const char*> prices[] = {{p.take_profit_trigger, "takeProfitTriggerPrice"},
                                                    {p.take_profit_limit, "takeProfitLimitPrice"},
                                                    {p.stop_loss_trigger, "stopLossTriggerPrice"},
                                                    {p.stop_loss_limit, "stopLossLimitPrice"}};
  for (const auto& [price, name] : prices)
    if (price != 0)
      if (auto s = check_price(x, cfg, price); !s) return Status(s.code(), fmt::format("{}: {}", name, s.message()));
  const size_t more = (p.take_profit_trigger != 0 ? 1 : 0) + (p.stop_loss_trigger != 0 ? 1 : 0);
  if (pending + more > TriggerOrders::kMaxPerAccount)
    return Status(Error::BookFull, fmt::format("an account may hold at most {} pending trigger orders: no room for a take-profit or stop-loss",
                                               TriggerOrders::kMaxPerAccount));
  return {};
}

}  // namespace glassbook::engine
