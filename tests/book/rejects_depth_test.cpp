// Input rejects (no state change), depth snapshots and best prices in a sparse,
// wide book.
#include <gtest/gtest.h>

#include "book_test_util.h"

namespace glassbook::book {
namespace {
using namespace testing;
using K = Event::Kind;

OrderBook populated(uint32_t max_orders = 1000) {
  OrderBook b(small_config(max_orders));
  place(b, 1, 1, Side::Buy, 99, 5);
  place(b, 2, 2, Side::Buy, 98, 5);
  place(b, 3, 1, Side::Sell, 101, 5);
  return b;
}

void expect_rejected(OrderBook& b, const NewOrder& o, Reject expected) {
  auto before = snapshot(b);
  std::vector<Event> out;
  EXPECT_EQ(b.add(o, out), expected);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, K::Rejected);
  EXPECT_EQ(out[0].reject, expected);
  EXPECT_EQ(out[0].id, o.id);
  EXPECT_EQ(snapshot(b), before);
  EXPECT_TRUE(b.check_invariants());
}

TEST(Rejects, BadPrice) {
  OrderBook b = populated();
  for (Ticks px : {Ticks{0}, Ticks{-5}, Ticks{1001}, Ticks{1} << 40})
    expect_rejected(b, NewOrder{10, 1, Side::Sell, px, 5, TimeInForce::GTC, Stp::CancelNewest}, Reject::BadPrice);
  // The bounds themselves are valid.
  std::vector<Event> out;
  EXPECT_EQ(b.add(NewOrder{11, 1, Side::Buy, 1, 5, TimeInForce::GTC, Stp::CancelNewest}, out), Reject::None);
  EXPECT_EQ(b.add(NewOrder{12, 1, Side::Sell, 1000, 5, TimeInForce::GTC, Stp::CancelNewest}, out), Reject::None);
}

TEST(Rejects, BadQuantity) {
  OrderBook b = populated();
  for (Lots q : {Lots{0}, Lots{-1}, Lots{-1000}})
    expect_rejected(b, NewOrder{10, 1, Side::Sell, 99, q, TimeInForce::IOC, Stp::CancelNewest}, Reject::BadQuantity);
}

TEST(Rejects, DuplicateIdOfARestingOrder) {
  OrderBook b = populated();
  expect_rejected(b, NewOrder{2, 9, Side::Sell, 120, 5, TimeInForce::GTC, Stp::CancelNewest}, Reject::DuplicateId);
  expect_rejected(b, NewOrder{3, 9, Side::Buy, 50, 5, TimeInForce::IOC, Stp::CancelNewest}, Reject::DuplicateId);
  // Once the order is gone its id may be used again.
  std::vector<Event> out;
  b.cancel(2, out);
  EXPECT_EQ(b.add(NewOrder{2, 9, Side::Sell, 120, 5, TimeInForce::GTC, Stp::CancelNewest}, out), Reject::None);
}

TEST(Rejects, BadEnumValues) {
  OrderBook b = populated();
  expect_rejected(b, NewOrder{10, 1, static_cast<Side>(2), 99, 5, TimeInForce::GTC, Stp::CancelNewest},
                  Reject::BadSide);
  expect_rejected(b, NewOrder{10, 1, Side::Buy, 99, 5, static_cast<TimeInForce>(9), Stp::CancelNewest},
                  Reject::BadSide);
  expect_rejected(b, NewOrder{10, 1, Side::Buy, 99, 5, TimeInForce::GTC, static_cast<Stp>(7)}, Reject::BadSide);
}

TEST(Rejects, CancelOfUnknownIdChangesNothing) {
  OrderBook b = populated();
  auto before = snapshot(b);
  std::vector<Event> out;
  EXPECT_EQ(b.cancel(77, out), Reject::NotFound);
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(snapshot(b), before);
}

TEST(Rejects, PoolFull) {
  OrderBook b = populated(3);
  expect_rejected(b, NewOrder{10, 1, Side::Buy, 97, 5, TimeInForce::GTC, Stp::CancelNewest}, Reject::BookFull);
  expect_rejected(b, NewOrder{10, 1, Side::Buy, 100, 5, TimeInForce::PostOnly, Stp::CancelNewest},
                  Reject::BookFull);
  // A GTC order that would fill completely needs no slot: it trades as the IOC order does. One that
  // would rest a remainder is refused whole.
  expect_rejected(b, NewOrder{10, 2, Side::Buy, 101, 50, TimeInForce::GTC, Stp::CancelNewest}, Reject::BookFull);
  // Orders that never rest are still accepted, and freeing a slot makes room.
  std::vector<Event> out;
  EXPECT_EQ(b.add(NewOrder{11, 2, Side::Buy, 101, 5, TimeInForce::IOC, Stp::CancelNewest}, out), Reject::None);
  EXPECT_EQ(b.order_count(), 2u);
  EXPECT_EQ(b.add(NewOrder{12, 2, Side::Buy, 97, 5, TimeInForce::GTC, Stp::CancelNewest}, out), Reject::None);
  EXPECT_EQ(b.order_count(), 3u);
  EXPECT_TRUE(b.check_invariants());
}

TEST(Rejects, AFullBookTradesAGtcOrderThatFillsCompletely) {
  OrderBook b = populated(3);
  std::vector<Event> out;
  EXPECT_EQ(b.add(NewOrder{11, 2, Side::Buy, 101, 5, TimeInForce::GTC, Stp::CancelNewest}, out), Reject::None);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].kind, K::Trade);
  EXPECT_EQ(out[1].qty, 5);
  EXPECT_EQ(b.order_count(), 2u);
  EXPECT_EQ(b.level_qty(Side::Sell, 101), 0);
  EXPECT_EQ(b.level_qty(Side::Buy, 99), 5);
  EXPECT_TRUE(b.check_invariants());
}

