// Reading price levels from a shadow book.
#include "api/book_levels.h"

#include <algorithm>

namespace glassbook::api {

TopOfBook top_of_book(const engine::Engine& engine, MarketId market) {
  const book::OrderBook& b = engine.book(market);
  std::vector<book::OrderBook::Level> lv;
  TopOfBook top;
  b.depth(book::Side::Buy, 1, lv);
  if (!lv.empty()) {
    top.bid = engine.price_of_ticks(market, lv[0].price);
    top.bid_quantity = engine.quantity_of_lots(market, lv[0].qty);
  }
  b.depth(book::Side::Sell, 1, lv);
  if (!lv.empty()) {
    top.ask = engine.price_of_ticks(market, lv[0].price);
    top.ask_quantity = engine.quantity_of_lots(market, lv[0].qty);
  }
  return top;
}

std::vector<std::pair<int64_t, int64_t>> book_side(const engine::Engine& engine, MarketId market, book::Side side, size_t limit) {
  std::vector<book::OrderBook::Level> lv;
  engine.book(market).depth(side, limit, lv);
  std::vector<std::pair<int64_t, int64_t>> out;
  out.reserve(lv.size());
  for (const auto& l : lv) out.emplace_back(engine.price_of_ticks(market, l.price), engine.quantity_of_lots(market, l.qty));
  if (side == book::Side::Buy) std::reverse(out.begin(), out.end());  // best bid first -> ascending
  return out;
}

std::vector<std::pair<int64_t, int64_t>> levels_at(const engine::Engine& engine, MarketId market, book::Side side,
                                                   std::vector<int64_t> prices) {
  std::vector<std::pair<int64_t, int64_t>> out;
  if (prices.empty()) return out;
  const bool buy = side == book::Side::Buy;
  // Best first: bids descending, asks ascending.
  std::sort(prices.begin(), prices.end(), [buy](int64_t a, int64_t b) { return buy ? a > b : a < b; });
  prices.erase(std::unique(prices.begin(), prices.end()), prices.end());
  const int64_t tick = engine.config().markets[market].tick_size;
  const book::Ticks farthest = prices.back() / tick;
  const book::OrderBook& b = engine.book(market);
  std::vector<book::OrderBook::Level> lv;
  for (size_t n = 64;; n *= 4) {
    b.depth(side, n, lv);
    if (lv.size() < n) break;  // the whole side
    const book::Ticks last = lv.back().price;
    if (buy ? last <= farthest : last >= farthest) break;
  }
  size_t j = 0;
  out.reserve(prices.size());
  for (int64_t p : prices) {
    const book::Ticks t = p / tick;
    while (j < lv.size() && (buy ? lv[j].price > t : lv[j].price < t)) ++j;
    const bool here = j < lv.size() && lv[j].price == t;
    out.emplace_back(p, here ? engine.quantity_of_lots(market, lv[j].qty) : 0);
  }
  if (buy) std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace glassbook::api
