// walk_for_quote: the lots and limit of a market order sized in the quote asset, over many levels
// (more than one round of fetched levels), within its protection bound, never over its budget.
#include "engine/quote_walk.h"

#include <gtest/gtest.h>

#include <vector>

namespace glassbook::engine {
namespace {

using book::Side;

// Asks of `lots` at ticks first, first+1, ...; bids of `lots` at first, first-1, ...
void fill(book::OrderBook& b, Side resting, book::Ticks first, int levels, book::Lots lots) {
  std::vector<book::Event> out;
  for (int i = 0; i < levels; ++i) {
    const book::Ticks price = resting == Side::Sell ? first + i : first - i;
    b.add(book::NewOrder{static_cast<book::OrderId>(i + 1), 1, resting, price, lots, book::TimeInForce::GTC, book::Stp::CancelNewest}, out);
  }
}

constexpr book::BookConfig kConfig{1 << 16, 1 << 12};

TEST(QuoteWalk, ABuyHoldsNoMoreThanItsBudgetAtItsLimit) {
  book::OrderBook b(kConfig);
  fill(b, Side::Sell, 100, 3, 10);  // 10 lots at 100, 101, 102
  std::vector<book::OrderBook::Level> scratch;
  EXPECT_EQ(walk_for_quote(b, Side::Buy, 1000, 1, 1000, scratch).lots, 10);  // exactly the first level
  EXPECT_EQ(walk_for_quote(b, Side::Buy, 1000, 1, 1000, scratch).limit, 100);
  const QuoteWalk w = walk_for_quote(b, Side::Buy, 2500, 1, 1000, scratch);  // 24 lots x 102 = 2448 <= 2500 < 25 x 102
  EXPECT_EQ(w.lots, 24);
  EXPECT_EQ(w.limit, 102);
  EXPECT_EQ(walk_for_quote(b, Side::Buy, 99, 1, 1000, scratch).lots, 0);  // not one lot
  EXPECT_EQ(walk_for_quote(b, Side::Buy, 1'000'000, 1, 101, scratch).lots, 20);  // stops at the bound
  EXPECT_EQ(walk_for_quote(b, Side::Buy, 1'000'000, 1, 1000, scratch).lots, 30);  // the whole side
}

TEST(QuoteWalk, ASellReceivesNoMoreThanItsBudget) {
  book::OrderBook b(kConfig);
  fill(b, Side::Buy, 100, 3, 10);  // 10 lots at 100, 99, 98
  std::vector<book::OrderBook::Level> scratch;
  const QuoteWalk w = walk_for_quote(b, Side::Sell, 1500, 1, 1, scratch);  // 1000 + 5 x 99 = 1495
  EXPECT_EQ(w.lots, 15);
  EXPECT_EQ(w.limit, 99);
  EXPECT_EQ(walk_for_quote(b, Side::Sell, 1'000'000, 1, 99, scratch).lots, 20);  // stops at the bound
}

TEST(QuoteWalk, WalksPastTheFirstRoundOfLevels) {
  book::OrderBook b(kConfig);
  fill(b, Side::Sell, 1000, 200, 1);  // 1 lot at each of 200 levels
  std::vector<book::OrderBook::Level> scratch;
  const QuoteWalk all = walk_for_quote(b, Side::Buy, INT64_MAX / 2, 1, 1 << 16, scratch);
  EXPECT_EQ(all.lots, 200);
  EXPECT_EQ(all.limit, 1199);
}

}  // namespace
}  // namespace glassbook::engine