TEST(Depth, AggregatesLevelsBestFirst) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 99, 5);
  place(b, 2, 1, Side::Buy, 99, 7);
  place(b, 3, 1, Side::Buy, 97, 1);
  place(b, 4, 1, Side::Buy, 98, 2);
  place(b, 5, 1, Side::Sell, 103, 4);
  place(b, 6, 1, Side::Sell, 101, 3);
  place(b, 7, 1, Side::Sell, 101, 3);
  std::vector<OrderBook::Level> d;
  b.depth(Side::Buy, 10, d);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].price, 99);
  EXPECT_EQ(d[0].qty, 12);
  EXPECT_EQ(d[0].orders, 2u);
  EXPECT_EQ(d[1].price, 98);
  EXPECT_EQ(d[2].price, 97);
  EXPECT_EQ(levels(b, Side::Sell), (Levels{{101, 6}, {103, 4}}));
  b.depth(Side::Sell, 1, d);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].orders, 2u);
  b.depth(Side::Buy, 0, d);
  EXPECT_TRUE(d.empty());
  place(b, 8, 2, Side::Sell, 98, 13);  // takes 99 and 1 lot of 98
  EXPECT_EQ(levels(b, Side::Buy), (Levels{{98, 1}, {97, 1}}));
}

TEST(SparseBook, BestPricesFollowLevelsFarApart) {
  BookConfig c = small_config(100, kMaxPriceTicks);
  OrderBook b(c);
  const std::vector<Ticks> bids = {1, 63, 64, 4095, 4096, 262143, 262145, 16777216, 30000000};
  const std::vector<Ticks> asks = {30000001, 40000000, 50000000, 60000000, 67000000, kMaxPriceTicks};
  OrderId id = 1;
  for (Ticks p : bids) place(b, id++, 1, Side::Buy, p, 1);
  for (Ticks p : asks) place(b, id++, 1, Side::Sell, p, 1);
  EXPECT_TRUE(b.check_invariants());
  std::vector<Event> out;
  // Remove bids from the best down: each time the next one must be found.
  for (size_t k = bids.size(); k-- > 0;) {
    EXPECT_EQ(b.best_bid(), bids[k]);
    b.cancel(static_cast<OrderId>(k + 1), out);
  }
  EXPECT_EQ(b.best_bid(), 0);
  // A sell sweeping several far-apart asks: buy through all of them.
  auto ev = place(b, 100, 2, Side::Buy, kMaxPriceTicks, 4);
  EXPECT_EQ(trades(ev).size(), 4u);
  EXPECT_EQ(trades(ev).back().price, 60000000);
  EXPECT_EQ(b.best_ask(), 67000000);
  EXPECT_EQ(b.best_bid(), 0);  // fully filled
  EXPECT_EQ(levels(b, Side::Sell), (Levels{{67000000, 1}, {kMaxPriceTicks, 1}}));
}

TEST(Config, RejectsBadLimits) {
  EXPECT_THROW(OrderBook(small_config(10, 0)), std::invalid_argument);
  EXPECT_THROW(OrderBook(small_config(10, kMaxPriceTicks + 1)), std::invalid_argument);
  EXPECT_THROW(OrderBook(small_config(0, 100)), std::invalid_argument);
}

}  // namespace
}  // namespace glassbook::book
