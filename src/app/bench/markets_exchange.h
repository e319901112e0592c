// The exchange of workload 3 (bench markets): base assets A00.. valued by the oracle, USDC (the margin
// asset) and USDT (a stablecoin valued by redemption into USDC), spot markets against both quotes,
// standard and micro perpetuals settled in USDC, and how busy each market is (Pareto by rank).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/ed25519.h"
#include "engine/config.h"

namespace glassbook::app {

struct MarketsExchangeShape {
  uint32_t spot_markets = 100;
  uint32_t perp_markets = 100;
};

// The largest number of spot (or perpetual) markets: two per base asset, and every base asset and
// USDT fit in one oracle update (engine::kMaxOracleQuotes).
inline constexpr uint32_t kMaxMarketsPerKind = 120;

struct MarketsExchange {
  engine::ExchangeConfig config;
  uint32_t bases = 0;           // base assets are 0..bases-1
  AssetId usdc = 0, usdt = 0;   // bases and bases + 1
  std::vector<int64_t> start_price;  // by base asset: USDC units per whole unit at the start

  struct Market {
    uint32_t base = 0;
    bool perp = false;
    uint64_t weight = 0;  // share of the commands, relative to the other markets' weights
  };
  std::vector<Market> markets;        // by market id: spot markets first, then perpetuals
  std::vector<MarketId> by_activity;  // busiest first
  uint64_t total_weight = 0;
};

// The Pareto shape that gives the 80/20 rule (log 5 / log 4): the market of activity rank r (0 the
// busiest) of n weighs ((r + 1/2) / n)^(-1/shape), the Pareto distribution's quantile at its rank.
inline constexpr double kParetoShape = 1.160964047443681;

// Spot market j trades base j % bases against USDC (j < bases) or USDT; perpetual j tracks base
// j % bases, standard (j < bases) or micro (a tenth of the lot). Ranks alternate perpetual and spot
// in that order, so A00_PERP is the busiest market and A00_USDC the next.
MarketsExchange make_markets_exchange(const MarketsExchangeShape& shape, const std::vector<crypto::PublicKey>& oracle_sources,
                                      const crypto::PublicKey& chain_watcher);

}  // namespace glassbook::app
