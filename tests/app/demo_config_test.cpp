// The served demo configuration: valid, the spot markets of demo_config, and perpetuals priced by five label-derived oracle sources.
#include <gtest/gtest.h>

#include "app/demo_accounts.h"
#include "app/demo_perpetuals.h"

namespace glassbook::app {
namespace {

TEST(DemoExchangeConfig, IsValidAndKeepsTheSpotMarkets) {
  const DemoKeys keys = demo_keys();
  const engine::ExchangeConfig c = demo_exchange_config(keys);
  auto scales = engine::validate_config(c);
  ASSERT_TRUE(scales.is_ok()) << scales.status().to_string();
  const engine::ExchangeConfig spot = engine::demo_config(keys.watcher.public_key());
  ASSERT_EQ(c.markets.size(), 4u);
  EXPECT_EQ(c.markets[0], spot.markets[0]);
  EXPECT_EQ(c.markets[1], spot.markets[1]);
  EXPECT_EQ(c.chain_watchers, spot.chain_watchers);
}

TEST(DemoExchangeConfig, PerpetualsSettleInUsdcOnTheOracleIndex) {
  const engine::ExchangeConfig c = demo_exchange_config(demo_keys());
  EXPECT_EQ(c.assets[kDemoBtc].valuation, engine::Valuation::Index);
  EXPECT_EQ(c.assets[kDemoBtc].collateral_weight_ppm, 950'000);
  EXPECT_EQ(c.assets[kDemoSol].valuation, engine::Valuation::Index);
  EXPECT_EQ(c.assets[kDemoUsdc].valuation, engine::Valuation::MarginAsset);
  EXPECT_EQ(c.risk.margin_asset, kDemoUsdc);
  EXPECT_EQ(c.risk.oracle_staleness_us, 10'000'000);
  EXPECT_EQ(c.risk.oracle_cap_ppm, 50'000);
  for (MarketId m : {kDemoBtcPerp, kDemoSolPerp}) {
    const engine::MarketConfig& p = c.markets[m];
    EXPECT_EQ(p.kind, engine::MarketKind::Perpetual) << p.symbol;
    EXPECT_EQ(p.quote, kDemoUsdc) << p.symbol;
    EXPECT_GT(p.band_ppm, 0) << p.symbol;
    EXPECT_FALSE(p.breaker == risk::BreakerRules{}) << p.symbol;
  }
  EXPECT_EQ(c.markets[kDemoBtcPerp].symbol, "BTC_PERP");
  EXPECT_EQ(c.markets[kDemoBtcPerp].base, kDemoBtc);
  EXPECT_EQ(c.markets[kDemoSolPerp].symbol, "SOL_PERP");
  EXPECT_EQ(c.markets[kDemoSolPerp].base, kDemoSol);
}

TEST(DemoExchangeConfig, FiveOracleSourcesFromLabelsQuorumThree) {
  const DemoKeys keys = demo_keys();
  const engine::ExchangeConfig c = demo_exchange_config(keys);
  ASSERT_EQ(keys.oracle_sources.size(), 5u);
  ASSERT_EQ(c.oracle_sources.keys.size(), 5u);
  EXPECT_EQ(c.oracle_sources.threshold, 3u);
  for (size_t i = 0; i < keys.oracle_sources.size(); ++i) {
    EXPECT_EQ(c.oracle_sources.keys[i], keys.oracle_sources[i].public_key());
    EXPECT_EQ(keys.oracle_sources[i].public_key(),
              crypto::KeyPair::from_seed(crypto::seed_from_label("demo/oracle/" + std::to_string(i))).public_key());
  }
  // The same keys every time: a restarted demo exchange recognises its genesis.
  EXPECT_EQ(demo_exchange_config(demo_keys()), c);
}

}  // namespace
}  // namespace glassbook::app
