// Scenario 7: a flash crash of -30% within one second over 100,000 accounts with positions; every
// account below maintenance is handled, none is left with hidden negative equity, and a replay (from
// the start, or from a snapshot taken before the crash) reaches the same state root.
#include <gtest/gtest.h>

#include <vector>

#include "engine/engine.h"
#include "sim/cascade_tally.h"
#include "sim/crash_scenario.h"

#ifndef GLASSBOOK_CRASH_ACCOUNTS
#define GLASSBOOK_CRASH_ACCOUNTS 100000
#endif

namespace glassbook::engine {
namespace {

using sim::CrashScenario;

constexpr uint32_t kAccounts = GLASSBOOK_CRASH_ACCOUNTS;

struct CrashRun {
  std::unique_ptr<Engine> engine;
  std::string snapshot_before_crash;
  std::vector<Command> crash;
  sim::CascadeTally tally;
};

// Applies every command with the last command's invariants checked after each, the whole state's
// after the setup and after every command of the crash.
CrashRun run_crash(uint32_t accounts) {
  CrashRun run;
  CrashScenario scenario({.accounts = accounts});
  run.engine = std::make_unique<Engine>(scenario.config());
  Engine& e = *run.engine;
  e.log_changes(true);
  uint64_t setup_rejected = 0;
  scenario.setup([&](const Command& c) {
    const auto ev = e.apply(c);
    if (ev.size() == 1 && ev[0].kind == EventKind::Rejected) {
      if (++setup_rejected <= 3) ADD_FAILURE() << "setup command " << c.seq << " refused: " << e.last_error();
    }
    const Status s = e.check_last_command();
    if (!s) ADD_FAILURE() << "after setup command " << c.seq << ": " << s.to_string();
  });
  scenario.steady([&](const Command& c) {
    const auto ev = e.apply(c);
    EXPECT_FALSE(ev.size() == 1 && ev[0].kind == EventKind::Rejected) << e.last_error();
  });
  EXPECT_EQ(setup_rejected, 0u);
  EXPECT_TRUE(e.check_invariants());
  run.snapshot_before_crash = e.snapshot();
  scenario.crash([&](const Command& c) {
    run.crash.push_back(c);
    run.tally.add(e.apply(c));
    const Status last = e.check_last_command();
    const Status all = e.check_invariants();
    if (!last || !all) ADD_FAILURE() << "after crash command " << c.seq << ": " << last.to_string() << " / " << all.to_string();
  });
  return run;
}

TEST(RiskFlashCrash, EveryAccountBelowMaintenanceIsHandledAndReplayAgrees) {
  CrashRun run = run_crash(kAccounts);
  Engine& e = *run.engine;
  const sim::CascadeTally& t = run.tally;

  // The crash went through every stage of the waterfall.
  EXPECT_EQ(t.rejected, 0u);
  EXPECT_GT(t.liquidations, kAccounts / 10);
  EXPECT_GT(t.trades, 0u);
  EXPECT_GT(t.fund_takeovers, 0u);
  EXPECT_GT(t.adl_takeovers, 0u);

  // The feed goes on at the last price until a command liquidates no one: the cascade settles.
  const Command last_crash = run.crash.back();
  std::vector<Command> settle;
  for (int i = 0; i < 8; ++i) {
    Command c = last_crash;
    c.seq = e.last_seq() + 1;
    c.timestamp = e.last_timestamp() + 1;
    // The source signs each report at its own time: a repeat is a new report, later than the last.
    if (auto* report = std::get_if<OracleReport>(&c.body)) report->source_time = c.timestamp;
    settle.push_back(c);
    sim::CascadeTally more;
    more.add(e.apply(c));
    ASSERT_EQ(more.rejected, 0u) << e.last_error();
    if (more.liquidations == 0) break;
  }
  ASSERT_TRUE(e.check_invariants());

  // Every account is above maintenance or flat, and none has negative equity left over.
  const RiskPrices prices = e.prices_at(e.last_timestamp());
  ASSERT_TRUE(prices.mark[CrashScenario::kPerp].has_value());
  EXPECT_EQ(*prices.asset[CrashScenario::kBtc], CrashScenario(sim::CrashOptions{}).price_at_step(10));
  size_t with_positions = 0, below = 0, negative = 0;
  for (AccountId a = kFirstCustomer; a < kFirstCustomer + CrashScenario::kMakers + kAccounts; ++a) {
    const MarginSummary s = e.margin_of(a, prices);
    ASSERT_FALSE(s.frozen);
    if (s.has_positions) ++with_positions;
    if (s.has_positions && s.equity < s.maintenance) ++below;
    if (s.equity < 0) ++negative;
  }
  EXPECT_EQ(below, 0u);
  EXPECT_EQ(negative, 0u);
  EXPECT_GT(with_positions, kAccounts / 4);  // the shorts and the unlevered longs are still there
  EXPECT_GE(e.margin_of(kInsuranceAccount, prices).equity, 0);

  // A replay of the same commands from genesis reaches the same state.
  {
    CrashScenario scenario({.accounts = kAccounts});
    Engine replay(scenario.config());
    scenario.setup([&](const Command& c) { replay.apply(c); });
    scenario.steady([&](const Command& c) { replay.apply(c); });
    scenario.crash([&](const Command& c) { replay.apply(c); });
    for (const Command& c : settle) replay.apply(c);
    EXPECT_EQ(replay.state_root(), e.state_root());
  }
  // So does a restart from the snapshot taken just before the crash.
  auto restored = Engine::restore(run.snapshot_before_crash);
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  for (const Command& c : run.crash) restored.value()->apply(c);
  for (const Command& c : settle) restored.value()->apply(c);
  EXPECT_EQ(restored.value()->state_root(), e.state_root());
}

}  // namespace
}  // namespace glassbook::engine
