// Cancel, cancel_all, amend (in place or re-insert) and modify.
#include <gtest/gtest.h>

#include "book_test_util.h"

namespace glassbook::book {
namespace {
using namespace testing;
using K = Event::Kind;

std::vector<OrderId> queue(const OrderBook& b, Side s) {
  std::vector<OrderId> ids;
  b.for_each_order(s, [&](const Order& o) { ids.push_back(o.id); });
  return ids;
}

TEST(Cancel, RemovesTheOrderAndReportsItsRemaining) {
  OrderBook b(small_config());
  place(b, 1, 3, Side::Buy, 100, 10);
  place(b, 2, 4, Side::Sell, 100, 4);  // fills 4 of order 1
  std::vector<Event> out;
  EXPECT_EQ(b.cancel(1, out), Reject::None);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, K::Cancelled);
  EXPECT_EQ(out[0].id, 1u);
  EXPECT_EQ(out[0].account, 3u);
  EXPECT_EQ(out[0].qty, 6);
  EXPECT_EQ(out[0].price, 100);
  EXPECT_EQ(out[0].reason, CancelReason::User);
  EXPECT_EQ(b.order_count(), 0u);
  EXPECT_EQ(b.best_bid(), 0);
  out.clear();
  EXPECT_EQ(b.cancel(1, out), Reject::NotFound);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, K::Rejected);
  EXPECT_EQ(out[0].reject, Reject::NotFound);
}

TEST(Cancel, FromTheMiddleOfALevelKeepsTheOthersInOrder) {
  OrderBook b(small_config());
  for (OrderId id = 1; id <= 5; ++id) place(b, id, 1, Side::Sell, 100, 1);
  std::vector<Event> out;
  b.cancel(3, out);
  b.cancel(1, out);
  b.cancel(5, out);
  EXPECT_EQ(queue(b, Side::Sell), (std::vector<OrderId>{2, 4}));
  EXPECT_EQ(levels(b, Side::Sell), (Levels{{100, 2}}));
  auto ev = place(b, 9, 2, Side::Buy, 100, 2);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{2, 9, 100, 1}, {4, 9, 100, 1}}));
  EXPECT_TRUE(b.check_invariants());
}

TEST(Cancel, LastOrderOfBestLevelMovesBestPrice) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 100, 1);
  place(b, 2, 1, Side::Buy, 90, 1);
  place(b, 3, 1, Side::Sell, 110, 1);
  place(b, 4, 1, Side::Sell, 120, 1);
  std::vector<Event> out;
  b.cancel(1, out);
  b.cancel(3, out);
  EXPECT_EQ(b.best_bid(), 90);
  EXPECT_EQ(b.best_ask(), 120);
}

TEST(CancelAll, CancelsOnlyThatAccountOldestFirst) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 100, 5);
  place(b, 2, 2, Side::Buy, 100, 5);
  place(b, 3, 1, Side::Sell, 110, 5);
  place(b, 4, 2, Side::Sell, 111, 5);
  place(b, 5, 1, Side::Buy, 99, 5);
  place(b, 6, 3, Side::Sell, 100, 2);  // partially fills order 1
  std::vector<Event> out;
  EXPECT_EQ(b.cancel_all(1, out), 3u);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].id, 1u);
  EXPECT_EQ(out[0].qty, 3);
  EXPECT_EQ(out[1].id, 3u);
  EXPECT_EQ(out[2].id, 5u);
  for (const Event& e : out) {
    EXPECT_EQ(e.kind, K::Cancelled);
    EXPECT_EQ(e.reason, CancelReason::User);
    EXPECT_EQ(e.account, 1u);
  }
  EXPECT_EQ(b.order_count(), 2u);
  EXPECT_NE(b.find(2), nullptr);
  EXPECT_NE(b.find(4), nullptr);
  out.clear();
  EXPECT_EQ(b.cancel_all(1, out), 0u);
  EXPECT_EQ(b.cancel_all(42, out), 0u);
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(b.check_invariants());
}

TEST(Amend, QtyDownAtSamePriceKeepsPriority) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 100, 10);
  place(b, 2, 2, Side::Sell, 100, 10);
  const uint64_t seq = b.find(1)->seq;
  std::vector<Event> out;
  EXPECT_EQ(b.amend(1, 100, 4, out), Reject::None);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, K::Amended);
  EXPECT_EQ(out[0].qty, 4);
  EXPECT_EQ(out[0].price, 100);
  EXPECT_EQ(b.find(1)->seq, seq);
  EXPECT_EQ(levels(b, Side::Sell), (Levels{{100, 14}}));
  EXPECT_EQ(queue(b, Side::Sell), (std::vector<OrderId>{1, 2}));
  auto ev = place(b, 3, 3, Side::Buy, 100, 5);
  EXPECT_EQ(trades(ev), (std::vector<Trade>{{1, 3, 100, 4}, {2, 3, 100, 1}}));
  EXPECT_TRUE(b.check_invariants());
}

