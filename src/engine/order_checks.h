// The checks every order's price and quantity pass against its market, with refusals that name the
// rule and its limit in the market's own decimals (shared by new orders, amends, trigger orders and
// the take-profit and stop-loss attached to an order).
#pragma once
#include <cstdint>
#include <string>

#include "core/result.h"
#include "engine/command.h"
#include "engine/config.h"

namespace glassbook::engine {

// An amount of the market's quote (base) asset as a decimal in that asset's decimals.
std::string quote_text(const ExchangeConfig& x, const MarketConfig& cfg, int64_t v);
std::string base_text(const ExchangeConfig& x, const MarketConfig& cfg, int64_t v);

// A limit price: positive, a multiple of the tick, at most the market's maximum.
Status check_price(const ExchangeConfig& x, const MarketConfig& cfg, int64_t price);
// A quantity: positive, a multiple of the lot, at least the market's minimum.
Status check_quantity(const ExchangeConfig& x, const MarketConfig& cfg, int64_t quantity);
// A buy holds price x quantity of the quote asset: that must fit the ledger's int64 amounts.
Status notional_out_of_range(const ExchangeConfig& x, const MarketConfig& cfg);
// An order's take-profit and stop-loss: a limit price only with its trigger, every price valid, none
// on a trigger order, and room for them under the account's cap (`pending`: the slots its trigger orders take now,
// TriggerOrders::slots_of).
Status check_attached(const ExchangeConfig& x, const MarketConfig& cfg, const PlaceOrder& p, size_t pending);

}  // namespace glassbook::engine
