// Governance bounds on risk parameters (risk_bounds.h): the checks, one per bound.
#include "engine/risk_bounds.h"

#include <fmt/format.h>

#include "engine/config.h"
#include "risk/units.h"

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

// Concentration haircut: a share within 1..100% of the account's collateral and a lower weight
// within 0..the asset's weight; none on the margin asset (its balance settles perpetuals and may be
// a debt) or on an asset that is not collateral.
Status check_concentration(const AssetConfig& a) {
  if (!a.has_concentration()) {
    if (a.concentration_weight_ppm != 0)
      return bad(fmt::format("asset {}: a concentration weight without a concentration share", a.symbol));
    return {};
  }
  if (a.valuation == Valuation::MarginAsset || a.collateral_weight_ppm == 0)
    return bad(fmt::format("asset {}: only collateral other than the margin asset has a concentration haircut", a.symbol));
  if (a.concentration_share_ppm < 0 || a.concentration_share_ppm > risk::kPpm)
    return bad(fmt::format("asset {}: the concentration share {} ppm must be within 1..{}", a.symbol, a.concentration_share_ppm, risk::kPpm));
  if (a.concentration_weight_ppm < 0 || a.concentration_weight_ppm > a.collateral_weight_ppm)
    return bad(fmt::format("asset {}: the concentration weight {} ppm must be within 0..its collateral weight {} ppm", a.symbol,
                           a.concentration_weight_ppm, a.collateral_weight_ppm));
  return {};
}

// Open-interest caps: 0 (none) or a positive multiple of the lot.
Status check_open_interest(const MarketConfig& m) {
  for (auto [name, cap] : {std::pair{"open-interest cap", m.perp.max_open_interest},
                           std::pair{"per-account position cap", m.perp.max_account_position}})
    if (cap < 0 || cap % m.lot_size != 0)
      return bad(fmt::format("market {}: the {} {} must be 0 (none) or a positive multiple of the lot {}", m.symbol, name, cap,
                             m.lot_size));
  return {};
}

Status check_fund_constants(const RiskConfig& r) {
  if (r.seizure_haircut_ppm < kMinSeizureHaircutPpm || r.seizure_haircut_ppm > kMaxSeizureHaircutPpm)
    return bad(fmt::format("risk: the seizure haircut {} ppm must be within {}..{}", r.seizure_haircut_ppm, kMinSeizureHaircutPpm,
                           kMaxSeizureHaircutPpm));
  if (r.fund_unwind_interval_us < kMinFundUnwindIntervalUs || r.fund_unwind_interval_us > kMaxFundUnwindIntervalUs)
    return bad(fmt::format("risk: the fund unwind interval {} µs must be within {}..{}", r.fund_unwind_interval_us,
                           kMinFundUnwindIntervalUs, kMaxFundUnwindIntervalUs));
  if (r.fund_slices_per_cap < 1 || r.fund_slices_per_cap > kMaxFundSlicesPerCap)
    return bad(fmt::format("risk: the fund's slices per cap {} must be within 1..{}", r.fund_slices_per_cap, kMaxFundSlicesPerCap));
  return {};
}

}  // namespace

Status validate_risk_bounds(const ExchangeConfig& config) {
  if (auto s = check_fund_constants(config.risk); !s) return s;
  bool any_oracle_priced = false;
  for (const AssetConfig& a : config.assets) {
    if (auto s = check_concentration(a); !s) return s;
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
    if (auto s = check_open_interest(m); !s) return s;
    if (m.perp.mark_cap_ppm <= 0 || m.perp.mark_cap_ppm > kMaxMarkCapPpm)
      return bad(fmt::format("market {}: the mark cap {} ppm must be within 1..{}", m.symbol, m.perp.mark_cap_ppm, kMaxMarkCapPpm));
    if (m.perp.funding.cap <= 0 || m.perp.funding.cap > kMaxFundingCap)
      return bad(fmt::format("market {}: the funding cap {} must be within 1..{} (1e-9 per interval)", m.symbol,
                             m.perp.funding.cap, kMaxFundingCap));
  }
  return {};
}

}  // namespace glassbook::engine
