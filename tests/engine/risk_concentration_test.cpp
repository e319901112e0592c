// Concentration haircut: the part of one collateral asset's value above a configured share of the
// account's collateral counts at a lower weight, in every margin check and in liquidation.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// BTC counts at 95%, but the part of it above half of an account's collateral only at 50%.
void concentrate_btc(ExchangeConfig& c) {
  c.assets[BTC].concentration_share_ppm = 500'000;
  c.assets[BTC].concentration_weight_ppm = 500'000;
}

// alice backs her margin with 1 BTC and 1,000 USDC: at 50,000 her collateral is worth 51,000, half
// of it 25,500, so 24,500 of her BTC counts at 50% instead of 95%: 47,500 - 24,500 x 45% = 36,475.
void fund_alice(PerpExchange& ex) {
  ex.funded("alice", 1'000);
  ex.deposit("alice", BTC, btc(1));
  ex.funded("seller", 1'000'000);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(50'000));
}

TEST(RiskConcentration, TheExcessOverTheShareCountsAtTheLowerWeight) {
  PerpExchange ex(concentrate_btc);
  fund_alice(ex);
  EXPECT_EQ(ex.margin("alice").equity, usd(1'000) + usd(36'475));
  // Without the haircut the same account counts 1,000 + 47,500.
  PerpExchange plain;
  fund_alice(plain);
  EXPECT_EQ(plain.margin("alice").equity, usd(1'000) + usd(47'500));
}

TEST(RiskConcentration, AnOrderIsJudgedOnTheHaircutCollateral) {
  // 5 BTC long (250,000 notional) needs 40,000 of initial margin (20% less the tier's 10,000
  // deduction) plus a 125 fee: 48,500 covers it, 37,475 does not.
  PerpExchange ex(concentrate_btc);
  fund_alice(ex);
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Buy, usd(50'000), btc(5)), Error::InsufficientMargin));
  PerpExchange plain;
  fund_alice(plain);
  EXPECT_EQ(of_kind(plain.perp("alice", Side::Buy, usd(50'000), btc(5)), EventKind::OrderRested).size(), 1u);
}

TEST(RiskConcentration, LiquidationValuesTheHaircutCollateral) {
  // alice goes long 4 BTC at 50,000 on her BTC; at an index of 44,000 her haircut equity is below
  // maintenance while the unhaircut one would not be: only the haircut exchange liquidates her.
  auto run = [](PerpExchange& ex) {
    fund_alice(ex);
    ex.perp("seller", Side::Sell, usd(50'000), btc(4));
    EXPECT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(4)), EventKind::Trade).size(), 1u);
    ex.oracle(usd(47'000));
    return ex.oracle(usd(44'000));
  };
  PerpExchange ex(concentrate_btc);
  const auto ev = run(ex);
  EXPECT_FALSE(of_kind(ev, EventKind::LiquidationStarted).empty());
  PerpExchange plain;
  const auto plain_ev = run(plain);
  EXPECT_TRUE(of_kind(plain_ev, EventKind::LiquidationStarted).empty());
  const MarginSummary s = plain.margin("alice");
  EXPECT_GE(s.equity, s.maintenance);
}

}  // namespace
}  // namespace glassbook::engine::testing
