// The insurance fund's constants as configuration: the haircut on seized zero-weight assets and the
// fund liquidator's interval and slice count; their defaults are the values they had as constants.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// alice, long 0.1 BTC on 600 USDC and 10 SOL of no margin weight, is 202.5 past bankruptcy at
// 42,000: the fund buys her SOL at the index (100) less the configured haircut toward the loss.
Event seized_sol(int32_t haircut_ppm) {
  PerpExchange ex([&](ExchangeConfig& c) {
    c.assets[SOL].valuation = Valuation::Index;
    c.assets[SOL].collateral_weight_ppm = 0;
    c.risk.seizure_haircut_ppm = haircut_ppm;
  });
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 600);
  ex.deposit("alice", SOL, 10'000'000'000);  // 10 SOL
  ex.seed_insurance(100'000);
  ex.oracle(usd(100), SOL);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1) / 10);
  EXPECT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1) / 10), EventKind::Trade).size(), 1u);
  std::vector<Event> ev;
  for (int i = 0; i < kOracleSources; ++i) {
    ex.quote(i, usd(100), SOL);
    auto btc_ev = ex.quote(i, usd(42'000));
    ev.insert(ev.end(), btc_ev.begin(), btc_ev.end());
  }
  const auto converted = of_kind(ev, EventKind::CollateralConverted);
  EXPECT_EQ(converted.size(), 1u);
  return converted.empty() ? Event{} : converted[0];
}

TEST(RiskFundConstants, SeizedZeroWeightAssetsAreValuedAtTheConfiguredHaircut) {
  const Event at20 = seized_sol(kDefaultSeizureHaircutPpm);
  const Event at50 = seized_sol(500'000);
  // The same debt is paid; at half the index it takes more SOL than at 80% of it.
  EXPECT_EQ(at20.price, at50.price);
  EXPECT_GT(at50.quantity, at20.quantity);
  // Each credit is what the SOL taken is worth at the index less the haircut (rounded up to cover it).
  const auto worth = [](const Event& e, int64_t haircut_ppm) {
    return static_cast<int64_t>(static_cast<__int128>(e.quantity) * usd(100) * (1'000'000 - haircut_ppm) / (int64_t{1'000'000'000} * 1'000'000));
  };
  EXPECT_GE(worth(at20, kDefaultSeizureHaircutPpm), at20.price);
  EXPECT_LT(worth(at20, kDefaultSeizureHaircutPpm) - at20.price, 2);
  EXPECT_GE(worth(at50, 500'000), at50.price);
  EXPECT_LT(worth(at50, 500'000) - at50.price, 2);
}

std::vector<Event> fund_trades(const std::vector<Event>& ev) {
  std::vector<Event> out;
  for (const Event& e : of_kind(ev, EventKind::Trade))
    if (e.account == kInsuranceAccount) out.push_back(e);
  return out;
}

TEST(RiskFundConstants, TheFundUnwindsAtTheConfiguredIntervalAndSlice) {
  // A cap of 0.3 BTC in 10 slices (0.03 BTC), one every 2 s.
  PerpExchange ex([](ExchangeConfig& c) {
    c.markets.back().perp.insurance_max_position = btc(3) / 10;
    c.risk.fund_slices_per_cap = 10;
    c.risk.fund_unwind_interval_us = 2'000'000;
  });
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 6'000);
  ex.funded("buyer", 1'000'000);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  for (int i = 0; i < kOracleSources; ++i) ex.quote(i, usd(45'500));
  ASSERT_EQ(ex.engine().position(kInsuranceAccount, kPerp)->lots, 300);
  ex.perp("buyer", Side::Buy, usd(43'700), btc(1));
  // Move to the start of the next 2 s interval: one slice of 0.03 BTC.
  ex.advance(2'000'000 - ex.now() % 2'000'000);
  const auto sold = fund_trades(ex.quote(0, usd(45'500)));
  ASSERT_EQ(sold.size(), 1u);
  EXPECT_EQ(sold[0].quantity, btc(3) / 100);
  EXPECT_EQ(ex.engine().position(kInsuranceAccount, kPerp)->lots, 270);
  // A second later is the same interval: nothing; a second more starts the next one.
  ex.advance(1'000'000);
  EXPECT_TRUE(fund_trades(ex.quote(1, usd(45'500))).empty());
  ex.advance(1'000'000);
  EXPECT_EQ(fund_trades(ex.quote(2, usd(45'500))).size(), 1u);
  EXPECT_EQ(ex.engine().position(kInsuranceAccount, kPerp)->lots, 240);
}

}  // namespace
}  // namespace glassbook::engine::testing
