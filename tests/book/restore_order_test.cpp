// restore_order(): replaying a book's orders in the order they rested rebuilds it exactly; refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "book_test_util.h"

namespace glassbook::book {
namespace {
using namespace testing;

// Every resting order, in the order it rested (book-wide time priority).
std::vector<Order> by_time(const OrderBook& b) {
  std::vector<Order> all;
  for (Side s : {Side::Buy, Side::Sell}) b.for_each_order(s, [&](const Order& o) { all.push_back(o); });
  std::sort(all.begin(), all.end(), [](const Order& x, const Order& y) { return x.seq < y.seq; });
  return all;
}

OrderBook rebuilt(const OrderBook& original) {
  OrderBook copy(original.config());
  copy.reserve(original.order_count());
  for (const Order& o : by_time(original)) {
    EXPECT_EQ(copy.restore_order(NewOrder{o.id, o.account, o.side, o.price, o.remaining, TimeInForce::IOC, o.stp}),
              Reject::None);
  }
  return copy;
}

// (id, account, side, price, remaining, stp) of each side in priority order.
std::vector<std::tuple<OrderId, AccountId, Side, Ticks, Lots, Stp>> queues(const OrderBook& b) {
  std::vector<std::tuple<OrderId, AccountId, Side, Ticks, Lots, Stp>> r;
  for (Side s : {Side::Buy, Side::Sell})
    b.for_each_order(s, [&](const Order& o) { r.emplace_back(o.id, o.account, o.side, o.price, o.remaining, o.stp); });
  return r;
}

void expect_same_events(const std::vector<Event>& a, const std::vector<Event>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_TRUE(same_event(a[i], b[i])) << i << ": " << a[i] << " vs " << b[i];
}

TEST(RestoreOrder, RebuildsLevelsAndAccountListsAfterRandomHistory) {
  for (uint64_t seed : {1, 2, 3}) {
    std::mt19937_64 rng(seed);
    OrderBook b(small_config(400, 200));
    std::vector<Event> out;
    OrderId next = 1;
    for (int step = 0; step < 3000; ++step) {
      out.clear();
      const uint32_t r = rng() % 10;
      const AccountId acct = 1 + rng() % 6;
      if (r < 6) {
        const Side side = rng() % 2 ? Side::Buy : Side::Sell;
        const Ticks px = side == Side::Buy ? 90 + rng() % 15 : 96 + rng() % 15;
        b.add(NewOrder{next++, acct, side, px, 1 + static_cast<Lots>(rng() % 9), static_cast<TimeInForce>(rng() % 4),
                       static_cast<Stp>(rng() % 3)},
              out);
      } else if (r < 8) {
        b.amend(1 + rng() % next, 85 + rng() % 30, 1 + static_cast<Lots>(rng() % 9), out);
      } else if (r < 9) {
        b.cancel(1 + rng() % next, out);
      } else if (rng() % 4 == 0) {
        b.cancel_all(acct, out);
      }
    }
    ASSERT_GT(b.order_count(), 20u);
    OrderBook copy = rebuilt(b);
    ASSERT_TRUE(copy.check_invariants());
    EXPECT_EQ(queues(copy), queues(b));
    EXPECT_EQ(copy.best_bid(), b.best_bid());
    EXPECT_EQ(copy.best_ask(), b.best_ask());
    // The same operations now give the same events on both books.
    std::vector<Event> ea, eb;
    for (int step = 0; step < 500; ++step) {
      ea.clear();
      eb.clear();
      const AccountId acct = 1 + rng() % 6;
      const uint32_t r = rng() % 6;
      if (r < 3) {
        const Side side = rng() % 2 ? Side::Buy : Side::Sell;
        const NewOrder n{next++, acct, side, 85 + static_cast<Ticks>(rng() % 30), 1 + static_cast<Lots>(rng() % 20),
                         static_cast<TimeInForce>(rng() % 4), static_cast<Stp>(rng() % 3)};
        b.add(n, ea);
        copy.add(n, eb);
      } else if (r < 4) {
        b.cancel_all(acct, ea);
        copy.cancel_all(acct, eb);
      } else {
        const OrderId id = 1 + rng() % next;
        const Ticks px = 85 + static_cast<Ticks>(rng() % 30);
        const Lots q = 1 + static_cast<Lots>(rng() % 9);
        b.amend(id, px, q, ea);
        copy.amend(id, px, q, eb);
      }
      expect_same_events(ea, eb);
    }
    EXPECT_EQ(queues(copy), queues(b));
  }
}

TEST(RestoreOrder, KeepsCancelAllOrderAcrossLevels) {
  OrderBook b(small_config());
  ASSERT_EQ(b.restore_order(NewOrder{7, 1, Side::Buy, 100, 5, TimeInForce::GTC, Stp::CancelNewest}), Reject::None);
  ASSERT_EQ(b.restore_order(NewOrder{3, 1, Side::Buy, 101, 5, TimeInForce::GTC, Stp::CancelNewest}), Reject::None);
  ASSERT_EQ(b.restore_order(NewOrder{5, 2, Side::Buy, 101, 5, TimeInForce::GTC, Stp::CancelNewest}), Reject::None);
  ASSERT_EQ(b.restore_order(NewOrder{4, 1, Side::Sell, 110, 5, TimeInForce::GTC, Stp::CancelNewest}), Reject::None);
  ASSERT_TRUE(b.check_invariants());
  std::vector<Event> out;
  EXPECT_EQ(b.cancel_all(1, out), 3u);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].id, 7u);  // oldest first, whatever the price
  EXPECT_EQ(out[1].id, 3u);
  EXPECT_EQ(out[2].id, 4u);
}

