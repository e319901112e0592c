// Backpack WebSocket payloads: trade, depth, bookTicker, ticker, kline and order updates, and the {"stream","data"} frame.
#pragma once
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "api/backpack_json.h"

namespace glassbook::api {

// {"stream":"<stream>","data":<data>}
std::string stream_frame(std::string_view stream, std::string_view data);

// Every payload carries E (event time) and T (engine time) in µs: both the command's timestamp.
std::string trade_event(const MarketView& m, const PublicTrade& t);
// asks and bids as (price, absolute quantity; 0 removes the level), ascending prices.
std::string depth_event(const MarketView& m, std::span<const std::pair<int64_t, int64_t>> asks,
                        std::span<const std::pair<int64_t, int64_t>> bids, uint64_t update_id, Timestamp ts);
std::string book_ticker_event(const MarketView& m, const TopOfBook& top, uint64_t update_id, Timestamp ts);
std::string ticker_event(const MarketView& m, const Ticker24h& t, Timestamp ts);
std::string kline_event(const MarketView& m, KlineInterval interval, const Candle& c, Timestamp ts);

// The fill an orderFill update reports.
struct FillDetail {
  uint64_t trade_id;
  int64_t price;
  int64_t quantity;
  bool maker;
  int64_t fee;
  AssetId fee_asset;
};
// `kind`: orderAccepted, orderFill, orderCancelled, orderExpired or orderModified; the order as it
// stands after the event.
std::string order_event(const MarketView& m, std::string_view kind, const OrderRecord& o, Timestamp ts,
                        const FillDetail* fill = nullptr);

}  // namespace glassbook::api
