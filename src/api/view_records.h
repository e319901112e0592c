// The records the exchange view keeps: orders with their full description, fills, deposits, public trades, candles.
#pragma once
#include <cstdint>

#include "engine/command.h"
#include "engine/event.h"

namespace glassbook::api {

enum class OrderStatus : uint8_t { New, PartiallyFilled, Filled, Cancelled, Expired };

inline bool is_closed(OrderStatus s) { return s == OrderStatus::Filled || s == OrderStatus::Cancelled || s == OrderStatus::Expired; }

// One order as the account sees it. Amounts are integers in the market's quote/base units.
struct OrderRecord {
  OrderId id = 0;
  AccountId account = 0;
  MarketId market = 0;
  book::Side side = book::Side::Buy;
  engine::OrderType type = engine::OrderType::Limit;
  book::TimeInForce tif = book::TimeInForce::GTC;  // as requested; PostOnly shows as GTC + postOnly
  book::Stp stp = book::Stp::CancelNewest;
  uint32_t client_id = 0;       // 0: none
  int64_t price = 0;            // the limit (for a market order: its protection limit, not shown)
  int64_t quantity = 0;         // executed + what is left
  int64_t remaining = 0;        // left to fill (0 once closed)
  int64_t executed = 0;         // base units filled
  __int128 executed_quote = 0;  // quote units filled
  Timestamp created_at = 0;     // µs
  OrderStatus status = OrderStatus::New;
  engine::CancelCause cause = engine::CancelCause::User;  // why it was cancelled or expired
  bool resting = false;         // in the book now (its price level counts it)
};

// One fill of one of the account's orders.
struct FillRecord {
  uint64_t trade_id = 0;
  OrderId order_id = 0;
  uint32_t client_id = 0;
  MarketId market = 0;
  book::Side side = book::Side::Buy;
  bool maker = false;
  int64_t price = 0;
  int64_t quantity = 0;
  int64_t fee = 0;       // in fee_asset units
  AssetId fee_asset = 0;  // what the account received: base for a buy, quote for a sell
  Timestamp timestamp = 0;
};

struct DepositRecord {
  uint64_t id = 0;  // the chain watcher's id of the transfer
  AssetId asset = 0;
  int64_t amount = 0;
  Timestamp timestamp = 0;
};

// A trade as the public sees it.
struct PublicTrade {
  uint64_t id = 0;  // sequential per market, from 1
  int64_t price = 0;
  int64_t quantity = 0;
  OrderId buyer_order = 0;
  OrderId seller_order = 0;
  bool buyer_maker = false;
  Timestamp timestamp = 0;
};

// OHLCV of one interval; `start` in Unix seconds.
struct Candle {
  int64_t start = 0;
  int64_t open = 0, high = 0, low = 0, close = 0;
  __int128 volume = 0;        // base units
  __int128 quote_volume = 0;  // quote units
  uint64_t trades = 0;
};

}  // namespace glassbook::api
