// Reading a shadow book's price levels in API units: the inside of the book and the quantity at given prices.
#pragma once
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "api/market_data.h"
#include "engine/engine.h"

namespace glassbook::api {

// Best bid and ask with their aggregate quantities (quote units per base, base units; 0 for an empty side).
TopOfBook top_of_book(const engine::Engine& engine, MarketId market);

// Up to `limit` levels of a side as (price, quantity) in API units, in ascending price order.
std::vector<std::pair<int64_t, int64_t>> book_side(const engine::Engine& engine, MarketId market, book::Side side, size_t limit);

// The aggregate quantity now resting at each of `prices` (quote units per base, any order, may
// repeat) on `side`: (price, quantity) sorted ascending by price, one per distinct price, quantity 0
// where no order rests. Reads only as deep into the book as the farthest price asked.
std::vector<std::pair<int64_t, int64_t>> levels_at(const engine::Engine& engine, MarketId market, book::Side side,
                                                   std::vector<int64_t> prices);

}  // namespace glassbook::api
