// The fill rule: no fill leaves an account below maintenance margin worse off; a reducing order
// stops at the bankruptcy price; a position flips only through a margin check of the result.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// alice is long 1 BTC bought at 50,000 with 6,000 USDC (5,975 after the taker fee): closing it
// leaves her equity at zero at 50,000 - 5,975 = 44,025, wherever the mark is. BTC then falls to
// 47,000 (equity 2,975 against a maintenance margin of 2,350: safe).
void long_alice(PerpExchange& ex) {
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 6'000);
  ex.funded("colluder", 1'000'000);
  ex.seed_insurance(100'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  ex.oracle(usd(47'000));
  ASSERT_EQ(ex.lots("alice"), 1000);
}

TEST(RiskFillRule, ASaleBeyondTheBankruptcyPriceIsRefused) {
  PerpExchange ex;
  long_alice(ex);
  // The colluder bids inside the band but 1,025 below alice's bankruptcy price: filled there, she
  // would owe the insurance fund what the colluder gains.
  ASSERT_EQ(of_kind(ex.perp("colluder", Side::Buy, usd(43'000), btc(1)), EventKind::OrderRested).size(), 1u);
  const int64_t fund = ex.insurance();
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Sell, usd(43'000), btc(1)), Error::OrderBeyondBankruptcy));
  EXPECT_EQ(ex.lots("alice"), 1000);
  // A market order stops at the bankruptcy price: nothing trades with the bid below it.
  const auto ev = ex.perp_market("alice", Side::Sell, btc(1));
  EXPECT_TRUE(of_kind(ev, EventKind::Trade).empty());
  EXPECT_EQ(ex.lots("alice"), 1000);
  EXPECT_EQ(ex.insurance(), fund);
  EXPECT_EQ(ex.lots("colluder"), 0);
}

TEST(RiskFillRule, ASaleAtOrAboveTheBankruptcyPriceIsAllowed) {
  PerpExchange ex;
  long_alice(ex);
  ex.perp("colluder", Side::Buy, usd(44'100), btc(1));
  const auto ev = ex.perp("alice", Side::Sell, usd(44'100), btc(1));
  ASSERT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  EXPECT_EQ(ex.lots("alice"), 0);
  EXPECT_GE(ex.usdc("alice"), 0);
  EXPECT_TRUE(of_kind(ev, EventKind::BadDebtCovered).empty());
}

TEST(RiskFillRule, ARestingOrderWhoseFillWouldDeepenItsOwnersShortfallIsCancelled) {
  PerpExchange ex;
  ex.funded("dreamer", 1'000);
  ex.funded("colluder", 1'000'000);
  ex.seed_insurance(100'000);
  ex.oracle(usd(50'000));
  // 0.12 BTC at 52,000 passes the initial margin check at a mark of 50,000 and rests (no asks).
  ASSERT_EQ(of_kind(ex.perp("dreamer", Side::Buy, usd(52'000), btc(12) / 100), EventKind::OrderRested).size(), 1u);
  ex.oracle(usd(43'000));
  // Filled now, the bid would lose 1,080 on 1,000 of equity: the colluder's sale may not take it.
  const int64_t fund = ex.insurance();
  const auto ev = ex.perp("colluder", Side::Sell, usd(43'000), btc(12) / 100);
  EXPECT_TRUE(of_kind(ev, EventKind::Trade).empty());
  const auto cancelled = of_kind(ev, EventKind::OrderCancelled);
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].account, ex.id("dreamer"));
  EXPECT_EQ(cancelled[0].cause, CancelCause::BeyondBankruptcy);
  EXPECT_EQ(ex.lots("dreamer"), 0);
  EXPECT_EQ(ex.insurance(), fund);
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
}

TEST(RiskFillRule, APositionFlipsOnlyThroughAMarginCheckOfTheResult) {
  PerpExchange ex;
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 600);
  ex.funded("colluder", 1'000'000);
  ex.seed_insurance(100'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1) / 10);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1) / 10), EventKind::Trade).size(), 1u);
  ex.perp("colluder", Side::Buy, usd(45'500), btc(2) / 10);
  // Selling 0.2 closes the long and opens a short of the same size: the worst case does not grow,
  // but the result loses 900 at the mark on 600 of margin.
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Sell, usd(45'500), btc(2) / 10), Error::InsufficientMargin));
  EXPECT_EQ(ex.lots("alice"), 100);
}

TEST(RiskFillRule, AFlipWithTheMarginForItsResultTrades) {
  PerpExchange ex;
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 10'000);
  ex.funded("buyer", 1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1) / 10);
  ex.perp("alice", Side::Buy, usd(50'000), btc(1) / 10);
  ex.perp("buyer", Side::Buy, usd(50'000), btc(2) / 10);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Sell, usd(50'000), btc(2) / 10), EventKind::Trade).size(), 1u);
  EXPECT_EQ(ex.lots("alice"), -100);
}

}  // namespace
}  // namespace glassbook::engine::testing
