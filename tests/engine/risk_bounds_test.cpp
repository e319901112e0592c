// Governance bounds: validate_config refuses risk parameters that would exempt a market or a token
// from the risk engine, each at the first value past its bound, and accepts the bound itself.
#include <gtest/gtest.h>

#include "engine/risk_bounds.h"
#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

ExchangeConfig base() {
  ExchangeConfig c = demo_config(crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher")).public_key());
  add_perpetual(c, PerpExchange::oracle_keys());
  return c;
}

std::string refusal(const ExchangeConfig& c) {
  auto r = validate_config(c);
  return r ? "" : r.status().message();
}

risk::MarginTier& first_tier(ExchangeConfig& c) { return c.markets[kPerp].perp.tiers[0]; }

TEST(RiskBounds, TheTestConfigurationIsWithinEveryBound) { EXPECT_EQ(refusal(base()), ""); }

TEST(RiskBounds, MaintenanceBelowTheFloorIsRefused) {
  ExchangeConfig c = base();
  first_tier(c).maintenance_ppm = kMinMaintenancePpm - 1;  // 0.4999%: liquidated practically never
  first_tier(c).initial_ppm = 10'000;
  EXPECT_NE(refusal(c).find("below the floor"), std::string::npos) << refusal(c);
  first_tier(c).maintenance_ppm = kMinMaintenancePpm;
  EXPECT_EQ(refusal(c), "");
}

TEST(RiskBounds, InitialBarelyAboveMaintenanceIsRefused) {
  ExchangeConfig c = base();
  first_tier(c).maintenance_ppm = 40'000;
  first_tier(c).initial_ppm = 49'999;  // below 5/4 x 4%
  EXPECT_NE(refusal(c).find("initial 49999 ppm must be at least 5/4"), std::string::npos) << refusal(c);
  first_tier(c).initial_ppm = 50'000;
  EXPECT_EQ(refusal(c), "");
}

TEST(RiskBounds, FullCollateralWeightForAnIndexPricedTokenIsRefused) {
  ExchangeConfig c = base();
  c.assets[BTC].collateral_weight_ppm = kMaxOracleCollateralWeightPpm + 1;
  EXPECT_NE(refusal(c).find("asset BTC: collateral weight"), std::string::npos) << refusal(c);
  c.assets[BTC].collateral_weight_ppm = kMaxOracleCollateralWeightPpm;
  EXPECT_EQ(refusal(c), "");
  // The margin asset itself counts in full.
  EXPECT_EQ(c.assets[USDC].collateral_weight_ppm, 1'000'000);
}

TEST(RiskBounds, FundingCapMustBeBoundedAndPositive) {
  ExchangeConfig c = base();
  c.markets[kPerp].perp.funding.cap = kMaxFundingCap + 1;
  EXPECT_NE(refusal(c).find("funding cap"), std::string::npos) << refusal(c);
  c.markets[kPerp].perp.funding.cap = 0;  // funding switched off: the last trade is never pulled back
  EXPECT_NE(refusal(c).find("funding cap"), std::string::npos) << refusal(c);
  c.markets[kPerp].perp.funding.cap = kMaxFundingCap;
  EXPECT_EQ(refusal(c), "");
}

TEST(RiskBounds, OracleQuorumMustBeAMajority) {
  ExchangeConfig c = base();  // five sources
  c.oracle_sources.threshold = 2;
  EXPECT_NE(refusal(c).find("quorum 2 of 5 sources is not a majority"), std::string::npos) << refusal(c);
  c.oracle_sources.threshold = 3;
  EXPECT_EQ(refusal(c), "");
  c.oracle_sources.keys.pop_back();  // 3 of 4
  EXPECT_EQ(refusal(c), "");
  c.oracle_sources.threshold = 2;  // 2 of 4: half is not a majority
  EXPECT_NE(refusal(c), "");
}

TEST(RiskBounds, OpenInterestCapsAreWholeLots) {
  ExchangeConfig c = base();
  PerpetualConfig& p = c.markets[kPerp].perp;
  p.max_open_interest = kPerpLot * 10 + 1;
  EXPECT_NE(refusal(c).find("open-interest cap 1000001 must be 0 (none) or a positive multiple of the lot"), std::string::npos)
      << refusal(c);
  p.max_open_interest = -kPerpLot;
  EXPECT_NE(refusal(c).find("open-interest cap"), std::string::npos) << refusal(c);
  p.max_open_interest = kPerpLot * 10;
  p.max_account_position = kPerpLot / 2;
  EXPECT_NE(refusal(c).find("per-account position cap"), std::string::npos) << refusal(c);
  p.max_account_position = kPerpLot;
  EXPECT_EQ(refusal(c), "");
}

TEST(RiskBounds, ConcentrationHaircutsOnlyLowerAWeight) {
  ExchangeConfig c = base();
  c.assets[BTC].concentration_share_ppm = 400'000;
  c.assets[BTC].concentration_weight_ppm = 950'001;  // above its own weight: a bonus, not a haircut
  EXPECT_NE(refusal(c).find("concentration weight 950001 ppm must be within 0..its collateral weight 950000"), std::string::npos)
      << refusal(c);
  c.assets[BTC].concentration_weight_ppm = 0;
  EXPECT_EQ(refusal(c), "");
  c.assets[BTC].concentration_share_ppm = 1'000'001;
  EXPECT_NE(refusal(c).find("concentration share"), std::string::npos) << refusal(c);
  c.assets[BTC].concentration_share_ppm = 0;  // a weight without a share
  c.assets[BTC].concentration_weight_ppm = 1;
  EXPECT_NE(refusal(c).find("without a concentration share"), std::string::npos) << refusal(c);
  c = base();
  c.assets[USDC].concentration_share_ppm = 500'000;
  EXPECT_NE(refusal(c).find("asset USDC: only collateral other than the margin asset"), std::string::npos) << refusal(c);
}

TEST(RiskBounds, TheFundsConstantsAreBounded) {
  ExchangeConfig c = base();
  EXPECT_EQ(c.risk.seizure_haircut_ppm, 200'000);  // the defaults are today's constants
  EXPECT_EQ(c.risk.fund_unwind_interval_us, 1'000'000);
  EXPECT_EQ(c.risk.fund_slices_per_cap, 20);
  c.risk.seizure_haircut_ppm = kMinSeizureHaircutPpm - 1;
  EXPECT_NE(refusal(c).find("seizure haircut 49999 ppm must be within 50000..500000"), std::string::npos) << refusal(c);
  c.risk.seizure_haircut_ppm = kMaxSeizureHaircutPpm + 1;
  EXPECT_NE(refusal(c).find("seizure haircut"), std::string::npos) << refusal(c);
  c.risk.seizure_haircut_ppm = kMaxSeizureHaircutPpm;
  EXPECT_EQ(refusal(c), "");
  c.risk.fund_unwind_interval_us = kMinFundUnwindIntervalUs - 1;
  EXPECT_NE(refusal(c).find("fund unwind interval"), std::string::npos) << refusal(c);
  c.risk.fund_unwind_interval_us = kMaxFundUnwindIntervalUs + 1;
  EXPECT_NE(refusal(c).find("fund unwind interval"), std::string::npos) << refusal(c);
  c.risk.fund_unwind_interval_us = kMaxFundUnwindIntervalUs;
  c.risk.fund_slices_per_cap = 0;
  EXPECT_NE(refusal(c).find("slices per cap 0 must be within 1..1000"), std::string::npos) << refusal(c);
  c.risk.fund_slices_per_cap = kMaxFundSlicesPerCap;
  EXPECT_EQ(refusal(c), "");
}

TEST(RiskBounds, AnEngineCannotBeBuiltOnARefusedConfiguration) {
  ExchangeConfig c = base();
  c.oracle_sources.threshold = 1;
  EXPECT_THROW(Engine{c}, std::invalid_argument);
}

}  // namespace
}  // namespace glassbook::engine::testing
