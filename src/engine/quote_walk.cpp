// The walk of a quote-sized market order over the opposite side of the book.
#include "engine/quote_walk.h"

#include <algorithm>

#include "core/assert.h"

namespace glassbook::engine {

namespace {

// Walks `levels` (best first); `ended`: the walk stopped inside them (a bound, the budget, a level
// it took only part of), so more levels would not change it.
QuoteWalk walk(const std::vector<book::OrderBook::Level>& levels, bool buy, int64_t budget, int64_t notional_per_tick_lot,
               book::Ticks bound, bool& ended) {
  QuoteWalk w;
  __int128 left = budget;  // Sell: the proceeds still allowed
  ended = false;
  for (const auto& level : levels) {
    if (buy ? level.price > bound : level.price < bound) {
      ended = true;
      break;
    }
    const __int128 per_lot = static_cast<__int128>(level.price) * notional_per_tick_lot;
    book::Lots take = 0;
    if (buy) {
      // Every lot so far is held at this level's price once it is the limit.
      const __int128 affordable = static_cast<__int128>(budget) / per_lot;
      if (affordable > w.lots) take = static_cast<book::Lots>(std::min<__int128>(level.qty, affordable - w.lots));
    } else {
      take = static_cast<book::Lots>(std::min<__int128>(level.qty, left / per_lot));
      left -= take * per_lot;
    }
    if (take == 0) {
      ended = true;
      break;
    }
    w.lots += take;
    w.limit = level.price;
    if (take < level.qty) {
      ended = true;
      break;
    }
  }
  return w;
}

}  // namespace

QuoteWalk walk_for_quote(const book::OrderBook& book, book::Side taker, int64_t budget, int64_t notional_per_tick_lot,
                         book::Ticks bound, std::vector<book::OrderBook::Level>& scratch) {
  GB_ASSERT(budget > 0 && notional_per_tick_lot > 0);
  const bool buy = taker == book::Side::Buy;
  const book::Side resting = buy ? book::Side::Sell : book::Side::Buy;
  // Levels are fetched best first, twice as many each round, until the walk ends inside them.
  for (size_t want = 64;; want *= 2) {
    book.depth(resting, want, scratch);
    bool ended = false;
    const QuoteWalk w = walk(scratch, buy, budget, notional_per_tick_lot, bound, ended);
    if (ended || scratch.size() < want) return w;
  }
}

QuoteWalk walk_levels_for_quote(const std::vector<book::OrderBook::Level>& levels, book::Side taker, int64_t budget,
                                int64_t notional_per_tick_lot, book::Ticks bound) {
  GB_ASSERT(budget > 0 && notional_per_tick_lot > 0);
  bool ended = false;
  return walk(levels, taker == book::Side::Buy, budget, notional_per_tick_lot, bound, ended);
}

}  // namespace glassbook::engine
