// MarketData: one market's public history: recent trades, 1-minute candles, the 24h ticker and K-lines built from them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "api/kline_interval.h"
#include "api/view_records.h"

namespace glassbook::api {

// Rolling 24-hour statistics.
struct Ticker24h {
  bool traded = false;  // any trade in the window (else the prices below repeat the last price)
  int64_t first = 0, last = 0, high = 0, low = 0;  // 0: never traded
  __int128 volume = 0, quote_volume = 0;
  uint64_t trades = 0;
};

// The inside of the book as last published on the bookTicker stream.
struct TopOfBook {
  int64_t bid = 0, bid_quantity = 0, ask = 0, ask_quantity = 0;  // 0: side empty
  bool operator==(const TopOfBook&) const = default;
};

// Memory: at most trade_cap trades and candle_cap 1-minute candles (only minutes with trades are
// kept, so the candles reach back at least candle_cap minutes).
class MarketData {
 public:
  MarketData(size_t trade_cap, size_t candle_cap) : trade_cap_(trade_cap), candle_cap_(candle_cap) {}

  // Records a trade (ids and timestamps increase) and folds it into its 1-minute candle.
  void add_trade(const PublicTrade& trade, __int128 quote_volume);

  const std::deque<PublicTrade>& trades() const { return trades_; }  // oldest first
  const std::deque<Candle>& candles() const { return candles_; }     // 1-minute, ascending start
  int64_t last_price() const { return last_price_; }
  void set_last_price(int64_t price) { last_price_ = price; }

  // The 24 hours up to `now` (µs): candles starting in (now - 24h, now].
  Ticker24h ticker(Timestamp now) const;
  // Candles of `interval` whose bucket ends after from_s and starts before to_s (to_s <= 0: no
  // bound), ascending, aggregated from the 1-minute candles. Empty buckets are left out.
  std::vector<Candle> klines(KlineInterval interval, int64_t from_s, int64_t to_s) const;
  // The candle of `interval` holding `at_s` (empty candle with trades == 0 when none).
  Candle candle_at(KlineInterval interval, int64_t at_s) const;

  // Publication state, advanced by the view.
  uint64_t trade_count = 0;  // trades ever in this market: the last trade's id
  uint64_t update_id = 0;    // depth update id: see ExchangeView
  TopOfBook top;

 private:
  size_t trade_cap_, candle_cap_;
  std::deque<PublicTrade> trades_;
  std::deque<Candle> candles_;
  int64_t last_price_ = 0;
};

}  // namespace glassbook::api
