// The book's touched levels: every change of a level (an order resting, filled in part or whole,
// amended, cancelled, restored) reports it once taken, so the state root rehashes it; a refused
// call and a taker that rests nowhere report only what they changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "book_test_util.h"

namespace glassbook::book {
namespace {
using namespace testing;

std::set<std::pair<int, Ticks>> touched(const OrderBook& b) {
  std::vector<OrderBook::LevelTouch> t;
  b.take_touched_levels(t);
  std::set<std::pair<int, Ticks>> out;
  for (const auto& x : t) out.insert({static_cast<int>(x.side), x.price});
  return out;
}
const int kBid = static_cast<int>(Side::Buy), kAsk = static_cast<int>(Side::Sell);

TEST(TouchedLevels, EveryLevelChangeIsReported) {
  OrderBook b(small_config());
  place(b, 1, 3, Side::Buy, 100, 10);
  place(b, 2, 3, Side::Buy, 101, 10);
  EXPECT_EQ(touched(b), (std::set<std::pair<int, Ticks>>{{kBid, 100}, {kBid, 101}}));
  EXPECT_TRUE(touched(b).empty()) << "taken once";
  place(b, 3, 4, Side::Sell, 100, 15, TimeInForce::IOC);  // fills 101 whole and 100 in part
  EXPECT_EQ(touched(b), (std::set<std::pair<int, Ticks>>{{kBid, 100}, {kBid, 101}}));
  std::vector<Event> out;
  ASSERT_EQ(b.amend(1, 100, 2, out), Reject::None);  // in place
  EXPECT_EQ(touched(b), (std::set<std::pair<int, Ticks>>{{kBid, 100}}));
  ASSERT_EQ(b.amend(1, 90, 4, out), Reject::None);  // to another level
  EXPECT_EQ(touched(b), (std::set<std::pair<int, Ticks>>{{kBid, 100}, {kBid, 90}}));
  place(b, 4, 5, Side::Sell, 200, 1);
  place(b, 5, 5, Side::Sell, 201, 1);
  touched(b);
  EXPECT_EQ(b.cancel_all(5, out), 2u);
  EXPECT_EQ(touched(b), (std::set<std::pair<int, Ticks>>{{kAsk, 200}, {kAsk, 201}}));
  ASSERT_EQ(b.cancel(1, out), Reject::None);
  EXPECT_EQ(touched(b), (std::set<std::pair<int, Ticks>>{{kBid, 90}}));
  ASSERT_EQ(b.restore_order(NewOrder{9, 3, Side::Sell, 300, 5, TimeInForce::GTC, Stp::CancelNewest}), Reject::None);
  EXPECT_EQ(touched(b), (std::set<std::pair<int, Ticks>>{{kAsk, 300}}));
}

TEST(TouchedLevels, RefusalsAndUnrestedTakersTouchNothing) {
  OrderBook b(small_config());
  std::vector<Event> out;
  EXPECT_EQ(b.cancel(42, out), Reject::NotFound);
  place(b, 1, 3, Side::Buy, 100, 0);                       // bad quantity
  place(b, 2, 3, Side::Sell, 150, 5, TimeInForce::IOC);  // nothing to meet
  EXPECT_TRUE(touched(b).empty());
}

TEST(TouchedLevels, ALongUntakenListFoldsItsRepeats) {
  OrderBook b(small_config(100'000));
  for (int i = 0; i < 50'000; ++i) {
    place(b, 2 * i + 1, 3, Side::Buy, 100 + i % 3, 1);
    std::vector<Event> out;
    b.cancel(2 * i + 1, out);
  }
  EXPECT_EQ(touched(b), (std::set<std::pair<int, Ticks>>{{kBid, 100}, {kBid, 101}, {kBid, 102}}));
}

}  // namespace
}  // namespace glassbook::book

namespace glassbook::book {
namespace {
using namespace testing;

// The levels walked together visit exactly what a walk of one level after another visits, in the
// same order, over books reshaped at random (empty levels, levels of many orders, the book's
// edges: price 1 and max_price_ticks, and ranges reaching past them).
TEST(LevelsAtOnce, VisitWhatOneLevelAfterAnotherVisits) {
  OrderBook b(small_config(4000, 200));
  std::vector<Event> out;
  uint64_t x = 88172645463325252ull;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  OrderId id = 0;
  for (int round = 0; round < 40; ++round) {
    for (int i = 0; i < 150; ++i) {
      const bool bid = next() % 2 == 0;
      const Ticks price = bid ? 1 + static_cast<Ticks>(next() % 100) : 101 + static_cast<Ticks>(next() % 100);
      place(b, ++id, static_cast<AccountId>(1 + next() % 7), bid ? Side::Buy : Side::Sell, price, 1 + static_cast<Lots>(next() % 5));
    }
    for (int i = 0; i < 100; ++i) b.cancel(1 + next() % id, out);
    for (Side side : {Side::Buy, Side::Sell})
      for (Ticks first = -3; first <= 205; first += 1 + static_cast<Ticks>(next() % 20)) {
        const Ticks count = static_cast<Ticks>(next() % (OrderBook::kMaxLevelsAtOnce + 1));
        std::vector<OrderId> one_by_one, together;
        for (Ticks p = first; p < first + count; ++p) b.for_each_order_at(side, p, [&](const Order& o) { one_by_one.push_back(o.id); });
        b.for_each_order_in_levels(side, first, count, [&](const Order& o) { together.push_back(o.id); });
        ASSERT_EQ(together, one_by_one) << "round " << round << " side " << int(side) << " levels " << first << " + " << count;
      }
  }
  EXPECT_GT(b.order_count(), 1000u);
}

}  // namespace
}  // namespace glassbook::book
