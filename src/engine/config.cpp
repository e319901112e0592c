// Configuration validation and the demo configuration.
#include "engine/config.h"

#include <set>

#include "core/checked.h"
#include "engine/risk_bounds.h"
#include "risk/units.h"

namespace glassbook::engine {

bool RolePolicy::contains(const crypto::PublicKey& k) const {
  for (const auto& key : keys)
    if (key == k) return true;
  return false;
}

namespace {

Status validate_role(const char* name, const RolePolicy& r) {
  if (r.keys.size() > 64) return {Error::InvalidConfig, std::string("role ") + name + ": more than 64 keys"};
  std::set<crypto::PublicKey> seen(r.keys.begin(), r.keys.end());
  if (seen.size() != r.keys.size()) return {Error::InvalidConfig, std::string("role ") + name + ": a key appears twice"};
  if (r.keys.empty() ? r.threshold != 0 : (r.threshold < 1 || r.threshold > r.keys.size()))
    return {Error::InvalidConfig, std::string("role ") + name + ": threshold must be within 1..number of keys"};
  return {};
}

Status validate_risk(const ExchangeConfig& config) {
  auto bad = [](const std::string& why) { return Status(Error::InvalidConfig, why); };
  const auto& assets = config.assets;
  size_t margin_assets = 0;
  bool oracle_priced = false;
  for (const auto& a : assets) {
    const std::string name = "asset " + a.symbol + ": ";
    if (a.collateral_weight_ppm < 0 || a.collateral_weight_ppm > risk::kPpm) return bad(name + "collateral weight outside 0..100%");
    if (a.collateral_weight_ppm > 0 && a.valuation == Valuation::None) return bad(name + "collateral must be valued");
    if (a.valuation == Valuation::MarginAsset) ++margin_assets;
    if (a.valuation == Valuation::Index || a.valuation == Valuation::Redemption) oracle_priced = true;
    if (a.valuation == Valuation::Redemption) {
      if (a.underlying >= assets.size() || &assets[a.underlying] == &a) return bad(name + "its underlying must be another configured asset");
      const Valuation u = assets[a.underlying].valuation;
      if (u != Valuation::Index && u != Valuation::MarginAsset) return bad(name + "its underlying must be valued by the index or be the margin asset");
    } else if (a.underlying != 0) {
      return bad(name + "only a redemption-valued asset names an underlying");
    }
  }
  const bool perps = has_perpetuals(config);
  if (margin_assets > 1) return bad("more than one asset is valued as the margin asset");
  if ((perps || oracle_priced || margin_assets == 1) &&
      (margin_assets != 1 || config.risk.margin_asset >= assets.size() ||
       assets[config.risk.margin_asset].valuation != Valuation::MarginAsset))
    return bad("risk: the margin asset must be the one asset valued as the margin asset");
  if (oracle_priced) {
    if (config.risk.oracle_staleness_us <= 0) return bad("risk: the oracle staleness limit must be positive");
    if (config.risk.oracle_cap_ppm <= 0 || config.risk.oracle_cap_ppm >= risk::kPpm) return bad("risk: the oracle cap must be within (0, 100%)");
    if (config.oracle_sources.threshold < 1) return bad("risk: oracle-priced assets need oracle sources and a quorum");
  }
  if (config.risk.insurance_floor < 0) return bad("risk: the insurance floor cannot be negative");
  for (const auto& m : config.markets) {
    const std::string name = "market " + m.symbol + ": ";
    if (m.band_ppm < 0 || m.band_ppm >= risk::kPpm) return bad(name + "price band outside 0..100%");
    if (!(m.breaker == risk::BreakerRules{}))
      if (auto s = risk::validate_breaker(m.breaker); !s) return bad(name + s.message());
    if (m.kind == MarketKind::Spot) {
      if (!(m.perp == PerpetualConfig{})) return bad(name + "a spot market has no perpetual parameters");
      continue;
    }
    const PerpetualConfig& p = m.perp;
    if (m.quote != config.risk.margin_asset) return bad(name + "a perpetual is quoted and settled in the margin asset");
    if (m.base >= assets.size() ||
        (assets[m.base].valuation != Valuation::Index && assets[m.base].valuation != Valuation::Redemption))
      return bad(name + "a perpetual's base must be priced by the oracle");
    if (m.band_ppm == 0) return bad(name + "a perpetual needs a price band");
    if (auto s = risk::validate_tiers(p.tiers); !s) return bad(name + s.message());
    if (p.funding_interval_us <= 0) return bad(name + "the funding interval must be positive");
    if (p.funding.clamp < 0 || p.funding.cap < 0) return bad(name + "funding clamp and cap cannot be negative");
    if (p.impact_notional <= 0) return bad(name + "the impact notional must be positive");
    if (p.basis_alpha_ppm <= 0 || p.basis_alpha_ppm > risk::kPpm) return bad(name + "the basis average weight must be within (0, 100%]");
    if (p.liquidation_fee_ppm < 0 || p.liquidation_fee_ppm > 100'000) return bad(name + "the liquidation fee must be within 0..10%");
    if (p.insurance_max_position < 0) return bad(name + "the insurance fund's position cap cannot be negative");
  }
  std::set<std::string> group_names;
  std::set<AccountId> grouped;
  if (config.groups.size() > 64) return bad("more than 64 account groups");
  for (const auto& g : config.groups) {
    const std::string name = "group " + g.name + ": ";
    if (g.name.empty() || g.name.size() > 32 || !group_names.insert(g.name).second) return bad("group name empty, longer than 32 bytes or repeated");
    if (g.accounts.size() < 2) return bad(name + "a group links at least 2 accounts");
    for (AccountId a : g.accounts) {
      if (!is_customer(a)) return bad(name + "only customer accounts can be linked");
      if (!grouped.insert(a).second) return bad(name + "account " + std::to_string(a) + " is already in a group");
    }
    if (grouped.size() > 4096) return bad("more than 4096 linked accounts in all");
    if (g.max_notional <= 0 || g.max_market_notional <= 0) return bad(name + "its limits must be positive");
  }
  return validate_risk_bounds(config);
}

}  // namespace

bool has_perpetuals(const ExchangeConfig& config) {
  for (const auto& m : config.markets)
    if (m.kind == MarketKind::Perpetual) return true;
  return false;
}

bool has_margin_asset(const ExchangeConfig& config) {
  return config.risk.margin_asset < config.assets.size() &&
         config.assets[config.risk.margin_asset].valuation == Valuation::MarginAsset;
}

Result<std::vector<MarketScale>> validate_config(const ExchangeConfig& config) {
  for (auto [name, role] : {std::pair{"operators", &config.operators}, std::pair{"chain watchers", &config.chain_watchers},
                            std::pair{"oracle sources", &config.oracle_sources}, std::pair{"custodians", &config.custodians}})
    if (auto s = validate_role(name, *role); !s) return s;
  if (config.assets.empty()) return {Error::InvalidConfig, "no assets configured"};
  if (config.assets.size() > 1000) return {Error::InvalidConfig, "too many assets"};
  std::set<std::string> names;
  for (const auto& a : config.assets) {
    if (a.symbol.size() > 32) return {Error::InvalidConfig, "asset symbol longer than 32 bytes: '" + a.symbol + "'"};
    if (a.symbol.empty() || !names.insert(a.symbol).second)
      return {Error::InvalidConfig, "asset symbol empty or repeated: '" + a.symbol + "'"};
    if (a.decimals < 0 || a.decimals > 18) return {Error::InvalidConfig, "asset " + a.symbol + ": decimals outside 0..18"};
  }
  std::vector<MarketScale> scales;
  for (const auto& m : config.markets) {
    auto bad = [&](const std::string& why) { return Status(Error::InvalidConfig, "market " + m.symbol + ": " + why); };
    if (m.symbol.size() > 32) return bad("symbol longer than 32 bytes");
    if (m.symbol.empty() || !names.insert(m.symbol).second) return bad("symbol empty or repeated");
    if (m.base >= config.assets.size() || m.quote >= config.assets.size() || m.base == m.quote)
      return bad("base and quote must be two configured assets");
    if (m.tick_size <= 0 || m.lot_size <= 0) return bad("tick and lot sizes must be positive");
    if (m.min_quantity < m.lot_size || m.min_quantity % m.lot_size != 0) return bad("min quantity must be a positive multiple of the lot");
    if (m.max_price < m.tick_size || m.max_price % m.tick_size != 0) return bad("max price must be a positive multiple of the tick");
    if (m.maker_fee_ppm < 0 || m.maker_fee_ppm > 100'000 || m.taker_fee_ppm < 0 || m.taker_fee_ppm > 100'000)
      return bad("fees must be within 0..10%");
    if (m.market_protection_ppm <= 0 || m.market_protection_ppm >= 1'000'000) return bad("market protection must be within (0, 100%)");
    if (m.max_orders == 0 || m.max_orders > (1u << 24)) return bad("max orders must be within 1..2^24");
    int64_t unit = pow10(config.assets[m.base].decimals);
    auto prod = checked_mul(m.tick_size, m.lot_size);
    if (!prod || *prod % unit != 0) return bad("tick size x lot size must be a whole number of quote units");
    MarketScale s;
    s.notional_per_tick_lot = *prod / unit;
    s.max_price_ticks = m.max_price / m.tick_size;
    if (s.max_price_ticks > (int64_t{1} << 26)) return bad("more than 2^26 price ticks");
    scales.push_back(s);
  }
  if (auto s = validate_risk(config); !s) return s;
  if (auto s = validate_governance(config); !s) return s;
  if (auto s = validate_witnesses(config); !s) return s;
  if (auto s = validate_estates(config); !s) return s;
  if (auto s = validate_withdrawals(config); !s) return s;
  if (config.state_root_version != kStateRootV1 && config.state_root_version != kStateRootV2)
    return Status(Error::InvalidConfig, "state root version " + std::to_string(config.state_root_version) + ": this build knows 1 and 2");
  return scales;
}

ExchangeConfig demo_config(const crypto::PublicKey& chain_watcher) {
  ExchangeConfig c;
  c.assets = {{"BTC", 8}, {"SOL", 9}, {"USDC", 6}};
  MarketConfig btc;
  btc.symbol = "BTC_USDC";
  btc.base = 0;
  btc.quote = 2;
  btc.tick_size = 100'000;      // 0.1 USDC
  btc.lot_size = 1'000;         // 0.00001 BTC
  btc.min_quantity = 1'000;
  btc.max_price = 5'000'000'000'000;  // 5,000,000 USDC
  btc.maker_fee_ppm = 200;      // 2 bp
  btc.taker_fee_ppm = 500;      // 5 bp
  MarketConfig sol;
  sol.symbol = "SOL_USDC";
  sol.base = 1;
  sol.quote = 2;
  sol.tick_size = 10'000;       // 0.01 USDC
  sol.lot_size = 10'000'000;    // 0.01 SOL
  sol.min_quantity = 10'000'000;
  sol.max_price = 100'000'000'000;    // 100,000 USDC
  sol.maker_fee_ppm = 200;
  sol.taker_fee_ppm = 500;
  c.markets = {btc, sol};
  c.chain_watchers = {{chain_watcher}, 1};
  c.state_root_version = kStateRootV2;  // a new exchange takes the incremental root
  return c;
}

}  // namespace glassbook::engine
