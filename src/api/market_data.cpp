// MarketData: trades ring, 1-minute candles and their aggregates.
#include "api/market_data.h"

#include <algorithm>

#include "api/iso_time.h"

namespace glassbook::api {

namespace {
void merge(Candle& into, const Candle& c) {
  into.high = std::max(into.high, c.high);
  into.low = std::min(into.low, c.low);
  into.close = c.close;
  into.volume += c.volume;
  into.quote_volume += c.quote_volume;
  into.trades += c.trades;
}

// First 1-minute candle starting at or after `s`.
std::deque<Candle>::const_iterator first_from(const std::deque<Candle>& candles, int64_t s) {
  return std::lower_bound(candles.begin(), candles.end(), s, [](const Candle& c, int64_t v) { return c.start < v; });
}
}  // namespace

void MarketData::add_trade(const PublicTrade& t, __int128 quote_volume) {
  if (trade_cap_ > 0) {
    if (trades_.size() >= trade_cap_) trades_.pop_front();
    trades_.push_back(t);
  }
  last_price_ = t.price;
  if (candle_cap_ == 0) return;
  const int64_t minute = floor_div(floor_div(t.timestamp, 1'000'000), 60) * 60;
  if (candles_.empty() || candles_.back().start < minute) {
    if (candles_.size() >= candle_cap_) candles_.pop_front();
    candles_.push_back(Candle{minute, t.price, t.price, t.price, t.price, 0, 0, 0});
  }
  Candle& c = candles_.back();  // timestamps never go back, so the trade's minute is the last one
  c.high = std::max(c.high, t.price);
  c.low = std::min(c.low, t.price);
  c.close = t.price;
  c.volume += t.quantity;
  c.quote_volume += quote_volume;
  c.trades += 1;
}

Ticker24h MarketData::ticker(Timestamp now) const {
  Ticker24h r;
  const int64_t now_s = floor_div(now, 1'000'000);
  for (auto it = first_from(candles_, now_s - 86'400 + 1); it != candles_.end() && it->start <= now_s; ++it) {
    if (!r.traded) {
      r.traded = true;
      r.first = it->open;
      r.high = it->high;
      r.low = it->low;
    }
    r.high = std::max(r.high, it->high);
    r.low = std::min(r.low, it->low);
    r.last = it->close;
    r.volume += it->volume;
    r.quote_volume += it->quote_volume;
    r.trades += it->trades;
  }
  if (!r.traded) r.first = r.last = r.high = r.low = last_price_;
  return r;
}

std::vector<Candle> MarketData::klines(KlineInterval interval, int64_t from_s, int64_t to_s) const {
  std::vector<Candle> out;
  for (auto it = first_from(candles_, kline_bucket(interval, from_s).start); it != candles_.end(); ++it) {
    const int64_t start = kline_bucket(interval, it->start).start;
    if (to_s > 0 && start >= to_s) break;
    if (out.empty() || out.back().start != start) {
      out.push_back(*it);
      out.back().start = start;
    } else {
      merge(out.back(), *it);
    }
  }
  return out;
}

Candle MarketData::candle_at(KlineInterval interval, int64_t at_s) const {
  const KlineBucket b = kline_bucket(interval, at_s);
  Candle out;
  out.start = b.start;
  for (auto it = first_from(candles_, b.start); it != candles_.end() && it->start < b.end; ++it) {
    if (out.trades == 0) {
      const int64_t start = out.start;
      out = *it;
      out.start = start;
    } else {
      merge(out, *it);
    }
  }
  return out;
}

}  // namespace glassbook::api
