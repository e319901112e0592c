// Workload 3's exchange configuration and market activity weights (markets_exchange.h).
#include "app/bench/markets_exchange.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/checked.h"

namespace glassbook::app {

namespace {

constexpr int64_t kUsdc = 1'000'000;  // one USDC (or USDT) in its smallest units

// floor(log10(v)) for v >= 1.
int log10_floor(int64_t v) {
  int e = 0;
  while (v >= 10) {
    v /= 10;
    ++e;
  }
  return e;
}

// v rounded down to three significant digits.
int64_t three_digits(int64_t v) {
  const int64_t unit = pow10(std::max(0, log10_floor(v) - 2));
  return v / unit * unit;
}

engine::MarketConfig market_for(const std::string& symbol, AssetId base, AssetId quote, int64_t price, int64_t tick,
                                int64_t lot) {
  engine::MarketConfig m;
  m.symbol = symbol;
  m.base = base;
  m.quote = quote;
  m.tick_size = tick;
  m.lot_size = lot;
  m.min_quantity = lot;
  m.max_price = 4 * price / tick * tick;
  m.maker_fee_ppm = 200;  // 2 bp
  m.taker_fee_ppm = 500;  // 5 bp
  m.max_orders = 1u << 18;
  m.band_ppm = 100'000;   // limit orders within 10% of the reference (mark, or last trade on spot)
  // A move of more than 15% within a minute, or a minute at the band edge, pauses for 30 s; trades
  // are judged in batches of at least 10,000 of the quote asset, so one small print pauses nothing.
  m.breaker = risk::BreakerRules{150'000, 60'000'000, 60'000'000, 30'000'000, 10'000 * kUsdc};
  return m;
}

void make_perpetual(engine::MarketConfig& m) {
  m.kind = engine::MarketKind::Perpetual;
  // {max notional, initial, maintenance}: 10x up to 100k USDC, 5x up to 1M, 2x beyond.
  m.perp.tiers = {{100'000 * kUsdc, 100'000, 50'000},
                  {1'000'000 * kUsdc, 200'000, 100'000},
                  {1'000'000'000 * kUsdc, 500'000, 250'000}};
  m.perp.funding_interval_us = 3'600'000'000;     // 1 h
  m.perp.funding = {100'000, 500'000, 7'500'000};  // interest 0.01%, clamp 0.05%, cap 0.75% per interval
  m.perp.impact_notional = 1'000 * kUsdc;
  m.perp.basis_alpha_ppm = 100'000;
  m.perp.liquidation_fee_ppm = 5'000;  // 0.5% to the insurance fund
  m.perp.insurance_max_position = 10'000 * m.lot_size;
  m.perp.mark_cap_ppm = 10'000;  // 1%
}

}  // namespace

MarketsExchange make_markets_exchange(const MarketsExchangeShape& shape, const std::vector<crypto::PublicKey>& oracle_sources,
                                      const crypto::PublicKey& chain_watcher) {
  const uint32_t spots = shape.spot_markets, perps = shape.perp_markets;
  if (spots + perps == 0 || spots > kMaxMarketsPerKind || perps > kMaxMarketsPerKind)
    throw std::invalid_argument("bench markets: at most 120 spot and 120 perpetual markets, and at least one market");
  MarketsExchange x;
  x.bases = std::max<uint32_t>(1, (std::max(spots, perps) + 1) / 2);
  x.usdc = static_cast<AssetId>(x.bases);
  x.usdt = static_cast<AssetId>(x.bases + 1);
  engine::ExchangeConfig& c = x.config;

  // Base assets from 60,000 USDC down by a fifth each. Decimals and ticks follow the price: the
  // tick is 1 to 10 ppm of it (1e5 to 1e6 ticks) and a spot lot is worth 0.1 to 1 USDC, so every
  // market has the shape of workload 2's, and tick x lot is one quote unit.
  int64_t price = 60'000 * kUsdc;
  for (uint32_t b = 0; b < x.bases; ++b) {
    const int lg = log10_floor(price);
    engine::AssetConfig a{fmt::format("A{:02}", b), lg - 2};
    a.valuation = engine::Valuation::Index;
    a.collateral_weight_ppm = std::max<int32_t>(500'000, 900'000 - 10'000 * static_cast<int32_t>(b));
    c.assets.push_back(a);
    x.start_price.push_back(price);
    price = std::max<int64_t>(three_digits(price * 4 / 5), 100'000);
  }
  engine::AssetConfig usdc{"USDC", 6};
  usdc.valuation = engine::Valuation::MarginAsset;
  usdc.collateral_weight_ppm = 1'000'000;
  engine::AssetConfig usdt{"USDT", 6};
  usdt.valuation = engine::Valuation::Redemption;
  usdt.underlying = x.usdc;
  usdt.collateral_weight_ppm = 950'000;
  c.assets.push_back(usdc);
  c.assets.push_back(usdt);

  auto tick_of = [&](uint32_t b) { return pow10(std::max(0, log10_floor(x.start_price[b]) - 5)); };
  auto spot_lot_of = [&](uint32_t b) { return pow10(c.assets[b].decimals) / tick_of(b); };
  for (uint32_t j = 0; j < spots; ++j) {
    const uint32_t b = j % x.bases;
    const bool usdc_quote = j < x.bases;
    c.markets.push_back(market_for(fmt::format("A{:02}_{}", b, usdc_quote ? "USDC" : "USDT"), static_cast<AssetId>(b),
                                   usdc_quote ? x.usdc : x.usdt, x.start_price[b], tick_of(b), spot_lot_of(b)));
    x.markets.push_back({b, false, 0});
  }
  for (uint32_t j = 0; j < perps; ++j) {
    const uint32_t b = j % x.bases;
    const bool standard = j < x.bases;
    engine::MarketConfig m = market_for(fmt::format("A{:02}_PERP{}", b, standard ? "" : "_MICRO"), static_cast<AssetId>(b),
                                        x.usdc, x.start_price[b], tick_of(b), spot_lot_of(b) * (standard ? 100 : 10));
    make_perpetual(m);
    c.markets.push_back(m);
    x.markets.push_back({b, true, 0});
  }

  c.risk.margin_asset = x.usdc;
  c.risk.oracle_staleness_us = 10'000'000;  // 10 s
  c.risk.oracle_cap_ppm = 50'000;           // 5%
  c.risk.insurance_floor = 100'000 * kUsdc;
  c.oracle_sources = {oracle_sources, 3};
  c.chain_watchers = {{chain_watcher}, 1};

  // Activity: perpetual and spot alternate down the ranks.
  for (uint32_t i = 0; i < std::max(spots, perps); ++i) {
    if (i < perps) x.by_activity.push_back(static_cast<MarketId>(spots + i));
    if (i < spots) x.by_activity.push_back(static_cast<MarketId>(i));
  }
  const double n = static_cast<double>(x.by_activity.size());
  for (size_t r = 0; r < x.by_activity.size(); ++r) {
    const double w = std::pow((static_cast<double>(r) + 0.5) / n, -1.0 / kParetoShape);
    x.markets[x.by_activity[r]].weight = static_cast<uint64_t>(std::llround(1e6 * w));
    x.total_weight += x.markets[x.by_activity[r]].weight;
  }
  return x;
}

}  // namespace glassbook::app
