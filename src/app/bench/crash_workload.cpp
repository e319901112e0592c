// `glassbook bench crash` (crash_workload.h): the flash-crash population, then the timed cascade.
#include "app/bench/crash_workload.h"

#include <fmt/format.h>

#include <chrono>
#include <vector>

#include "app/bench/peak_memory.h"
#include "engine/engine.h"
#include "sim/cascade_tally.h"
#include "sim/crash_scenario.h"

namespace glassbook::app {

int run_crash_bench(std::ostream& out, const CrashBenchOptions& o) {
  using Clock = std::chrono::steady_clock;
  sim::CrashScenario scenario({.accounts = o.accounts, .seed = o.seed, .shock_ppm = o.shock_ppm, .steps = o.steps});
  engine::Engine e(scenario.config());

  const auto t0 = Clock::now();
  uint64_t setup_commands = 0, setup_refused = 0;
  scenario.setup([&](const engine::Command& c) {
    const auto ev = e.apply(c);
    ++setup_commands;
    if (ev.size() == 1 && ev[0].kind == engine::EventKind::Rejected) ++setup_refused;
  });
  const double setup_s = std::chrono::duration<double>(Clock::now() - t0).count();
  out << fmt::format("crash: {} accounts with positions, {} setup commands in {:.2f} s ({} refused), peak memory {:.0f} MiB\n",
                     e.accounts_with_positions(), setup_commands, setup_s, setup_refused, peak_rss_mib());

  // The oracle's steady ticking at the starting price: every account is judged once and gets its
  // safe bounds (on a live exchange this happens at every oracle update before the crash).
  std::vector<engine::Command> steady;
  scenario.steady([&](const engine::Command& c) { steady.push_back(c); });
  const auto ts = Clock::now();
  for (const engine::Command& c : steady) e.apply(c);
  const double steady_s = std::chrono::duration<double>(Clock::now() - ts).count();
  out << fmt::format("  steady oracle round at the starting price: {} commands in {:.3f} s (every account judged once)\n",
                     steady.size(), steady_s);

  // The path's commands, generated before the clock starts.
  std::vector<engine::Command> path;
  scenario.crash([&](const engine::Command& c) { path.push_back(c); });
  sim::CascadeTally tally;
  const auto t1 = Clock::now();
  for (const engine::Command& c : path) tally.add(e.apply(c));
  const double cascade_s = std::chrono::duration<double>(Clock::now() - t1).count();

  out << fmt::format("  oracle path: {} steps to {:+.1f}%, {} commands ({} refused)\n", o.steps, o.shock_ppm / 1e4,
                     tally.commands, tally.rejected);
  out << fmt::format("  liquidations {}, fills through the book {} ({:.3f} BTC), orders cancelled {}\n", tally.liquidations,
                     tally.trades, tally.traded_quantity / 1e8, tally.liquidation_cancels);
  out << fmt::format("  insurance fund took over {} ({:.3f} BTC), auto-deleveraging {} ({:.3f} BTC), bad debt covered {} ({:.2f} USDC)\n",
                     tally.fund_takeovers, tally.fund_quantity / 1e8, tally.adl_takeovers, tally.adl_quantity / 1e8,
                     tally.bad_debts, tally.bad_debt / 1e6);
  // The fund after the cascade (its positions at mark) and how much of what was liquidated fell on
  // deleveraged traders rather than the book or the fund.
  const engine::MarginSummary fund = e.margin_of(kInsuranceAccount, e.prices_at(e.last_timestamp()));
  const double liquidated = static_cast<double>(tally.traded_quantity + tally.fund_quantity + tally.adl_quantity);
  out << fmt::format("  insurance fund equity after the cascade {:.2f} USDC (balance {:.2f}), auto-deleveraging carried {:.1f}% "
                     "of the liquidated quantity\n",
                     static_cast<double>(fund.equity) / 1e6,
                     e.ledger().balance(kInsuranceAccount, e.config().risk.margin_asset).total / 1e6,
                     liquidated > 0 ? 100.0 * static_cast<double>(tally.adl_quantity) / liquidated : 0.0);
  out << fmt::format("  {} events, {:.0f} commands/s and {:.0f} events/s during the cascade, peak memory {:.0f} MiB\n",
                     tally.events, tally.commands / cascade_s, tally.events / cascade_s, peak_rss_mib());
  out << fmt::format("cascade: {:.3f} s\n", cascade_s);
  const Status inv = e.check_invariants();
  if (!inv) out << "invariants broken: " << inv.to_string() << "\n";
  return inv ? 0 : 1;
}

}  // namespace glassbook::app
