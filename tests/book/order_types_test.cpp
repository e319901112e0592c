// Order types: GTC resting and partial fills, IOC, FOK, post-only.
#include <gtest/gtest.h>

#include "book_test_util.h"

namespace glassbook::book {
namespace {
using namespace testing;
using K = Event::Kind;

TEST(OrderTypes, GtcRestsWhenNothingCrosses) {
  OrderBook b(small_config());
  auto ev = place(b, 1, 7, Side::Buy, 100, 10);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].kind, K::Accepted);
  EXPECT_EQ(ev[0].qty, 10);
  EXPECT_EQ(ev[1].kind, K::Rested);
  EXPECT_EQ(ev[1].price, 100);
  EXPECT_EQ(ev[1].qty, 10);
  EXPECT_EQ(b.best_bid(), 100);
  EXPECT_EQ(b.best_ask(), 0);
  const Order* o = b.find(1);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->account, 7u);
  EXPECT_EQ(o->side, Side::Buy);
  EXPECT_EQ(o->remaining, 10);
  EXPECT_EQ(b.order_count(), 1u);
  EXPECT_TRUE(b.check_invariants());
}

TEST(OrderTypes, PartialFillsAcrossLevelsPrintAtMakerPrices) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 101, 5);
  place(b, 2, 1, Side::Sell, 102, 5);
  place(b, 3, 1, Side::Sell, 103, 5);
  auto ev = place(b, 4, 2, Side::Buy, 102, 12);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{1, 4, 101, 5}, {2, 4, 102, 5}}));
  auto t = of_kind(ev, K::Trade);
  EXPECT_EQ(t[0].remaining, 7);
  EXPECT_EQ(t[0].maker_remaining, 0);
  EXPECT_EQ(t[1].remaining, 2);
  auto rested = of_kind(ev, K::Rested);
  ASSERT_EQ(rested.size(), 1u);
  EXPECT_EQ(rested[0].qty, 2);
  EXPECT_EQ(rested[0].price, 102);
  EXPECT_EQ(b.best_bid(), 102);
  EXPECT_EQ(b.best_ask(), 103);
  EXPECT_EQ(b.order_count(), 2u);
  EXPECT_EQ(b.find(1), nullptr);
  EXPECT_TRUE(b.check_invariants());
}

TEST(OrderTypes, PartialFillOfMakerLeavesItWithPriority) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 100, 10);
  place(b, 2, 1, Side::Buy, 100, 10);
  auto ev = place(b, 3, 2, Side::Sell, 90, 4);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{1, 3, 100, 4}}));
  EXPECT_EQ(of_kind(ev, K::Trade)[0].maker_remaining, 6);
  EXPECT_EQ(b.find(1)->remaining, 6);
  EXPECT_EQ(levels(b, Side::Buy), (Levels{{100, 16}}));
  ev = place(b, 4, 2, Side::Sell, 100, 7);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{1, 4, 100, 6}, {2, 4, 100, 1}}));
  EXPECT_TRUE(b.check_invariants());
}

TEST(OrderTypes, SellSweepsBidsBestFirst) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 98, 5);
  place(b, 2, 1, Side::Buy, 100, 5);
  place(b, 3, 1, Side::Buy, 99, 5);
  auto ev = place(b, 4, 2, Side::Sell, 97, 20);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{2, 4, 100, 5}, {3, 4, 99, 5}, {1, 4, 98, 5}}));
  EXPECT_EQ(b.best_bid(), 0);
  EXPECT_EQ(b.best_ask(), 97);
  EXPECT_EQ(b.find(4)->remaining, 5);
}

TEST(OrderTypes, IocRemainderIsCancelled) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 101, 5);
  place(b, 2, 1, Side::Sell, 105, 5);
  auto ev = place(b, 3, 2, Side::Buy, 101, 8, TimeInForce::IOC);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{1, 3, 101, 5}}));
  auto c = of_kind(ev, K::Cancelled);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].id, 3u);
  EXPECT_EQ(c[0].qty, 3);
  EXPECT_EQ(c[0].reason, CancelReason::IocRemainder);
  EXPECT_TRUE(of_kind(ev, K::Rested).empty());
  EXPECT_EQ(b.find(3), nullptr);
  EXPECT_EQ(b.best_bid(), 0);
  EXPECT_EQ(b.order_count(), 1u);
}

TEST(OrderTypes, IocThatCannotTradeIsCancelledWhole) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 101, 5);
  auto before = snapshot(b);
  auto ev = place(b, 2, 2, Side::Buy, 100, 8, TimeInForce::IOC);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1].kind, K::Cancelled);
  EXPECT_EQ(ev[1].qty, 8);
  EXPECT_EQ(snapshot(b), before);
}

