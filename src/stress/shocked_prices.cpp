// Revalues the engine's prices at a shock's final oracle values.
#include "stress/shocked_prices.h"

#include "core/checked.h"
#include "risk/units.h"

namespace glassbook::stress {

engine::RiskPrices shocked_prices(const engine::Engine& engine, const ShockPlan& plan) {
  const auto& config = engine.config();
  const engine::RiskPrices before = engine.prices_at(plan.start);
  engine::RiskPrices out = before;
  for (AssetId a = 0; a < config.assets.size(); ++a)
    if (config.assets[a].valuation == engine::Valuation::Index && plan.after[a]) out.asset[a] = plan.after[a];
  for (AssetId a = 0; a < config.assets.size(); ++a) {
    const auto& cfg = config.assets[a];
    if (cfg.valuation != engine::Valuation::Redemption) continue;
    const auto rate = plan.after[a];
    const auto under = out.asset[cfg.underlying];
    out.asset[a] = std::nullopt;
    if (!rate || !under) continue;
    const auto v = mul_div_floor(*rate, *under, risk::kRateOne);
    if (v && *v > 0) out.asset[a] = *v;
  }
  for (MarketId m = 0; m < config.markets.size(); ++m) {
    if (!out.mark[m]) continue;
    const AssetId base = config.markets[m].base;
    const auto was = before.asset[base], now = out.asset[base];
    if (!was || !now || *was <= 0) {
      out.mark[m] = std::nullopt;
      continue;
    }
    const auto v = mul_div_floor(*out.mark[m], *now, *was);
    out.mark[m] = v && *v > 0 ? v : std::nullopt;
  }
  return out;
}

}  // namespace glassbook::stress
