// Governance rules over configurations alone (config.h): what a change may do, which changes only make
// limits safer, the role thresholds of deposits. Pure functions: the engine's part is governance.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <climits>

#include "engine/config.h"

namespace glassbook::engine {

// What a configuration change may do. Assets and markets are only ever appended (ids are forever);
// an existing asset keeps its symbol and decimals; an existing market keeps everything that shapes
// its book and the funds its resting orders hold (symbol, assets, tick, lot, max price, capacity).
// Fees, minimum quantity, market protection, risk parameters, collateral weights, groups and every
// role may change.
Status check_config_change(const ExchangeConfig& now, const ExchangeConfig& next) {
  auto refuse = [](std::string why) { return Status(Error::InvalidConfig, "configuration change refused: " + why); };
  if (next.assets.size() < now.assets.size()) return refuse("assets can only be added, never removed");
  for (size_t i = 0; i < now.assets.size(); ++i) {
    AssetConfig reweighted = now.assets[i];
    reweighted.collateral_weight_ppm = next.assets[i].collateral_weight_ppm;
    reweighted.concentration_share_ppm = next.assets[i].concentration_share_ppm;
    reweighted.concentration_weight_ppm = next.assets[i].concentration_weight_ppm;
    if (!(next.assets[i] == reweighted))
      return refuse(fmt::format("asset {} ({}) may change only its collateral weight and concentration haircut", i,
                                now.assets[i].symbol));
  }
  if (has_perpetuals(now) && next.risk.margin_asset != now.risk.margin_asset) return refuse("the margin asset cannot change");
  if (next.markets.size() < now.markets.size()) return refuse("markets can only be added, never removed");
  for (size_t i = 0; i < now.markets.size(); ++i) {
    const MarketConfig& a = now.markets[i];
    const MarketConfig& b = next.markets[i];
    if (a.symbol != b.symbol || a.base != b.base || a.quote != b.quote || a.tick_size != b.tick_size ||
        a.lot_size != b.lot_size || a.max_price != b.max_price || a.max_orders != b.max_orders || a.kind != b.kind)
      return refuse(fmt::format("market {} ({}) may change only its fees, minimum quantity, market protection and risk parameters", i, a.symbol));
  }
  return {};
}

Status validate_governance(const ExchangeConfig& c) {
  auto bad = [](const std::string& why) { return Status(Error::InvalidConfig, "governance: " + why); };
  const GovernanceConfig& g = c.governance;
  if (g.config_timelock_us < 0 || g.config_timelock_us > kMaxConfigTimelockUs)
    return bad(fmt::format("the configuration timelock must be within 0..{} µs (30 days)", kMaxConfigTimelockUs));
  if (g.large_deposit.size() > c.assets.size()) return bad("more large-deposit limits than assets");
  for (int64_t v : g.large_deposit)
    if (v < 0) return bad("a large-deposit limit cannot be negative");
  // One encoding per value: missing entries are 0, so a trailing 0 is left out.
  if (!g.large_deposit.empty() && g.large_deposit.back() == 0) return bad("the large-deposit limits end with a 0: leave it out");
  return {};
}

uint32_t attestations_needed(const ExchangeConfig& c, AssetId asset, int64_t amount) {
  const auto& limits = c.governance.large_deposit;
  if (asset < limits.size() && limits[asset] > 0 && amount <= limits[asset]) return 1;
  return std::max<uint32_t>(c.chain_watchers.threshold, 1);
}

bool only_safer(const ExchangeConfig& now, const ExchangeConfig& next) {
  // Every field that `next` moves in the safe direction (or leaves alone) is set back to `now`'s:
  // what remains differs from `now` exactly when some change is not a safer one.
  ExchangeConfig rest = next;
  if (rest.assets.size() != now.assets.size() || rest.markets.size() != now.markets.size() || rest.groups.size() != now.groups.size())
    return false;
  for (size_t i = 0; i < now.assets.size(); ++i)
    if (rest.assets[i].collateral_weight_ppm <= now.assets[i].collateral_weight_ppm)
      rest.assets[i].collateral_weight_ppm = now.assets[i].collateral_weight_ppm;
  for (size_t i = 0; i < now.markets.size(); ++i) {
    int32_t& band = rest.markets[i].band_ppm;
    if (now.markets[i].band_ppm > 0 && band > 0 && band <= now.markets[i].band_ppm) band = now.markets[i].band_ppm;
    // A lower open-interest cap where there was one, or a cap where there was none.
    for (auto cap : {&PerpetualConfig::max_open_interest, &PerpetualConfig::max_account_position}) {
      const int64_t was = now.markets[i].perp.*cap;
      int64_t& is = rest.markets[i].perp.*cap;
      if (is > 0 && (was == 0 || is <= was)) is = was;
    }
  }
  for (size_t i = 0; i < now.groups.size(); ++i) {
    AccountGroup& g = rest.groups[i];
    if (g.max_notional <= now.groups[i].max_notional) g.max_notional = now.groups[i].max_notional;
    if (g.max_market_notional <= now.groups[i].max_market_notional) g.max_market_notional = now.groups[i].max_market_notional;
  }
  if (rest.governance.config_timelock_us >= now.governance.config_timelock_us)
    rest.governance.config_timelock_us = now.governance.config_timelock_us;
  // A lower limit sends more deposits to the full threshold; 0 sends all of them.
  auto limit = [](const std::vector<int64_t>& v, size_t a) { return a < v.size() ? v[a] : 0; };
  bool deposits_safer = true;
  for (size_t a = 0; a < now.assets.size(); ++a) {
    const int64_t was = limit(now.governance.large_deposit, a), is = limit(next.governance.large_deposit, a);
    deposits_safer = deposits_safer && (is == 0 || (was != 0 && is <= was));
  }
  if (deposits_safer) rest.governance.large_deposit = now.governance.large_deposit;
  return rest == now;
}

}  // namespace glassbook::engine
