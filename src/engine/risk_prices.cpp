// Prices the risk engine judges by (oracle index, redemption value, mark) and an account's margin.
#include <algorithm>

#include "core/checked.h"
#include "engine/engine.h"
#include "risk/concentration.h"
#include "risk/margin_tiers.h"
#include "risk/units.h"

namespace glassbook::engine {

namespace {

// Value in margin-asset units of `amount` smallest units of an asset with `decimals`, at `price`
// per whole unit, rounded toward negative infinity (never overstated).
__int128 value_of(int64_t amount, int64_t price, int decimals) {
  const __int128 p = static_cast<__int128>(amount) * price;
  const int64_t unit = pow10(decimals);
  __int128 q = div_toward_zero(p, unit);
  if (p < 0 && q * unit != p) q -= 1;
  return q;
}

}  // namespace

const std::vector<std::optional<int64_t>>& Engine::cached_asset_prices(Timestamp now) {
  AssetPriceCache& cache = asset_prices_;
  if (cache.version == oracle_version_ && now >= cache.from && now < cache.until) return cache.asset;
  compute_asset_prices(now, cache);
  return cache.asset;
}

void Engine::compute_asset_prices(Timestamp now, AssetPriceCache& cache) const {
  const size_t n = config_.assets.size();
  cache.asset.assign(n, std::nullopt);
  const risk::OracleRules rules{config_.risk.oracle_staleness_us, config_.risk.oracle_cap_ppm,
                                config_.oracle_sources.threshold};
  // Margin asset and index-valued assets first: redemption values need their underlying.
  for (AssetId a = 0; a < n; ++a) {
    const AssetConfig& cfg = config_.assets[a];
    if (cfg.valuation == Valuation::MarginAsset) cache.asset[a] = pow10(cfg.decimals);
    else if (cfg.valuation == Valuation::Index) cache.asset[a] = risk::aggregate_index(oracle_[a], now, rules);
  }
  for (AssetId a = 0; a < n; ++a) {
    const AssetConfig& cfg = config_.assets[a];
    if (cfg.valuation != Valuation::Redemption) continue;
    const auto rate = risk::aggregate_index(oracle_[a], now, rules);
    const auto under = cache.asset[cfg.underlying];
    if (!rate || !under) continue;
    // value of one whole unit = rate (underlying whole units per unit, 1e-9) x underlying's value.
    auto v = mul_div_floor(*rate, *under, risk::kRateOne);
    if (v && *v > 0) cache.asset[a] = *v;
  }
  // The aggregates depend only on which samples are fresh: they hold until a new sample arrives
  // (oracle_version_) or the first fresh one goes stale.
  Timestamp until = INT64_MAX;
  for (const auto& samples : oracle_)
    for (const risk::OracleSample& smp : samples)
      if (smp.present && smp.value > 0 && (smp.time > now || now - smp.time <= rules.staleness_us))
        until = std::min<Timestamp>(until, smp.time > INT64_MAX - rules.staleness_us - 1 ? INT64_MAX : smp.time + rules.staleness_us + 1);
  cache.version = oracle_version_;
  cache.from = now;
  cache.until = until;
}

RiskPrices Engine::prices_at(Timestamp now) const {
  AssetPriceCache assets;
  compute_asset_prices(now, assets);
  return with_marks(now, std::move(assets.asset));
}

RiskPrices Engine::current_prices(Timestamp now) { return with_marks(now, cached_asset_prices(now)); }

RiskPrices Engine::with_marks(Timestamp now, std::vector<std::optional<int64_t>> asset) const {
  RiskPrices out;
  out.now = now;
  out.asset = std::move(asset);
  out.mark.assign(markets_.size(), std::nullopt);
  for (MarketId mid = 0; mid < markets_.size(); ++mid) {
    const Market& m = markets_[mid];
    if (!m.is_perp()) continue;
    const auto index = out.asset[m.cfg.base];
    if (!index) continue;
    const PerpetualConfig& pc = m.cfg.perp;
    risk::MarkInputs in;
    in.index = *index;
    in.funding_rate = risk::funding_rate(m.perp.premium.average(), pc.funding);
    in.funding_interval_us = pc.funding_interval_us;
    in.time_to_funding_us = m.perp.next_funding == 0 ? pc.funding_interval_us
                                                     : std::clamp<int64_t>(m.perp.next_funding - now, 0, pc.funding_interval_us);
    in.basis_average = m.perp.basis.started ? m.perp.basis.value : 0;
    if (m.stats.last_price > 0) in.last_trade = m.stats.last_price;
    in.cap_ppm = pc.mark_cap_ppm;
    out.mark[mid] = risk::mark_price(in);
  }
  return out;
}

__int128 Engine::collateral_of(AccountId a, const RiskPrices& prices, bool& frozen, AssetId hold_asset, int64_t hold) const {
  // What the account owns beyond its spot holds, at weighted oracle value. The margin asset counts
  // in full, debt included; other assets only when positive.
  __int128 equity = 0;
  // Every collateral asset at its full value: what an asset's concentration is measured against.
  __int128 total = 0;
  struct Concentrated {
    __int128 value;
    const AssetConfig* cfg;
  };
  boost::container::small_vector<Concentrated, 2> concentrated;
  for (AssetId x = 0; x < config_.assets.size(); ++x) {
    const AssetConfig& cfg = config_.assets[x];
    const ledger::Balance& b = ledger_.balance(a, x);
    const int64_t free = b.total - b.held - (x == hold_asset ? hold : 0);
    if (cfg.valuation == Valuation::MarginAsset) {
      equity += free;
      total += std::max<int64_t>(free, 0);
      continue;
    }
    // A deposit reversal's debt in a valued asset (ledger take_back) counts against the account at
    // the asset's full value, as a margin debt does in the margin asset. An unvalued asset's debt
    // cannot be priced and does not count; it still blocks withdrawals of that asset.
    if (free < 0 && cfg.valuation != Valuation::None) {
      if (!prices.asset[x]) {
        frozen = true;
        continue;
      }
      equity += value_of(free, *prices.asset[x], cfg.decimals);  // rounded down: the debt never understated
      continue;
    }
    if (free <= 0 || cfg.collateral_weight_ppm == 0) continue;
    if (!prices.asset[x]) {
      frozen = true;
      continue;
    }
    const __int128 value = value_of(free, *prices.asset[x], cfg.decimals);
    total += value;
    if (cfg.has_concentration()) concentrated.push_back({value, &cfg});
    else equity += div_toward_zero(value * cfg.collateral_weight_ppm, risk::kPpm);
  }
  // The part of a concentrated asset's value above its share of the whole counts at its lower weight.
  for (const Concentrated& c : concentrated)
    equity += risk::concentrated_value(c.value, total, c.cfg->collateral_weight_ppm, c.cfg->concentration_share_ppm,
                                       c.cfg->concentration_weight_ppm);
  return equity;
}

__int128 Engine::concentrated_value_of(AccountId a, AssetId x, const RiskPrices& prices) const {
  bool frozen = false;
  const __int128 all = collateral_of(a, prices, frozen);
  const int64_t free = ledger_.balance(a, x).available();
  return all - collateral_of(a, prices, frozen, x, free);
}

__int128 Engine::equity_of(AccountId a, const RiskPrices& prices) const {
  if (a >= margin_.size()) return 0;
  bool frozen = false;
  __int128 equity = collateral_of(a, prices, frozen);
  for (const PerpPosition& p : margin_[a].positions) {
    if (!prices.mark[p.market]) continue;
    const Market& m = markets_[p.market];
    const __int128 size = static_cast<__int128>(p.lots) * m.cfg.lot_size;
    equity += value_of(static_cast<int64_t>(size), *prices.mark[p.market], config_.assets[m.cfg.base].decimals) - p.cost;
  }
  return equity;
}

MarginSummary Engine::margin_of(AccountId a, const RiskPrices& prices) const {
  MarginSummary s;
  if (a >= margin_.size()) return s;
  s.equity = collateral_of(a, prices, s.frozen);
  for (const PerpPosition& p : margin_[a].positions) {
    const Market& m = markets_[p.market];
    if (p.lots != 0) s.has_positions = true;
    if (!prices.mark[p.market]) {
      s.frozen = true;
      continue;
    }
    const int64_t mark = *prices.mark[p.market];
    const int dec = config_.assets[m.cfg.base].decimals;
    const __int128 size = static_cast<__int128>(p.lots) * m.cfg.lot_size;
    const __int128 value = value_of(static_cast<int64_t>(size), mark, dec);
    const __int128 notional = value < 0 ? -value : value;
    s.equity += value - p.cost;
    s.notional += notional;
    const auto tiers = std::span<const risk::MarginTier>(m.cfg.perp.tiers);
    const auto clamp64 = [](__int128 v) { return static_cast<int64_t>(std::min<__int128>(v, INT64_MAX)); };
    s.maintenance += risk::maintenance_margin(tiers, clamp64(notional));
    const int64_t worst = std::max(std::abs(p.lots + p.open_buy), std::abs(p.lots - p.open_sell));
    const __int128 worst_value = value_of(static_cast<int64_t>(static_cast<__int128>(worst) * m.cfg.lot_size), mark, dec);
    s.initial += risk::initial_margin(tiers, clamp64(worst_value));
  }
  return s;
}

}  // namespace glassbook::engine
