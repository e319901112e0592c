// Backpack REST JSON: assets, markets, tickers, depth, trades, K-lines, balances, orders, fills, deposits.
#pragma once
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "api/json_writer.h"
#include "api/kline_interval.h"
#include "api/market_data.h"
#include "api/market_format.h"
#include "api/view_records.h"
#include "engine/config.h"
#include "ledger/ledger.h"

namespace glassbook::api {

// How an order's createdAt is written: ms since the epoch (/api/v1/order, /api/v1/orders) or a
// naive ISO-8601 UTC text (/wapi/v1/history/orders, which also carries expiryReason).
enum class OrderStyle { Current, History };

// Everything one rendering needs about the market a record belongs to.
struct MarketView {
  const engine::ExchangeConfig& config;
  MarketId id;
  const MarketFormat& format;
  std::string_view symbol() const { return config.markets[id].symbol; }
};

// Backpack's asset list: each asset with a token per blockchain where a deposit address of it is
// recorded (deposits on; withdrawals off until the exchange has them).
void write_assets(JsonWriter& w, const engine::ExchangeConfig& config,
                  const std::set<std::pair<std::string, AssetId>>& chain_assets = {});
void write_market(JsonWriter& w, const MarketView& m);
void write_ticker(JsonWriter& w, const MarketView& m, const Ticker24h& t);
// asks and bids as (price, quantity) in ascending price order.
void write_depth(JsonWriter& w, const MarketView& m, std::span<const std::pair<int64_t, int64_t>> asks,
                 std::span<const std::pair<int64_t, int64_t>> bids, uint64_t last_update_id, Timestamp now);
void write_public_trade(JsonWriter& w, const MarketView& m, const PublicTrade& t);
void write_kline(JsonWriter& w, const MarketView& m, KlineInterval interval, const Candle& c);
// {"BTC":{"available":..,"locked":..,"staked":"0"},...} over every configured asset.
void write_capital(JsonWriter& w, const engine::ExchangeConfig& config, const ledger::Ledger& ledger, AccountId account);
void write_order(JsonWriter& w, const MarketView& m, const OrderRecord& o, OrderStyle style);
void write_fill(JsonWriter& w, const MarketView& m, const FillRecord& f);
void write_deposit(JsonWriter& w, const engine::ExchangeConfig& config, const DepositRecord& d);

}  // namespace glassbook::api
