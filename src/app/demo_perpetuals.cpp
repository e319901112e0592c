// The demo's perpetual markets and risk parameters (the shape of the engine tests' BTC perpetual).
#include "app/demo_perpetuals.h"

#include <algorithm>

namespace glassbook::app {
namespace {

constexpr int64_t kUsdc = 1'000'000;  // one USDC in its smallest units

engine::MarketConfig perpetual(const char* symbol, AssetId base, int64_t tick, int64_t lot, int64_t max_price,
                               std::vector<risk::MarginTier> tiers, int64_t insurance_max_position) {
  engine::MarketConfig m;
  m.symbol = symbol;
  m.base = base;
  m.quote = kDemoUsdc;
  m.tick_size = tick;
  m.lot_size = lot;
  m.min_quantity = lot;
  m.max_price = max_price;
  m.maker_fee_ppm = 200;  // 2 bp
  m.taker_fee_ppm = 500;  // 5 bp
  m.kind = engine::MarketKind::Perpetual;
  m.band_ppm = 100'000;   // limit orders within 10% of the mark
  // A move of more than 15% within a minute, or a minute at the band edge, pauses for 30 s; only
  // batches of at least 10,000 USDC traded are judged, at their trade-weighted price.
  m.breaker = risk::BreakerRules{150'000, 60'000'000, 60'000'000, 30'000'000, 10'000 * kUsdc};
  m.perp.tiers = std::move(tiers);
  m.perp.funding_interval_us = 3'600'000'000;        // 1 h
  m.perp.funding = {100'000, 500'000, 7'500'000};     // interest 0.01%, clamp 0.05%, cap 0.75% per interval
  m.perp.impact_notional = 1'000 * kUsdc;
  m.perp.basis_alpha_ppm = 100'000;
  m.perp.liquidation_fee_ppm = 5'000;                 // 0.5% to the insurance fund
  m.perp.insurance_max_position = insurance_max_position;
  m.perp.mark_cap_ppm = 10'000;           // the mark within 1% of the index plus the funding term
  return m;
}

}  // namespace

void add_demo_perpetuals(engine::ExchangeConfig& c, const std::vector<crypto::PublicKey>& oracle_sources) {
  c.assets[kDemoBtc].valuation = engine::Valuation::Index;
  c.assets[kDemoBtc].collateral_weight_ppm = 950'000;
  c.assets[kDemoSol].valuation = engine::Valuation::Index;
  c.assets[kDemoSol].collateral_weight_ppm = 900'000;
  c.assets[kDemoUsdc].valuation = engine::Valuation::MarginAsset;
  c.assets[kDemoUsdc].collateral_weight_ppm = 1'000'000;
  c.risk.margin_asset = kDemoUsdc;
  c.risk.oracle_staleness_us = 10'000'000;  // 10 s
  c.risk.oracle_cap_ppm = 50'000;           // 5%
  c.risk.insurance_floor = 100'000 * kUsdc;
  // The quorum must be a majority of the sources (validate_config): 3 of the default 5, more for more.
  const uint32_t majority = static_cast<uint32_t>(oracle_sources.size() / 2 + 1);
  c.oracle_sources = engine::RolePolicy{oracle_sources, std::max(kDemoOracleQuorum, majority)};
  // Tiers: {max notional, initial, maintenance}: 10x up to 100k USDC, 5x up to 1M, 2x up to 10M.
  c.markets.push_back(perpetual("BTC_PERP", kDemoBtc, 100'000 /* 0.1 USDC */, 100'000 /* 0.001 BTC */,
                                1'000'000 * kUsdc,
                                {{100'000 * kUsdc, 100'000, 50'000},
                                 {1'000'000 * kUsdc, 200'000, 100'000},
                                 {10'000'000 * kUsdc, 500'000, 250'000}},
                                100'000'000LL * 100 /* 100 BTC */));
  // Smaller tiers for the smaller market: 10x up to 50k USDC, 5x up to 500k, 2x up to 5M.
  c.markets.push_back(perpetual("SOL_PERP", kDemoSol, 10'000 /* 0.01 USDC */, 10'000'000 /* 0.01 SOL */,
                                10'000 * kUsdc,
                                {{50'000 * kUsdc, 100'000, 50'000},
                                 {500'000 * kUsdc, 200'000, 100'000},
                                 {5'000'000 * kUsdc, 500'000, 250'000}},
                                1'000'000'000LL * 10'000 /* 10,000 SOL */));
}

}  // namespace glassbook::app
