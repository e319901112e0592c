// The liquidation watch against the reference: seeded random histories of two perpetuals, spot
// trading, collateral in three assets, oracle jumps, stale sources and funding, applied to an
// engine that sweeps through its safety index and to one that judges every account at every
// oracle update. They must emit the same events and reach the same state root, and the indexed
// engine's invariants (its watch among them) must hold after every command.
#include <gtest/gtest.h>

#include <map>

#include "perp_history.h"

namespace glassbook::engine {
namespace {

using namespace testing;

class RiskSweepTwin : public ::testing::TestWithParam<uint64_t> {};

TEST_P(RiskSweepTwin, TheSafetyIndexJudgesExactlyAsAFullScan) {
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("twin/watcher")).public_key();
  const ExchangeConfig cfg = history_config(watcher);
  Engine indexed(cfg), full(cfg);
  full.set_full_sweeps(true);
  HistoryGenerator gen(GetParam(), 48, watcher);
  gen.set_markets(cfg);
  std::map<EventKind, int> kinds;
  for (int i = 0; i < 6000; ++i) {
    const Command c = gen.next(indexed);
    const auto ev = indexed.apply(c);
    const std::vector<Event> got(ev.begin(), ev.end());
    for (const Event& e : got) kinds[e.kind]++;
    const auto ev_full = full.apply(c);
    ASSERT_EQ(std::vector<Event>(ev_full.begin(), ev_full.end()), got)
        << "the index and the full scan diverge at command " << c.seq << " (" << command_name(c.body) << ")";
    const Status inv = indexed.check_invariants();
    ASSERT_TRUE(inv) << "after command " << c.seq << " (" << command_name(c.body) << "): " << inv.to_string();
    if (i % 1000 == 0) {
      ASSERT_EQ(indexed.state_root(), full.state_root());
    }
  }
  EXPECT_EQ(indexed.state_root(), full.state_root());
  // The histories must have reached every stage, or the comparison proves little.
  EXPECT_GT(kinds[EventKind::Trade], 500);
  EXPECT_GT(kinds[EventKind::LiquidationStarted], 5);
  EXPECT_GT(kinds[EventKind::PositionTakenOver], 0);
  EXPECT_GT(kinds[EventKind::FundingPaid], 0);
  std::printf("trades %d, liquidations %d, takeovers %d, bad debts %d, fundings %d\n", kinds[EventKind::Trade],
              kinds[EventKind::LiquidationStarted], kinds[EventKind::PositionTakenOver], kinds[EventKind::BadDebtCovered],
              kinds[EventKind::FundingPaid]);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RiskSweepTwin, ::testing::Values(1, 2, 3, 4, 5, 6, 7, 8));

}  // namespace
}  // namespace glassbook::engine
