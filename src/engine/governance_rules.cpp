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
  // Checkpoints signed under a newer format would not verify under an older one: only upward.
  if (next.state_root_version < now.state_root_version)
    return refuse(fmt::format("the state root version can only be raised ({} to {})", now.state_root_version, next.state_root_version));
  return check_estate_change(now, next);
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

namespace {

// Sets `field` back to `was` when `next` moved it in the safe direction (`safer(was, is)`), so that
// only the changes that are not safer remain.
template <typename T, typename Safer>
void forgive(T& field, const T& was, Safer safer) {
  if (safer(was, field)) field = was;
}
constexpr auto no_higher = [](auto was, auto is) { return is <= was; };
constexpr auto no_lower = [](auto was, auto is) { return is >= was; };

// Tier by tier, each bound no higher and each rate no lower: every notional then falls in the same
// tier or a later one, whose rates are no lower (rates never fall from tier to tier), so every
// position's initial and maintenance margin is no lower and the largest position allowed no larger.
// The number of tiers stays (a new tier is judged as a change like any other).
void forgive_tiers(std::vector<risk::MarginTier>& next, const std::vector<risk::MarginTier>& now) {
  if (next.size() != now.size()) return;
  for (size_t i = 0; i < now.size(); ++i)
    if (!(next[i].max_notional <= now[i].max_notional && next[i].initial_ppm >= now[i].initial_ppm &&
          next[i].maintenance_ppm >= now[i].maintenance_ppm))
      return;
  next = now;
}

// A circuit breaker trips sooner and pauses longer: a smaller move, over a longer window, a shorter
// hold at the band, a longer pause, a smaller batch judged. Switching one on (all zero: none) is
// safer; switching it off is not.
void forgive_breaker(risk::BreakerRules& next, const risk::BreakerRules& now) {
  const risk::BreakerRules none{};
  if (next == none) return;
  if (now == none) {
    next = now;
    return;
  }
  if (next.move_ppm <= now.move_ppm && next.window_us >= now.window_us && next.hold_at_band_us <= now.hold_at_band_us &&
      next.pause_us >= now.pause_us && next.min_notional <= now.min_notional)
    next = now;
}

}  // namespace

// Each risk field and the direction that is safer (every other field, and every move the other way,
// waits for the timelock):
//   asset collateral weight      lower: less of the asset counts as margin
//   market band                  narrower (never switched off: 0 is no band)
//   market protection            narrower: a market order walks less far past the touch
//   circuit breaker              switched on, or tripping sooner and pausing longer
//   perpetual margin tiers       higher rates, lower bounds (forgive_tiers)
//   perpetual mark cap           narrower: the mark stays closer to the index
//   insurance fund's position    smaller: the fund holds less of a market
//   open-interest caps           lower, or a cap where there was none
//   oracle staleness             shorter: an old price stops counting sooner
//   oracle cap                   narrower: one source moves the median less
//   insurance floor              higher: deleveraging takes over before the fund runs low
//   group limits                 lower
//   configuration timelock       longer
//   large-deposit limits         lower, or 0 (every deposit to the full threshold)
// Fees, funding rules, the liquidation fee, the impact notional, the basis average and roles are not
// limits: any change to them waits.
bool only_safer(const ExchangeConfig& now, const ExchangeConfig& next) {
  ExchangeConfig rest = next;
  if (rest.assets.size() != now.assets.size() || rest.markets.size() != now.markets.size() || rest.groups.size() != now.groups.size())
    return false;
  for (size_t i = 0; i < now.assets.size(); ++i)
    forgive(rest.assets[i].collateral_weight_ppm, now.assets[i].collateral_weight_ppm, no_higher);
  for (size_t i = 0; i < now.markets.size(); ++i) {
    const MarketConfig& was = now.markets[i];
    MarketConfig& m = rest.markets[i];
    if (was.band_ppm > 0 && m.band_ppm > 0) forgive(m.band_ppm, was.band_ppm, no_higher);
    if (m.market_protection_ppm > 0) forgive(m.market_protection_ppm, was.market_protection_ppm, no_higher);
    forgive_breaker(m.breaker, was.breaker);
    if (m.kind == MarketKind::Perpetual) {
      forgive_tiers(m.perp.tiers, was.perp.tiers);
      if (m.perp.mark_cap_ppm > 0) forgive(m.perp.mark_cap_ppm, was.perp.mark_cap_ppm, no_higher);
      if (m.perp.insurance_max_position >= 0) forgive(m.perp.insurance_max_position, was.perp.insurance_max_position, no_higher);
      // A lower open-interest cap where there was one, or a cap where there was none.
      for (auto cap : {&PerpetualConfig::max_open_interest, &PerpetualConfig::max_account_position}) {
        const int64_t before = was.perp.*cap;
        int64_t& is = m.perp.*cap;
        if (is > 0 && (before == 0 || is <= before)) is = before;
      }
    }
  }
  if (rest.risk.oracle_staleness_us > 0) forgive(rest.risk.oracle_staleness_us, now.risk.oracle_staleness_us, no_higher);
  if (rest.risk.oracle_cap_ppm > 0) forgive(rest.risk.oracle_cap_ppm, now.risk.oracle_cap_ppm, no_higher);
  forgive(rest.risk.insurance_floor, now.risk.insurance_floor, no_lower);
  for (size_t i = 0; i < now.groups.size(); ++i) {
    AccountGroup& g = rest.groups[i];
    forgive(g.max_notional, now.groups[i].max_notional, no_higher);
    forgive(g.max_market_notional, now.groups[i].max_market_notional, no_higher);
  }
  forgive(rest.governance.config_timelock_us, now.governance.config_timelock_us, no_lower);
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
