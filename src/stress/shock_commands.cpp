// Turns a shock into the oracle updates every source would sign, from the engine's current aggregates.
#include "stress/shock_commands.h"

#include <algorithm>

#include <fmt/format.h>

#include "risk/units.h"
#include "stress/shock_text.h"

namespace glassbook::stress {

namespace {

using engine::Valuation;

// The assets one move changes, after checking it against the configuration.
Result<std::vector<AssetId>> moved_assets(const engine::ExchangeConfig& config, const Move& move) {
  if (move.ppm <= -risk::kPpm)
    return Status(Error::InvalidArgument, fmt::format("a move of {} is -100% or worse: no price is left", percent_text(move.ppm)));
  std::vector<AssetId> out;
  if (move.kind == Move::Kind::AllIndex) {
    for (AssetId a = 0; a < config.assets.size(); ++a)
      if (config.assets[a].valuation == Valuation::Index) out.push_back(a);
    if (out.empty()) return Status(Error::InvalidArgument, "no asset is valued by the oracle index");
    return out;
  }
  if (move.asset >= config.assets.size()) return Status(Error::UnknownAsset, fmt::format("unknown asset {}", move.asset));
  const auto& asset = config.assets[move.asset];
  if (move.kind == Move::Kind::Index && asset.valuation != Valuation::Index)
    return Status(Error::InvalidArgument, fmt::format("{} is not valued by the oracle index", asset.symbol));
  if (move.kind == Move::Kind::RedemptionRate && asset.valuation != Valuation::Redemption)
    return Status(Error::InvalidArgument, fmt::format("{} is not valued by a redemption rate", asset.symbol));
  out.push_back(move.asset);
  return out;
}

Result<int64_t> moved_value(int64_t value, int64_t ppm, const std::string& symbol) {
  const __int128 v = static_cast<__int128>(value) * (risk::kPpm + ppm) / risk::kPpm;
  if (v < 1) return Status(Error::InvalidArgument, fmt::format("the shock takes {} to zero", symbol));
  if (v > INT64_MAX) return Status(Error::InvalidArgument, fmt::format("the shock takes {} beyond 64 bits", symbol));
  return static_cast<int64_t>(v);
}

}  // namespace

Result<ShockPlan> shock_commands(const engine::Engine& engine, const Shock& shock) {
  const auto& config = engine.config();
  const auto& sources = config.oracle_sources.keys;
  if (shock.moves.empty()) return Status(Error::InvalidArgument, "a shock needs at least one move");
  if (sources.empty()) return Status(Error::InvalidArgument, "the exchange has no oracle sources to move prices");
  ShockPlan plan;
  plan.start = engine.last_timestamp() + 1;
  for (AssetId a = 0; a < config.assets.size(); ++a) plan.before.push_back(engine.oracle_aggregate_at(a, plan.start));
  plan.after = plan.before;
  std::vector<Timestamp> last_signed;
  for (size_t i = 0; i < sources.size(); ++i) last_signed.push_back(engine.last_report_time(i));
  SeqNo seq = engine.last_seq();
  Timestamp time = engine.last_timestamp();
  for (const Move& move : shock.moves) {
    auto assets = moved_assets(config, move);
    if (!assets) return assets.status();
    if (assets->size() > engine::kMaxOracleQuotes)
      return Status(Error::InvalidArgument, fmt::format("a move of {} assets exceeds one oracle update", assets->size()));
    std::vector<engine::OracleQuote> update;
    for (AssetId a : *assets) {
      const std::string& symbol = config.assets[a].symbol;
      if (!plan.after[a])
        return Status(Error::IndexFrozen, fmt::format("cannot stress {}: its oracle {} is frozen (fewer fresh sources than "
                                                      "the quorum), so nothing would be liquidated on it",
                                                      symbol, move.kind == Move::Kind::RedemptionRate ? "rate" : "index"));
      auto v = moved_value(*plan.after[a], move.ppm, symbol);
      if (!v) return v.status();
      plan.after[a] = *v;
      update.push_back({a, *v});
    }
    // Signed-time reports: each signed at its command's time, or just after the source's last
    // report when that is later (a source's clock may run ahead of the sequencer's).
    for (size_t i = 0; i < sources.size(); ++i) {
      ++time;
      const Timestamp signed_at = std::max(time, last_signed[i] + 1);
      last_signed[i] = signed_at;
      plan.commands.push_back(engine::Command{++seq, time, sources[i], engine::OracleReport{signed_at, update}});
    }
  }
  return plan;
}

}  // namespace glassbook::stress
