// Amends under the risk engine: an amend is judged like a new order against what the order it
// replaces already reserves; perpetual orders are amended in place (priority kept when only the
// quantity goes down), crossing amends trade, and margin, band and frozen prices apply.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// alice: 1,000 USDC and a 0.1 BTC_PERP long at 50,000 (initial margin 500 of it).
void alice_long(PerpExchange& ex) {
  ex.funded("alice", 1'000);
  ex.funded("bob", 1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(1) / 10);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1) / 10), EventKind::Trade).size(), 1u);
}

TEST(RiskAmend, ASpotAmendThatWouldHoldAwayTheMarginIsRefused) {
  PerpExchange ex;
  alice_long(ex);
  // A small spot bid holds 10 USDC; amending it to hold 600 would leave less than the 500 of initial
  // margin, and is refused exactly as a new order for 600 would be.
  const OrderId bid = accepted_id(ex.order("alice", Side::Buy, usd(10'000), 100 * kLot));
  ASSERT_NE(bid, 0u);
  EXPECT_TRUE(rejected_with(ex.order("alice", Side::Buy, usd(10'000), 6'000 * kLot), Error::InsufficientMargin));
  EXPECT_TRUE(rejected_with(ex.amend("alice", bid, usd(10'000), 6'000 * kLot), Error::InsufficientMargin));
  EXPECT_EQ(ex.balance("alice", USDC).held, usd(10));
  // An amend within the margin passes; one that lowers the hold always does.
  ASSERT_EQ(of_kind(ex.amend("alice", bid, usd(10'000), 3'000 * kLot), EventKind::OrderAmended).size(), 1u);
  EXPECT_EQ(ex.balance("alice", USDC).held, usd(300));
  ASSERT_EQ(of_kind(ex.amend("alice", bid, usd(9'000), 100 * kLot), EventKind::OrderAmended).size(), 1u);
  EXPECT_EQ(ex.balance("alice", USDC).held, usd(9));
}

TEST(RiskAmend, APerpetualOrderIsAmendedInPlace) {
  PerpExchange ex;
  ex.funded("alice", 100'000);
  ex.funded("carol", 100'000);
  ex.funded("bob", 100'000);
  ex.oracle(usd(50'000));
  const OrderId a = accepted_id(ex.perp("alice", Side::Buy, usd(49'900), btc(1)));
  const OrderId c = accepted_id(ex.perp("carol", Side::Buy, usd(49'900), btc(1)));
  ASSERT_NE(a, 0u);
  ASSERT_NE(c, 0u);
  // Down in quantity at the same price: amended in place, still first in the queue.
  auto ev = ex.amend("alice", a, usd(49'900), btc(5) / 10, kPerp);
  ASSERT_EQ(of_kind(ev, EventKind::OrderAmended).size(), 1u);
  EXPECT_EQ(ex.engine().position(ex.id("alice"), kPerp)->open_buy, 500);
  ev = ex.perp("bob", Side::Sell, usd(49'900), btc(5) / 10);
  auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].maker_account, ex.id("alice"));
  EXPECT_EQ(ex.lots("alice"), 500);
  // A new price that crosses the book trades at once, like a new order.
  ex.perp("bob", Side::Sell, usd(50'100), btc(3) / 10);
  ev = ex.amend("carol", c, usd(50'100), btc(1), kPerp);
  trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].account, ex.id("carol"));
  EXPECT_EQ(trades[0].price, usd(50'100));
  EXPECT_EQ(ex.lots("carol"), 300);
  EXPECT_EQ(ex.engine().position(ex.id("carol"), kPerp)->open_buy, 700);
  EXPECT_EQ(ex.engine().book(kPerp).best_bid() * 100'000, usd(50'100));
}

TEST(RiskAmend, PerpetualAmendsPassTheMarginBandAndFrozenChecks) {
  PerpExchange ex;
  ex.funded("alice", 1'000);
  ex.oracle(usd(50'000));
  const OrderId a = accepted_id(ex.perp("alice", Side::Buy, usd(49'000), btc(1) / 10));
  ASSERT_NE(a, 0u);
  // 0.3 BTC needs 1,500 of initial margin; outside the 10% band is refused.
  EXPECT_TRUE(rejected_with(ex.amend("alice", a, usd(49'000), btc(3) / 10, kPerp), Error::InsufficientMargin));
  EXPECT_TRUE(rejected_with(ex.amend("alice", a, usd(40'000), btc(1) / 10, kPerp), Error::PriceOutOfBand));
  EXPECT_EQ(ex.engine().position(ex.id("alice"), kPerp)->open_buy, 100);
  // While the index is frozen only an amend that reduces the worst case passes.
  ex.advance(kStalenessUs + 1);
  EXPECT_TRUE(rejected_with(ex.amend("alice", a, usd(49'000), btc(15) / 100, kPerp), Error::IndexFrozen));
  ASSERT_EQ(of_kind(ex.amend("alice", a, usd(49'000), btc(5) / 100, kPerp), EventKind::OrderAmended).size(), 1u);
  EXPECT_EQ(ex.engine().position(ex.id("alice"), kPerp)->open_buy, 50);
}

}  // namespace
}  // namespace glassbook::engine::testing
