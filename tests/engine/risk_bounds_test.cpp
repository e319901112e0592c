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

TEST(RiskBounds, AnEngineCannotBeBuiltOnARefusedConfiguration) {
  ExchangeConfig c = base();
  c.oracle_sources.threshold = 1;
  EXPECT_THROW(Engine{c}, std::invalid_argument);
}

}  // namespace
}  // namespace glassbook::engine::testing
