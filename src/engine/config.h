// Exchange configuration: assets, spot markets with tick/lot sizes and fees, and role keys.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "crypto/ed25519.h"

namespace glassbook::engine {

struct AssetConfig {
  std::string symbol;  // "BTC"
  int decimals = 0;    // smallest unit = 10^-decimals

  bool operator==(const AssetConfig&) const = default;
};

// Prices are in quote smallest units per one whole base unit; quantities in base smallest units.
// tick_size * lot_size must be a multiple of 10^base_decimals so that every trade's notional is a
// whole number of quote units (no rounding on settlement).
struct MarketConfig {
  std::string symbol;  // "BTC_USDC"
  AssetId base = 0;
  AssetId quote = 0;
  int64_t tick_size = 1;          // price step, quote units
  int64_t lot_size = 1;           // quantity step, base units
  int64_t min_quantity = 1;       // base units, a multiple of lot_size
  int64_t max_price = 0;          // highest accepted price, quote units (a multiple of tick_size)
  int32_t maker_fee_ppm = 0;      // fee on what the maker receives, parts per million
  int32_t taker_fee_ppm = 0;      // fee on what the taker receives, parts per million
  int32_t market_protection_ppm = 50'000;  // a market order without a limit stops this far beyond the touch
  uint32_t max_orders = 1u << 20;          // resting orders the book may hold

  bool operator==(const MarketConfig&) const = default;
};

// The keys that hold one role and how many of them must agree (m-of-n). A role with no keys has
// threshold 0 and can do nothing.
struct RolePolicy {
  std::vector<crypto::PublicKey> keys;
  uint32_t threshold = 0;

  bool contains(const crypto::PublicKey& k) const;
  bool operator==(const RolePolicy&) const = default;
};

// Everything genesis fixes: assets, markets and their fee schedules, and every role's keys. Changing
// any of it later is a command approved by `operators` under their threshold.
struct ExchangeConfig {
  std::vector<AssetConfig> assets;
  std::vector<MarketConfig> markets;
  crypto::PublicKey log_key{};  // the exchange's log key: signs genesis and checkpoints
  RolePolicy operators;         // approve configuration changes, m-of-n
  RolePolicy chain_watchers;    // each attests deposits it saw on chain
  RolePolicy oracle_sources;    // sign index prices; the threshold is the quorum
  RolePolicy custodians;        // approve withdrawals from custody, m-of-n

  bool operator==(const ExchangeConfig&) const = default;
};

// Derived per-market constants, computed once when the configuration is loaded.
struct MarketScale {
  int64_t notional_per_tick_lot = 0;  // quote units for one tick of price times one lot
  int64_t max_price_ticks = 0;
};

// Checks the configuration (sizes, scales, fee bounds, unique symbols, role thresholds within
// 1..keys and no key twice in a role) and derives the scales.
Result<std::vector<MarketScale>> validate_config(const ExchangeConfig& config);

// Whether `next` may replace `now` (governance.cpp): assets and markets are only appended, and an
// existing market keeps what shapes its book; fees, minimum quantity, protection and roles may change.
Status check_config_change(const ExchangeConfig& now, const ExchangeConfig& next);

// The demo and test configuration: BTC, SOL, USDC; BTC_USDC and SOL_USDC; one chain watcher.
ExchangeConfig demo_config(const crypto::PublicKey& chain_watcher);

}  // namespace glassbook::engine
