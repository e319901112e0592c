// The records the exchange view keeps: orders with their full description, fills, deposits, public trades,
// candles, and for perpetuals funding payments and rates and what the view adds to each open position.
#pragma once
#include <cstdint>

#include "engine/command.h"
#include "engine/event.h"

namespace glassbook::api {

// TriggerPending: a trigger order waiting for its price; TriggerFailed: one that fired and was refused.
enum class OrderStatus : uint8_t { New, PartiallyFilled, Filled, Cancelled, Expired, TriggerPending, TriggerFailed };

inline bool is_closed(OrderStatus s) {
  return s == OrderStatus::Filled || s == OrderStatus::Cancelled || s == OrderStatus::Expired || s == OrderStatus::TriggerFailed;
}

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
  // A trigger order: its trigger price (0: not one), what it watches, and when it fired (0: not yet).
  int64_t trigger_price = 0;
  engine::TriggerBy trigger_by = engine::TriggerBy::LastPrice;
  Timestamp triggered_at = 0;
  uint16_t quantity_share_bps = 0;  // sized as a share of the position when it fires (quantity 0 until then)
  // The take-profit and stop-loss an order carries (0: none), and for one of those, its order.
  int64_t take_profit_trigger = 0, take_profit_limit = 0, stop_loss_trigger = 0, stop_loss_limit = 0;
  engine::TriggerBy take_profit_by = engine::TriggerBy::LastPrice, stop_loss_by = engine::TriggerBy::LastPrice;
  OrderId related = 0;
};

// A fill the exchange made for the account (Backpack's systemOrderType): none for the account's own
// orders; a liquidation order through the book, or a position taken over by the insurance fund
// (backstop) or by auto-deleveraging.
enum class SystemOrder : uint8_t { None, LiquidationBook, LiquidationBackstop, LiquidationAdl };

// One fill of one of the account's orders (or of a system order on its behalf).
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
  AssetId fee_asset = 0;  // spot: what the account received (base for a buy, quote for a sell); perpetual: the margin asset
  Timestamp timestamp = 0;
  SystemOrder system = SystemOrder::None;  // trade_id and order_id are 0 for a takeover (no trade, no order)
};

// One funding payment of the account (a FundingPaid event).
struct FundingPaymentRecord {
  MarketId market = 0;
  int64_t paid = 0;             // margin-asset units the account paid (negative: received)
  int64_t rate = 0;             // funding rate of the interval, 1e-9
  Timestamp interval_end = 0;   // µs: the funding time of the interval that ended
};

// One funding a perpetual applied (whether or not any position paid it).
struct FundingRateRecord {
  int64_t rate = 0;            // 1e-9
  Timestamp interval_end = 0;  // µs
};

// What the view adds to an open position of the shadow engine, from the events since it opened.
struct PositionTrack {
  uint64_t id = 0;        // the seq of the command that opened it (0: open when the view was built)
  int64_t quantity = 0;   // signed base units as of the last PositionChanged (for open interest)
  int64_t realized = 0;   // realized PnL since it opened, margin-asset units
  int64_t funding = 0;    // funding paid since it opened (negative: received)
  int64_t fees = 0;       // trading fees paid on its fills since it opened
};

struct DepositRecord {
  uint64_t id = 0;  // the chain watcher's id of the transfer
  AssetId asset = 0;
  int64_t amount = 0;
  Timestamp timestamp = 0;
  bool reversed = false;  // taken back after a reorg removed it (DepositReversed)
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
