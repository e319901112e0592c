// run_stress: restore a copy, deliver the shock's oracle path, and derive the report from what happened.
#include "stress/run_stress.h"

#include <fmt/format.h>

#include <algorithm>

#include "stress/event_tally.h"
#include "stress/shock_commands.h"
#include "stress/shocked_prices.h"

namespace glassbook::stress {

namespace {

int64_t clamp64(__int128 v) { return static_cast<int64_t>(std::clamp<__int128>(v, INT64_MIN, INT64_MAX)); }

int64_t fund_positions(const engine::Engine& e) {
  int64_t n = 0;
  for (MarketId m = 0; m < e.config().markets.size(); ++m)
    if (const auto* p = e.position(kInsuranceAccount, m); p != nullptr && p->lots != 0) ++n;
  return n;
}

std::vector<NegativeEquity> negative_equity(const engine::Engine& e, const engine::RiskPrices& prices) {
  std::vector<NegativeEquity> out;
  for (AccountId a = kFirstCustomer; a < e.ledger().account_count(); ++a) {
    const engine::MarginSummary s = e.margin_of(a, prices);
    if (s.equity < 0) out.push_back({a, clamp64(s.equity), s.has_positions});
  }
  return out;
}

void report_moves(const engine::ExchangeConfig& config, const ShockPlan& plan, StressReport& r) {
  for (AssetId a = 0; a < config.assets.size(); ++a)
    if (plan.before[a] && plan.after[a] && *plan.before[a] != *plan.after[a])
      r.moves.push_back({a, *plan.before[a], *plan.after[a], config.assets[a].valuation == engine::Valuation::Redemption});
}

}  // namespace

Result<StressReport> run_stress(const engine::Engine& live, const Shock& shock) {
  auto plan = shock_commands(live, shock);
  if (!plan) return plan.status();
  auto restored = engine::Engine::restore(live.snapshot());
  if (!restored) return Status(restored.code(), "the live state does not restore: " + restored.status().message());
  engine::Engine& copy = *restored.value();
  const auto& config = live.config();
  const AssetId margin = config.risk.margin_asset;

  StressReport r;
  r.shock = shock;
  r.description = describe(shock, config);
  report_moves(config, *plan, r);
  r.state_root_before = live.state_root();
  const engine::RiskPrices live_prices = live.prices_at(plan->start);
  r.fund_balance_before = live.ledger().balance(kInsuranceAccount, margin).total;
  r.fund_equity_before = clamp64(live.margin_of(kInsuranceAccount, live_prices).equity);
  r.fund_positions_before = fund_positions(live);

  for (const engine::Command& c : plan->commands) {
    const auto events = copy.apply(c);
    if (events.size() == 1 && events[0].kind == engine::EventKind::Rejected)
      return Status(events[0].error, fmt::format("the copy refused shock command seq {}: {}", c.seq, copy.last_error()));
    tally_events(events, config, r);
  }
  r.commands = std::move(plan.value().commands);

  const engine::RiskPrices after = copy.prices_at(copy.last_timestamp());
  r.fund_balance_after = copy.ledger().balance(kInsuranceAccount, margin).total;
  r.fund_equity_after = clamp64(copy.margin_of(kInsuranceAccount, after).equity);
  r.fund_positions_after = fund_positions(copy);
  r.negative_equity = negative_equity(copy, after);
  for (MarketId m = 0; m < config.markets.size(); ++m)
    if (live_prices.mark[m] && after.mark[m]) r.marks.push_back({m, *live_prices.mark[m], *after.mark[m]});

  auto losses = group_losses(live, shocked_prices(live, *plan));
  if (losses.size() > 2) losses.resize(2);
  __int128 cover2 = 0;
  for (const GroupLoss& g : losses) cover2 += g.loss;
  r.cover2 = clamp64(cover2);
  r.cover2_covered = r.fund_equity_before >= r.cover2;
  r.largest_group_losses = std::move(losses);

  r.state_root_after = copy.state_root();
  if (auto inv = copy.check_invariants(); !inv) r.invariant_violation = inv.to_string();
  return r;
}

std::vector<int64_t> grid_ppm() {
  return {-500'000, -300'000, -200'000, -100'000, -50'000, 50'000, 100'000, 200'000, 300'000, 500'000};
}

Result<std::vector<StressReport>> run_stress_grid(const engine::Engine& live, std::span<const Move> extra) {
  std::vector<StressReport> out;
  for (int64_t ppm : grid_ppm()) {
    Shock shock = uniform_shock(ppm);
    shock.moves.insert(shock.moves.end(), extra.begin(), extra.end());
    auto r = run_stress(live, shock);
    if (!r) return Status(r.code(), fmt::format("grid point {}: {}", describe(shock, live.config()), r.status().message()));
    out.push_back(std::move(r).value());
  }
  return out;
}

}  // namespace glassbook::stress