TEST(RestoreOrder, RefusesAndChangesNothing) {
  OrderBook b(small_config(3, 1000));
  ASSERT_EQ(b.restore_order(NewOrder{1, 1, Side::Buy, 100, 5, TimeInForce::GTC, Stp::CancelNewest}), Reject::None);
  ASSERT_EQ(b.restore_order(NewOrder{2, 2, Side::Sell, 105, 5, TimeInForce::GTC, Stp::CancelNewest}), Reject::None);
  const auto before = queues(b);
  EXPECT_EQ(b.restore_order(NewOrder{1, 1, Side::Buy, 99, 5, TimeInForce::GTC, Stp::CancelNewest}), Reject::DuplicateId);
  EXPECT_EQ(b.restore_order(NewOrder{3, 1, Side::Buy, 0, 5, TimeInForce::GTC, Stp::CancelNewest}), Reject::BadPrice);
  EXPECT_EQ(b.restore_order(NewOrder{3, 1, Side::Buy, 1001, 5, TimeInForce::GTC, Stp::CancelNewest}), Reject::BadPrice);
  EXPECT_EQ(b.restore_order(NewOrder{3, 1, Side::Buy, 99, 0, TimeInForce::GTC, Stp::CancelNewest}), Reject::BadQuantity);
  EXPECT_EQ(b.restore_order(NewOrder{3, 1, static_cast<Side>(2), 99, 1, TimeInForce::GTC, Stp::CancelNewest}), Reject::BadSide);
  EXPECT_EQ(b.restore_order(NewOrder{3, 1, Side::Buy, 99, 1, TimeInForce::GTC, static_cast<Stp>(3)}), Reject::BadSide);
  // Crossing the opposite side (touching it included) is refused: a restored book never matches.
  EXPECT_EQ(b.restore_order(NewOrder{3, 1, Side::Buy, 105, 1, TimeInForce::GTC, Stp::CancelNewest}), Reject::BadPrice);
  EXPECT_EQ(b.restore_order(NewOrder{3, 1, Side::Sell, 100, 1, TimeInForce::GTC, Stp::CancelNewest}), Reject::BadPrice);
  EXPECT_EQ(queues(b), before);
  EXPECT_TRUE(b.check_invariants());
  ASSERT_EQ(b.restore_order(NewOrder{3, 1, Side::Sell, 106, 1, TimeInForce::GTC, Stp::CancelNewest}), Reject::None);
  EXPECT_EQ(b.restore_order(NewOrder{4, 1, Side::Sell, 107, 1, TimeInForce::GTC, Stp::CancelNewest}), Reject::BookFull);
  EXPECT_EQ(b.order_count(), 3u);
  EXPECT_TRUE(b.check_invariants());
}

}  // namespace
}  // namespace glassbook::book
