// Stress test helpers: a shock's commands run on the live fixture, and its outcome counted from the live events.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <vector>

#include "../engine/perp_fixture.h"
#include "stress/run_stress.h"
#include "stress/shock_commands.h"

namespace glassbook::stress::testing {

using namespace glassbook::engine;
using namespace glassbook::engine::testing;

inline constexpr AssetId WBTC = 3;  // appended after BTC, SOL and USDC by with_wbtc
inline constexpr int64_t kRateOne = 1'000'000'000;

// A wrapped BTC valued by the sources' redemption rate, 90% collateral (no market of its own).
inline void with_wbtc(ExchangeConfig& c) {
  AssetConfig w;
  w.symbol = "WBTC";
  w.decimals = 8;
  w.valuation = Valuation::Redemption;
  w.underlying = BTC;
  w.collateral_weight_ppm = 900'000;
  c.assets.push_back(w);
}

// What the live engine did with the shock's commands, counted here from its events.
struct LiveOutcome {
  std::vector<Event> events;
  std::set<AccountId> liquidated;
  uint64_t trades = 0;
  int64_t traded = 0;
  uint64_t fund_events = 0;
  int64_t fund_quantity = 0;
  uint64_t adl_events = 0;
  std::set<AccountId> adl_accounts;
  int64_t adl_quantity = 0;
  int64_t bad_debt = 0;
  int64_t fund_before = 0;
  int64_t fund_after = 0;
  crypto::Digest root;
};

// Signs each command's body with the source whose key it names and runs it on the live fixture
// (which checks the invariants after every command); checks it lands at the planned seq and time.
inline LiveOutcome run_on_live(PerpExchange& ex, const ShockPlan& plan) {
  LiveOutcome out;
  out.fund_before = ex.insurance();
  const auto keys = PerpExchange::oracle_keys();
  for (const Command& c : plan.commands) {
    const auto it = std::find(keys.begin(), keys.end(), c.signer);
    EXPECT_NE(it, keys.end());
    if (it == keys.end()) continue;
    const auto ev = ex.run(PerpExchange::source(static_cast<int>(it - keys.begin())), c.body);
    EXPECT_EQ(ex.engine().last_seq(), c.seq);
    EXPECT_EQ(ex.engine().last_timestamp(), c.timestamp);
    EXPECT_FALSE(ev.size() == 1 && ev[0].kind == EventKind::Rejected) << ex.engine().last_error();
    out.events.insert(out.events.end(), ev.begin(), ev.end());
  }
  for (const Event& e : out.events) {
    if (e.kind == EventKind::LiquidationStarted) out.liquidated.insert(e.account);
    if (e.kind == EventKind::Trade) {
      ++out.trades;
      out.traded += e.quantity;
    }
    if (e.kind == EventKind::PositionTakenOver && e.client_id == 0) {
      ++out.fund_events;
      out.fund_quantity += e.quantity;
    }
    if (e.kind == EventKind::PositionTakenOver && e.client_id == 1) {
      ++out.adl_events;
      out.adl_accounts.insert(e.maker_account);
      out.adl_quantity += e.quantity;
    }
    if (e.kind == EventKind::BadDebtCovered) out.bad_debt += e.quantity;
  }
  out.fund_after = ex.insurance();
  out.root = ex.engine().state_root();
  return out;
}

// The report's figures equal what the live engine did with the same commands.
inline void expect_agreement(const StressReport& r, const LiveOutcome& live) {
  EXPECT_EQ(r.events, live.events.size());
  EXPECT_EQ(std::vector<AccountId>(live.liquidated.begin(), live.liquidated.end()), r.liquidated);
  EXPECT_EQ(r.book_fills, live.trades);
  EXPECT_EQ(r.book_quantity, live.traded);
  EXPECT_EQ(r.fund_takeovers, live.fund_events);
  EXPECT_EQ(r.fund_takeover_quantity, live.fund_quantity);
  EXPECT_EQ(r.adl_events, live.adl_events);
  EXPECT_EQ(std::vector<AccountId>(live.adl_accounts.begin(), live.adl_accounts.end()), r.adl_counterparties);
  EXPECT_EQ(r.adl_quantity, live.adl_quantity);
  EXPECT_EQ(r.bad_debt, live.bad_debt);
  EXPECT_EQ(r.fund_balance_before, live.fund_before);
  EXPECT_EQ(r.fund_balance_after, live.fund_after);
  EXPECT_EQ(r.state_root_after, live.root);
  EXPECT_TRUE(r.negative_equity.empty());
  EXPECT_EQ(r.invariant_violation, "");
}

// run_stress on the live engine (which must not change), then the same commands on the live
// engine itself; both outcomes must agree. Returns the report.
inline StressReport stress_and_replay(PerpExchange& ex, const Shock& shock, LiveOutcome* outcome = nullptr) {
  const crypto::Digest root = ex.engine().state_root();
  const std::string snapshot = ex.engine().snapshot();
  auto report = run_stress(ex.engine(), shock);
  EXPECT_TRUE(report) << report.status().to_string();
  if (!report) return {};
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_EQ(ex.engine().snapshot(), snapshot);
  EXPECT_EQ(report->state_root_before, root);
  auto plan = shock_commands(ex.engine(), shock);
  EXPECT_TRUE(plan);
  if (!plan) return {};
  EXPECT_EQ(plan->commands.size(), report->commands.size());
  for (size_t i = 0; i < std::min(plan->commands.size(), report->commands.size()); ++i) {
    EXPECT_EQ(plan->commands[i].seq, report->commands[i].seq);
    EXPECT_EQ(plan->commands[i].timestamp, report->commands[i].timestamp);
    EXPECT_EQ(plan->commands[i].signer, report->commands[i].signer);
  }
  const LiveOutcome live = run_on_live(ex, *plan);
  expect_agreement(*report, live);
  if (outcome != nullptr) *outcome = live;
  return std::move(report).value();
}

}  // namespace glassbook::stress::testing
