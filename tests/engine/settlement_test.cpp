// Spot settlement: exact balances after trades, maker/taker fees on what each side receives
// (rounded up, paid to the fee account by transfer), price improvement, conservation per asset.
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

TEST(Settlement, BalancesMoveByExactlyTheFillsAndFees) {
  Exchange ex;
  ex.trader("alice");
  ex.trader("bob");
  // Alice sells 0.001 BTC at 100,000.0 (maker); Bob buys (taker).
  ex.order("alice", Side::Sell, px(1'000'000), lots(100));
  auto ev = ex.order("bob", Side::Buy, px(1'000'000), lots(100));
  auto t = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(t.size(), 1u);
  const int64_t notional = 100 * kUsdc;  // 0.001 BTC x 100,000 USDC
  const int64_t base = 100'000;          // 0.001 BTC in sats
  EXPECT_EQ(t[0].taker_fee, 50);          // 5 bp of 100,000 sats, charged in BTC to the buyer
  EXPECT_EQ(t[0].maker_fee, 20'000);      // 2 bp of 100 USDC, charged in USDC to the seller
  EXPECT_EQ(ex.balance("alice", BTC).total, 10 * kBtcUnit - base);
  EXPECT_EQ(ex.balance("alice", USDC).total, 1'000'000 * kUsdc + notional - 20'000);
  EXPECT_EQ(ex.balance("bob", BTC).total, 10 * kBtcUnit + base - 50);
  EXPECT_EQ(ex.balance("bob", USDC).total, 1'000'000 * kUsdc - notional);
  EXPECT_EQ(ex.fees(BTC), 50);
  EXPECT_EQ(ex.fees(USDC), 20'000);
  EXPECT_EQ(ex.balance("alice", BTC).held, 0);
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
  EXPECT_TRUE(ex.engine().check_invariants().is_ok());
}

TEST(Settlement, FeesRoundUpToTheSmallestUnit) {
  Exchange ex;
  ex.trader("alice");
  ex.trader("bob");
  // One lot (1000 sats) at 0.1 USDC: notional 1 unit of USDC; 5 bp of 1000 sats = 0.5 -> 1 sat.
  ex.order("alice", Side::Sell, px(1), lots(1));
  auto t = of_kind(ex.order("bob", Side::Buy, px(1), lots(1)), EventKind::Trade);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].taker_fee, 1);
  EXPECT_EQ(t[0].maker_fee, 1);  // 2 bp of 1 unit rounds up to 1 unit
  EXPECT_EQ(ex.fees(BTC), 1);
  EXPECT_EQ(ex.fees(USDC), 1);
}

TEST(Settlement, TakerBuyerGetsPriceImprovementBack) {
  Exchange ex;
  ex.trader("alice");
  ex.trader("bob");
  ex.order("alice", Side::Sell, px(1'000'000), lots(1));
  ex.order("bob", Side::Buy, px(1'100'000), lots(1));
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
  EXPECT_EQ(ex.balance("bob", USDC).total, 1'000'000 * kUsdc - 1'000'000);  // paid 100,000.0 x 0.00001 = 1 USDC
}

TEST(Settlement, SellerTakerPaysTakerFeeInQuote) {
  Exchange ex;
  ex.trader("alice");
  ex.trader("bob");
  ex.order("bob", Side::Buy, px(1'000'000), lots(100));
  auto t = of_kind(ex.order("alice", Side::Sell, px(990'000), lots(100)), EventKind::Trade);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].price, px(1'000'000));  // the resting bid's price
  EXPECT_EQ(t[0].taker_fee, 50'000);      // 5 bp of 100 USDC
  EXPECT_EQ(t[0].maker_fee, 20);          // 2 bp of 100,000 sats
  EXPECT_EQ(ex.balance("alice", USDC).total, 1'000'000 * kUsdc + 100 * kUsdc - 50'000);
}

TEST(Settlement, EveryAssetSumsToZeroAndLiabilitiesMatchDeposits) {
  Exchange ex;
  for (const char* n : {"a", "b", "c", "d"}) ex.trader(n);
  const char* names[] = {"a", "b", "c", "d"};
  for (int i = 0; i < 200; ++i) {
    const char* who = names[i % 4];
    Side side = (i / 4) % 2 ? Side::Buy : Side::Sell;
    ex.order(who, side, px(1'000'000 + (i % 7) - 3), lots(1 + i % 13), i % 3 ? TimeInForce::GTC : TimeInForce::IOC);
  }
  const auto& l = ex.engine().ledger();
  for (AssetId a = 0; a < 3; ++a) {
    EXPECT_EQ(l.asset_sum(a), 0);
    // Customers plus the fee account hold exactly what came in from the world.
    EXPECT_EQ(l.customer_total(a) + l.balance(kFeeAccount, a).total, -l.balance(kWorldAccount, a).total);
  }
  EXPECT_GT(ex.engine().stats(kBtc).trades, 0u);
  EXPECT_TRUE(ex.engine().check_invariants().is_ok());
}

}  // namespace
}  // namespace glassbook::engine::testing
