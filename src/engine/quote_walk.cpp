// The walk of a quote-sized market order over the opposite side of the book.
#include "engine/quote_walk.h"

#include <algorithm>

#include "core/assert.h"

namespace glassbook::engine {

QuoteWalk walk_for_quote(const book::OrderBook& book, book::Side taker, int64_t budget, int64_t notional_per_tick_lot,
                         book::Ticks bound, std::vector<book::OrderBook::Level>& scratch) {
  GB_ASSERT(budget > 0 && notional_per_tick_lot > 0);
  const bool buy = taker == book::Side::Buy;
  const book::Side resting = buy ? book::Side::Sell : book::Side::Buy;
  QuoteWalk w;
  __int128 left = budget;  // Sell: the proceeds still allowed
  // Levels are fetched best first, twice as many each round, until the walk ends inside them.
  for (size_t want = 64;; want *= 2) {
    book.depth(resting, want, scratch);
    w = QuoteWalk{};
    left = budget;
    bool ended = false;
    for (const auto& level : scratch) {
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
    if (ended || scratch.size() < want) return w;
  }
}

}  // namespace glassbook::engine