TEST(OrderTypes, IocFullyFilledHasNoCancel) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 101, 5);
  auto ev = place(b, 2, 2, Side::Buy, 101, 5, TimeInForce::IOC);
  EXPECT_EQ(trades(ev).size(), 1u);
  EXPECT_TRUE(of_kind(ev, K::Cancelled).empty());
  EXPECT_EQ(b.order_count(), 0u);
}

TEST(OrderTypes, FokFillsCompletelyAcrossLevels) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 101, 5);
  place(b, 2, 1, Side::Sell, 102, 5);
  auto ev = place(b, 3, 2, Side::Buy, 102, 10, TimeInForce::FOK);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{1, 3, 101, 5}, {2, 3, 102, 5}}));
  EXPECT_TRUE(of_kind(ev, K::Cancelled).empty());
  EXPECT_EQ(b.order_count(), 0u);
}

TEST(OrderTypes, FokKilledWithoutAnyTrade) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 101, 5);
  place(b, 2, 1, Side::Sell, 102, 5);
  place(b, 3, 1, Side::Sell, 104, 50);  // beyond the limit: does not count
  auto before = snapshot(b);
  auto ev = place(b, 4, 2, Side::Buy, 103, 11, TimeInForce::FOK);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].kind, K::Accepted);
  EXPECT_EQ(ev[1].kind, K::Cancelled);
  EXPECT_EQ(ev[1].reason, CancelReason::FokUnfilled);
  EXPECT_EQ(ev[1].qty, 11);
  EXPECT_EQ(snapshot(b), before);
}

TEST(OrderTypes, FokDoesNotCountOwnOrdersWithCancelOldest) {
  OrderBook b(small_config());
  place(b, 1, 5, Side::Sell, 101, 5);  // the taker's own
  place(b, 2, 6, Side::Sell, 102, 5);
  auto before = snapshot(b);
  auto ev = place(b, 3, 5, Side::Buy, 102, 10, TimeInForce::FOK, Stp::CancelOldest);
  EXPECT_TRUE(trades(ev).empty());
  EXPECT_EQ(of_kind(ev, K::Cancelled).at(0).reason, CancelReason::FokUnfilled);
  EXPECT_EQ(snapshot(b), before);
  // 5 available from others: fills, and the own order met on the way is cancelled.
  ev = place(b, 4, 5, Side::Buy, 102, 5, TimeInForce::FOK, Stp::CancelOldest);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{2, 4, 102, 5}}));
  auto c = of_kind(ev, K::Cancelled);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].id, 1u);
  EXPECT_EQ(c[0].reason, CancelReason::SelfTrade);
  EXPECT_EQ(b.order_count(), 0u);
}

TEST(OrderTypes, FokStopsAtOwnOrderWithCancelNewest) {
  OrderBook b(small_config());
  place(b, 1, 6, Side::Sell, 101, 5);
  place(b, 2, 5, Side::Sell, 101, 5);  // own, behind order 1
  place(b, 3, 6, Side::Sell, 102, 20);
  auto before = snapshot(b);
  // Matching would stop at order 2, so only 5 are reachable.
  auto ev = place(b, 4, 5, Side::Buy, 102, 6, TimeInForce::FOK, Stp::CancelNewest);
  EXPECT_TRUE(trades(ev).empty());
  EXPECT_EQ(snapshot(b), before);
  ev = place(b, 5, 5, Side::Buy, 102, 5, TimeInForce::FOK, Stp::CancelBoth);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{1, 5, 101, 5}}));
  EXPECT_TRUE(of_kind(ev, K::Cancelled).empty());
}

TEST(OrderTypes, PostOnlyRestsWhenItWouldNotCross) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 101, 5);
  auto ev = place(b, 2, 2, Side::Buy, 100, 5, TimeInForce::PostOnly);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[1].kind, K::Rested);
  EXPECT_EQ(b.best_bid(), 100);
}

TEST(OrderTypes, PostOnlyThatWouldCrossIsCancelledWithoutTrading) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 101, 5);
  place(b, 2, 1, Side::Buy, 99, 5);
  auto before = snapshot(b);
  for (Ticks px : {101, 105}) {
    auto ev = place(b, 3, 2, Side::Buy, px, 5, TimeInForce::PostOnly);
    ASSERT_EQ(ev.size(), 2u);
    EXPECT_EQ(ev[1].kind, K::Cancelled);
    EXPECT_EQ(ev[1].reason, CancelReason::PostOnlyWouldCross);
    EXPECT_EQ(ev[1].qty, 5);
    EXPECT_EQ(snapshot(b), before);
  }
  auto ev = place(b, 4, 2, Side::Sell, 99, 5, TimeInForce::PostOnly);
  EXPECT_EQ(ev.back().reason, CancelReason::PostOnlyWouldCross);
  EXPECT_EQ(snapshot(b), before);
}

}  // namespace
}  // namespace glassbook::book
