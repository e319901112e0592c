// Read-only risk queries: the raw aggregate of one asset's oracle samples (index price or redemption rate).
#include "engine/engine.h"

namespace glassbook::engine {

std::optional<int64_t> Engine::oracle_aggregate_at(AssetId a, Timestamp now) const {
  if (a >= config_.assets.size()) return std::nullopt;
  const Valuation v = config_.assets[a].valuation;
  if (v != Valuation::Index && v != Valuation::Redemption) return std::nullopt;
  const risk::OracleRules rules{config_.risk.oracle_staleness_us, config_.risk.oracle_cap_ppm,
                                config_.oracle_sources.threshold};
  return risk::aggregate_index(oracle_[a], now, rules);
}

}  // namespace glassbook::engine