TEST(Amend, QtyUpLosesPriority) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 100, 10);
  place(b, 2, 2, Side::Sell, 100, 10);
  std::vector<Event> out;
  EXPECT_EQ(b.amend(1, 100, 12, out), Reject::None);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].kind, K::Cancelled);
  EXPECT_EQ(out[0].reason, CancelReason::Amend);
  EXPECT_EQ(out[0].qty, 10);
  EXPECT_EQ(out[1].kind, K::Amended);
  EXPECT_EQ(out[1].qty, 12);
  EXPECT_EQ(out[2].kind, K::Rested);
  EXPECT_EQ(queue(b, Side::Sell), (std::vector<OrderId>{2, 1}));
  EXPECT_EQ(levels(b, Side::Sell), (Levels{{100, 22}}));
  EXPECT_EQ(b.find(1)->account, 1u);
}

TEST(Amend, PriceChangeLosesPriority) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 100, 10);
  place(b, 2, 2, Side::Buy, 99, 10);
  std::vector<Event> out;
  b.amend(1, 99, 5, out);
  EXPECT_EQ(queue(b, Side::Buy), (std::vector<OrderId>{2, 1}));
  EXPECT_EQ(levels(b, Side::Buy), (Levels{{99, 15}}));
  EXPECT_EQ(b.find(1)->price, 99);
  EXPECT_TRUE(b.check_invariants());
}

TEST(Amend, ThatCrossesTradesAsTaker) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 99, 10);
  place(b, 2, 2, Side::Sell, 101, 4);
  std::vector<Event> out;
  EXPECT_EQ(b.amend(1, 102, 10, out), Reject::None);
  EXPECT_EQ(trades(out), (std::vector<Trade>{{2, 1, 101, 4}}));
  EXPECT_EQ(out.back().kind, K::Rested);
  EXPECT_EQ(out.back().qty, 6);
  EXPECT_EQ(b.best_bid(), 102);
  EXPECT_EQ(b.best_ask(), 0);
}

TEST(Amend, ReinsertKeepsSelfTradePrevention) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 99, 10, TimeInForce::GTC, Stp::CancelNewest);
  place(b, 2, 1, Side::Sell, 101, 4);
  std::vector<Event> out;
  b.amend(1, 101, 10, out);
  EXPECT_TRUE(trades(out).empty());
  EXPECT_EQ(out.back().reason, CancelReason::SelfTrade);
  EXPECT_EQ(b.find(1), nullptr);
  EXPECT_NE(b.find(2), nullptr);
}

TEST(Amend, RejectsLeaveTheBookUnchanged) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Buy, 99, 10);
  auto before = snapshot(b);
  std::vector<Event> out;
  EXPECT_EQ(b.amend(2, 99, 5, out), Reject::NotFound);
  EXPECT_EQ(b.amend(1, 0, 5, out), Reject::BadPrice);
  EXPECT_EQ(b.amend(1, 1001, 5, out), Reject::BadPrice);
  EXPECT_EQ(b.amend(1, 99, 0, out), Reject::BadQuantity);
  EXPECT_EQ(b.amend(1, 99, -3, out), Reject::BadQuantity);
  EXPECT_EQ(b.modify(2, 99, 5, out), Reject::NotFound);
  EXPECT_EQ(b.modify(1, -1, 5, out), Reject::BadPrice);
  EXPECT_EQ(b.modify(1, 99, 0, out), Reject::BadQuantity);
  EXPECT_EQ(out.size(), 8u);
  for (const Event& e : out) EXPECT_EQ(e.kind, K::Rejected);
  EXPECT_EQ(snapshot(b), before);
}

TEST(Modify, AlwaysLosesPriorityEvenForQtyDown) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 100, 10);
  place(b, 2, 2, Side::Sell, 100, 10);
  std::vector<Event> out;
  EXPECT_EQ(b.modify(1, 100, 3, out), Reject::None);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].reason, CancelReason::Amend);
  EXPECT_EQ(out[1].kind, K::Amended);
  EXPECT_EQ(out[2].kind, K::Rested);
  EXPECT_EQ(queue(b, Side::Sell), (std::vector<OrderId>{2, 1}));
  EXPECT_EQ(levels(b, Side::Sell), (Levels{{100, 13}}));
}

TEST(Modify, CanTradeAndRestTheRemainder) {
  OrderBook b(small_config());
  place(b, 1, 1, Side::Sell, 105, 10);
  place(b, 2, 2, Side::Buy, 100, 3);
  std::vector<Event> out;
  b.modify(1, 100, 10, out);
  EXPECT_EQ(trades(out), (std::vector<Trade>{{2, 1, 100, 3}}));
  EXPECT_EQ(b.find(1)->remaining, 7);
  EXPECT_EQ(b.best_ask(), 100);
  EXPECT_TRUE(b.check_invariants());
}

}  // namespace
}  // namespace glassbook::book
