// How much of a book a market order sized in the quote asset (Backpack's quoteQuantity) takes.
#pragma once
#include <cstdint>
#include <vector>

#include "book/order_book.h"

namespace glassbook::engine {

struct QuoteWalk {
  book::Lots lots = 0;     // 0: the budget takes not even one lot
  book::Ticks limit = 0;   // the last price level it reaches: the order's limit
};

// Walks the side a `taker` order takes from (asks for a Buy, bids for a Sell), best first, no
// further than `bound` (the order's protection limit), and returns the most lots such that:
//  - Buy: limit x lots x notional_per_tick_lot <= budget, so that what the order holds (at its
//    limit), and so what it spends, is within the budget;
//  - Sell: the proceeds, price x lots x notional_per_tick_lot summed over the levels, <= budget.
// With `limit` as an IOC order's price the order fills exactly these lots, as the book stands
// (self-trade prevention may take some away, never add). `scratch` holds levels between calls.
QuoteWalk walk_for_quote(const book::OrderBook& book, book::Side taker, int64_t budget, int64_t notional_per_tick_lot,
                         book::Ticks bound, std::vector<book::OrderBook::Level>& scratch);
// The same walk over given levels of the side it takes from, best first (a claim market's levels of
// eligible owners only: claims_trading.cpp).
QuoteWalk walk_levels_for_quote(const std::vector<book::OrderBook::Level>& levels, book::Side taker, int64_t budget,
                                int64_t notional_per_tick_lot, book::Ticks bound);

}  // namespace glassbook::engine
