// Governance bounds on risk parameters (risk_bounds.h): the checks, one per bound.
#include "engine/risk_bounds.h"

#include <fmt/format.h>

#include "engine/config.h"

namespace glassbook::engine {

namespace {

Status bad(const std::string& why) { return Status(Error::InvalidConfig, why); }

bool oracle_priced(const AssetConfig& a) { return a.valuation == Valuation::Index || a.valuation == Valuation::Redemption; }

Status check_tiers(const MarketConfig& m) {
  for (size_t i = 0; i < m.perp.tiers.size(); ++i) {
    const risk::MarginTier& t = m.perp.tiers[i];
    if (t.maintenance_ppm < kMinMaintenancePpm)
      return bad(fmt::format("market {}: tier {} maintenance {} ppm is below the floor of {} ppm", m.symbol, i,
                             t.maintenance_ppm, kMinMaintenancePpm));
    if (static_cast<int64_t>(t.initial_ppm) * kInitialOverMaintenanceDen <
        static_cast<int64_t>(t.maintenance_ppm) * kInitialOverMaintenanceNum)
      return bad(fmt::format("market {}: tier {} initial {} ppm must be at least {}/{} of maintenance {} ppm", m.symbol, i,
                             t.initial_ppm, kInitialOverMaintenanceNum, kInitialOverMaintenanceDen, t.maintenance_ppm));
  }
  return {};
}

}  // namespace

Status validate_risk_bounds(const ExchangeConfig& config) {
  bool any_oracle_priced = false;
  for (const AssetConfig& a : config.assets) {
    if (!oracle_priced(a)) continue;
    any_oracle_priced = true;
    if (a.collateral_weight_ppm > kMaxOracleCollateralWeightPpm)
      return bad(fmt::format("asset {}: collateral weight {} ppm above the cap of {} ppm for oracle-priced assets", a.symbol,
                             a.collateral_weight_ppm, kMaxOracleCollateralWeightPpm));
  }
  const RolePolicy& sources = config.oracle_sources;
  if (any_oracle_priced && static_cast<uint64_t>(sources.threshold) * 2 <= sources.keys.size())
    return bad(fmt::format("risk: the oracle quorum {} of {} sources is not a majority", sources.threshold, sources.keys.size()));
  for (const MarketConfig& m : config.markets) {
    if (m.kind != MarketKind::Perpetual) continue;
    if (auto s = check_tiers(m); !s) return s;
    if (m.perp.mark_cap_ppm <= 0 || m.perp.mark_cap_ppm > kMaxMarkCapPpm)
      return bad(fmt::format("market {}: the mark cap {} ppm must be within 1..{}", m.symbol, m.perp.mark_cap_ppm, kMaxMarkCapPpm));
    if (m.perp.funding.cap <= 0 || m.perp.funding.cap > kMaxFundingCap)
      return bad(fmt::format("market {}: the funding cap {} must be within 1..{} (1e-9 per interval)", m.symbol,
                             m.perp.funding.cap, kMaxFundingCap));
  }
  return {};
}

}  // namespace glassbook::engine
