// The demo exchange's perpetuals: BTC and SOL valued by the oracle, USDC the margin asset, BTC_PERP and SOL_PERP.
#pragma once
#include <vector>

#include "crypto/ed25519.h"
#include "engine/config.h"

namespace glassbook::app {

inline constexpr AssetId kDemoBtc = 0, kDemoSol = 1, kDemoUsdc = 2;
inline constexpr MarketId kDemoBtcPerp = 2, kDemoSolPerp = 3;
inline constexpr int kDemoOracleSources = 5;
inline constexpr uint32_t kDemoOracleQuorum = 3;

// Adds to demo_config's assets and spot markets (BTC_USDC 0, SOL_USDC 1): valuations (BTC and SOL
// by the index, weights 95% and 90%; USDC the margin asset), the risk parameters (staleness 10 s,
// cap 5%, insurance floor 100,000 USDC), the oracle sources (quorum: 3, or a majority of more), and
// BTC_PERP (2) and SOL_PERP (3), each with tiered margin, hourly funding, a 10% band and a breaker.
void add_demo_perpetuals(engine::ExchangeConfig& config, const std::vector<crypto::PublicKey>& oracle_sources);

}  // namespace glassbook::app
