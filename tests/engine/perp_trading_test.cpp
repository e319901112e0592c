// Perpetuals end to end through commands: positions and realized PnL, margin checks, oracle
// freezing, and a liquidation through the book, with the invariants checked after every command.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

int64_t sum_usdc(Engine& e) {
  __int128 s = 0;
  for (AccountId a = 0; a < e.ledger().account_count(); ++a) s += e.ledger().balance(a, USDC).total;
  return static_cast<int64_t>(s);
}

TEST(Perpetual, OpenAndCloseRealizesPnlAgainstTheClearingAccount) {
  PerpExchange ex;
  ex.funded("alice", 20'000);
  ex.funded("bob", 20'000);
  ex.funded("carol", 20'000);
  ex.oracle(usd(50'000));
  // bob rests an ask; alice lifts it: alice long 1 BTC at 50,000, bob short.
  ASSERT_EQ(of_kind(ex.perp("bob", Side::Sell, usd(50'000), btc(1)), EventKind::OrderRested).size(), 1u);
  auto ev = ex.perp("alice", Side::Buy, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  EXPECT_EQ(ex.lots("alice"), 1000);
  EXPECT_EQ(ex.lots("bob"), -1000);
  // Fees in USDC: taker 5 bp of 50,000 = 25, maker 2 bp = 10. No notional moves.
  EXPECT_EQ(ex.usdc("alice"), usd(20'000) - usd(25));
  EXPECT_EQ(ex.usdc("bob"), usd(20'000) - usd(10));
  // The price rises; alice sells to carol at 52,000 and realizes 2,000 from the clearing account.
  ex.oracle(usd(52'000));
  ex.perp("carol", Side::Buy, usd(52'000), btc(1));
  ev = ex.perp("alice", Side::Sell, usd(52'000), btc(1));
  auto changes = of_kind(ev, EventKind::PositionChanged);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].account, ex.id("alice"));
  EXPECT_EQ(changes[1].remaining, usd(2'000));
  EXPECT_EQ(ex.lots("alice"), 0);
  EXPECT_EQ(ex.usdc("alice"), usd(20'000) - usd(25) + usd(2'000) - usd(26));  // 5 bp of 52,000
  EXPECT_EQ(ex.engine().position(ex.id("alice"), kPerp), nullptr);
  // bob (short at 50,000) and carol (long at 52,000) still hold: the clearing account owes the net.
  EXPECT_EQ(ex.engine().ledger().balance(kClearingAccount, USDC).total, -usd(2'000));
  EXPECT_EQ(sum_usdc(ex.engine()), 0);
}

// alice holds only BTC: the taker fee of her perpetual buy puts her USDC below zero (a margin debt
// her BTC covers). Selling a little BTC spot, for less than she owes, she still pays the seller's fee
// out of the USDC she receives: the debt shrinks by the proceeds less the fee.
TEST(Perpetual, ASpotSaleInMarginDebtPaysItsFeeFromTheProceeds) {
  PerpExchange ex;
  ex.open("alice");
  ex.deposit("alice", BTC, btc(1));
  ex.funded("bob", 100'000);
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(1) / 10);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1) / 10), EventKind::Trade).size(), 1u);
  ASSERT_EQ(ex.usdc("alice"), -2'500'000);  // 5 bp of 5,000
  ex.order("bob", Side::Buy, usd(50'000), kLot);  // spot BTC_USDC: one lot, 0.00001 BTC
  const auto ev = ex.order("alice", Side::Sell, usd(50'000), kLot);
  const auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u) << ex.engine().last_error();
  EXPECT_EQ(trades[0].taker_fee, 250);  // 5 bp of the 0.5 USDC received, rounded up
  EXPECT_EQ(ex.usdc("alice"), -2'500'000 + 500'000 - 250);
  EXPECT_EQ(ex.balance("alice", BTC).total, btc(1) - kLot);
}

TEST(Perpetual, InitialMarginRefusesAnOversizedOrder) {
  PerpExchange ex;
  ex.funded("alice", 1'000);
  ex.funded("maker", 1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("maker", Side::Sell, usd(50'000), btc(1));
  // 1 BTC at 50,000 needs 5,000 of initial margin (10%): 1,000 USDC is not enough.
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), Error::InsufficientMargin));
  // 0.1 BTC needs 500: accepted.
  auto ev = ex.perp("alice", Side::Buy, usd(50'000), btc(1) / 10);
  EXPECT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  EXPECT_EQ(ex.lots("alice"), 100);
}

TEST(Perpetual, FrozenIndexRefusesNewRiskButNotReductions) {
  PerpExchange ex;
  ex.funded("alice", 100'000);
  ex.funded("bob", 100'000);
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(1));
  ex.perp("alice", Side::Buy, usd(50'000), btc(1));
  ex.advance(kStalenessUs + 1);  // every source is stale now
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), Error::IndexFrozen));
  ex.perp("bob", Side::Buy, usd(49'000), btc(1) / 2);  // bob reduces his short: a resting bid
  auto ev = ex.perp("alice", Side::Sell, usd(49'000), btc(1) / 2);  // alice reduces her long
  EXPECT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  EXPECT_EQ(ex.lots("alice"), 500);
}

TEST(Perpetual, AnAccountBelowMaintenanceIsLiquidatedThroughTheBook) {
  PerpExchange ex;
  ex.funded("alice", 6'000);
  ex.funded("bob", 1'000'000);
  ex.funded("maker", 1'000'000);
  ex.deposit("maker", USDC, usd(1));
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(1));
  ex.perp("alice", Side::Buy, usd(50'000), btc(1));  // 5,000 initial margin of 5,975 equity
  ex.perp("maker", Side::Buy, usd(45'900), btc(2));   // resting bid below
  const int64_t fund_before = ex.insurance();
  // BTC falls to 46,000: alice's equity ~1,975 is below maintenance (5% of 46,000 = 2,300).
  auto ev = ex.oracle(usd(46'000));
  ASSERT_EQ(of_kind(ev, EventKind::LiquidationStarted).size(), 1u);
  EXPECT_EQ(of_kind(ev, EventKind::LiquidationStarted)[0].account, ex.id("alice"));
  EXPECT_EQ(ex.lots("alice"), 0);
  EXPECT_EQ(ex.lots("maker"), 1000);  // the book took it at 45,900
  // alice lost 4,100 on the position, paid her fees and the liquidation fee, and kept the rest.
  EXPECT_GT(ex.usdc("alice"), 0);
  EXPECT_LT(ex.usdc("alice"), usd(6'000) - usd(25) - usd(4'100));
  EXPECT_GT(ex.insurance(), fund_before);
  EXPECT_EQ(sum_usdc(ex.engine()), 0);
  // Nothing more happens on the next price.
  EXPECT_TRUE(of_kind(ex.oracle(usd(46'000)), EventKind::LiquidationStarted).empty());
}

}  // namespace
}  // namespace glassbook::engine::testing
