// Price-time priority and self-trade prevention modes.
#include <gtest/gtest.h>

#include "book_test_util.h"

namespace glassbook::book {
namespace {
using namespace testing;
using K = Event::Kind;

TEST(Priority, BetterPriceFirstThenEarlierOrder) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 100, 5);
  place(b, 2, 2, Side::Sell, 100, 5);
  place(b, 3, 3, Side::Sell, 99, 5);
  place(b, 4, 4, Side::Sell, 100, 5);
  auto ev = place(b, 10, 9, Side::Buy, 100, 12);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{3, 10, 99, 5}, {1, 10, 100, 5}, {2, 10, 100, 2}}));
  EXPECT_EQ(b.find(2)->remaining, 3);
  EXPECT_EQ(levels(b, Side::Sell), (Levels{{100, 8}}));
  std::vector<OrderId> order;
  b.for_each_order(Side::Sell, [&](const Order& o) { order.push_back(o.id); });
  EXPECT_EQ(order, (std::vector<OrderId>{2, 4}));
}

TEST(Priority, SequenceNumbersFollowArrival) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 100, 5);
  place(b, 2, 1, Side::Buy, 100, 5);
  EXPECT_LT(b.find(1)->seq, b.find(2)->seq);
}

TEST(Priority, ForEachOrderVisitsInPriceTimeOrder) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 99, 1);
  place(b, 2, 1, Side::Buy, 101, 1);
  place(b, 3, 1, Side::Buy, 99, 1);
  place(b, 4, 1, Side::Buy, 100, 1);
  std::vector<OrderId> ids;
  b.for_each_order(Side::Buy, [&](const Order& o) { ids.push_back(o.id); });
  EXPECT_EQ(ids, (std::vector<OrderId>{2, 4, 1, 3}));
}

TEST(SelfTrade, CancelNewestCancelsTakerAndLeavesRestingOrder) {
  OrderBook b(small_config());
  place(b, 1, 5, Side::Sell, 100, 5);
  auto before = snapshot(b);
  auto ev = place(b, 2, 5, Side::Buy, 100, 5, TimeInForce::GTC, Stp::CancelNewest);
  EXPECT_TRUE(trades(ev).empty());
  auto c = of_kind(ev, K::Cancelled);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].id, 2u);
  EXPECT_EQ(c[0].qty, 5);
  EXPECT_EQ(c[0].reason, CancelReason::SelfTrade);
  EXPECT_EQ(snapshot(b), before);
}

TEST(SelfTrade, CancelNewestAfterPartialFillsCancelsOnlyTheRemainder) {
  OrderBook b(small_config());
  place(b, 1, 6, Side::Sell, 99, 3);
  place(b, 2, 5, Side::Sell, 100, 5);
  place(b, 3, 6, Side::Sell, 100, 5);
  auto ev = place(b, 4, 5, Side::Buy, 100, 10, TimeInForce::GTC, Stp::CancelNewest);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{1, 4, 99, 3}}));
  EXPECT_EQ(ev.back().kind, K::Cancelled);
  EXPECT_EQ(ev.back().id, 4u);
  EXPECT_EQ(ev.back().qty, 7);
  EXPECT_EQ(ev.back().reason, CancelReason::SelfTrade);
  EXPECT_NE(b.find(2), nullptr);
  EXPECT_NE(b.find(3), nullptr);
  EXPECT_EQ(b.find(4), nullptr);
}

TEST(SelfTrade, CancelOldestCancelsRestingAndKeepsMatching) {
  OrderBook b(small_config());
  place(b, 1, 5, Side::Sell, 100, 5);
  place(b, 2, 6, Side::Sell, 100, 5);
  auto ev = place(b, 3, 5, Side::Buy, 100, 8, TimeInForce::GTC, Stp::CancelOldest);
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_EQ(ev[1].kind, K::Cancelled);
  EXPECT_EQ(ev[1].id, 1u);
  EXPECT_EQ(ev[1].reason, CancelReason::SelfTrade);
  EXPECT_EQ(ev[1].qty, 5);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{2, 3, 100, 5}}));
  EXPECT_EQ(ev[3].kind, K::Rested);
  EXPECT_EQ(ev[3].qty, 3);
  EXPECT_EQ(b.best_bid(), 100);
  EXPECT_EQ(b.best_ask(), 0);
  EXPECT_TRUE(b.check_invariants());
}

TEST(SelfTrade, CancelBothCancelsRestingAndTaker) {
  OrderBook b(small_config());
  place(b, 1, 5, Side::Sell, 100, 5);
  place(b, 2, 6, Side::Sell, 100, 5);
  auto ev = place(b, 3, 5, Side::Buy, 100, 8, TimeInForce::GTC, Stp::CancelBoth);
  EXPECT_TRUE(trades(ev).empty());
  auto c = of_kind(ev, K::Cancelled);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].id, 1u);
  EXPECT_EQ(c[1].id, 3u);
  EXPECT_EQ(c[1].qty, 8);
  EXPECT_EQ(c[0].reason, CancelReason::SelfTrade);
  EXPECT_EQ(c[1].reason, CancelReason::SelfTrade);
  EXPECT_EQ(b.find(1), nullptr);
  EXPECT_NE(b.find(2), nullptr);
  EXPECT_EQ(b.order_count(), 1u);
  EXPECT_TRUE(b.check_invariants());
}

TEST(SelfTrade, DifferentAccountsTrade) {
  OrderBook b(small_config());
  place(b, 1, 5, Side::Sell, 100, 5);
  auto ev = place(b, 2, 6, Side::Buy, 100, 5);
  EXPECT_EQ(trades(ev).size(), 1u);
  auto t = of_kind(ev, K::Trade)[0];
  EXPECT_EQ(t.maker_account, 5u);
  EXPECT_EQ(t.account, 6u);
}

TEST(SelfTrade, AnonymousBookLetsAnyOrdersTrade) {
  BookConfig c = small_config();
  c.anonymous = true;
  OrderBook b(c);
  place(b, 1, 0, Side::Sell, 100, 5);
  auto ev = place(b, 2, 0, Side::Buy, 100, 5);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{1, 2, 100, 5}}));
  std::vector<Event> out;
  place(b, 3, 0, Side::Sell, 100, 5);
  EXPECT_EQ(b.cancel_all(0, out), 0u);  // no account index
  EXPECT_TRUE(b.check_invariants());
}

}  // namespace
}  // namespace glassbook::book
