// Margin debt without positions: an account that closes its last position owing margin-asset has
// its debt paid by the insurance fund against collateral at its weighted oracle value, on the same
// command; with a frozen price it waits for the next oracle update that can value it.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// alice: 1 BTC of collateral (weighted 95%) and 500 USDC, long 1 BTC_PERP bought at 60,000.
void open_long(PerpExchange& ex) {
  ex.funded("alice", 500);
  ex.deposit("alice", BTC, btc(1));
  ex.funded("maker", 10'000'000);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(60'000));
  ex.perp("maker", Side::Sell, usd(60'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(60'000), btc(1)), EventKind::Trade).size(), 1u);
}

TEST(RiskDebt, ClosingWithADebtSettlesItAgainstCollateralAtItsWeightedValue) {
  PerpExchange ex;
  open_long(ex);
  ex.oracle(usd(57'000));
  ex.perp("maker", Side::Buy, usd(57'000), btc(1));
  const int64_t fund_usdc = ex.insurance();
  const auto ev = ex.perp("alice", Side::Sell, usd(57'000), btc(1));
  ASSERT_EQ(ex.lots("alice"), 0);
  // 500 - 30 taker fee on the buy - 3,000 loss - 28.5 taker fee on the sale.
  const int64_t debt = usd(3'000) + 30'000'000 + 28'500'000 - usd(500);
  const auto converted = of_kind(ev, EventKind::CollateralConverted);
  ASSERT_EQ(converted.size(), 1u);
  EXPECT_EQ(converted[0].account, ex.id("alice"));
  EXPECT_EQ(converted[0].asset, BTC);
  EXPECT_EQ(converted[0].price, debt);
  // The smallest amount of BTC whose weighted value (57,000 x 95%) covers the debt, rounded up.
  const __int128 want = (static_cast<__int128>(debt) * kBtcUnit * 1'000'000 + usd(57'000) * 950'000LL - 1) / (usd(57'000) * 950'000LL);
  EXPECT_EQ(converted[0].quantity, static_cast<int64_t>(want));
  EXPECT_EQ(ex.usdc("alice"), 0);
  EXPECT_EQ(ex.balance("alice", BTC).total, btc(1) - converted[0].quantity);
  EXPECT_EQ(ex.insurance(), fund_usdc - debt);
  EXPECT_EQ(ex.engine().ledger().balance(kInsuranceAccount, BTC).total, converted[0].quantity);
  // What is left is hers, free of any debt.
  EXPECT_GT(ex.margin("alice").equity, 0);
}

TEST(RiskDebt, AFrozenPriceDefersItToTheNextOracleUpdate) {
  PerpExchange ex;
  open_long(ex);
  ex.oracle(usd(57'000));
  ex.perp("maker", Side::Buy, usd(57'000), btc(1));
  ex.advance(kStalenessUs + 1);  // every source is stale: BTC cannot be valued
  ASSERT_TRUE(ex.margin("maker").frozen);
  const auto closing = ex.perp("alice", Side::Sell, usd(57'000), btc(1));  // reducing risk is allowed while frozen
  ASSERT_EQ(ex.lots("alice"), 0) << ex.engine().last_error();
  EXPECT_TRUE(of_kind(closing, EventKind::CollateralConverted).empty());
  EXPECT_LT(ex.usdc("alice"), 0);
  // A snapshot keeps the waiting debtor (it is derived again on restore).
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  EXPECT_TRUE(restored.value()->check_invariants());
  // Two fresh sources are below the quorum of three: still frozen, still waiting.
  EXPECT_TRUE(of_kind(ex.quote(0, usd(56'000)), EventKind::CollateralConverted).empty());
  EXPECT_TRUE(of_kind(ex.quote(1, usd(56'000)), EventKind::CollateralConverted).empty());
  EXPECT_LT(ex.usdc("alice"), 0);
  // The third brings the index back, and that command settles the debt.
  const auto converted = of_kind(ex.quote(2, usd(56'000)), EventKind::CollateralConverted);
  ASSERT_EQ(converted.size(), 1u);
  EXPECT_EQ(converted[0].account, ex.id("alice"));
  EXPECT_EQ(ex.usdc("alice"), 0);
}

}  // namespace
}  // namespace glassbook::engine::testing
