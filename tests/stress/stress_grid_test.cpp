// The stress grid: every point from the same live state; more severe shocks never liquidate fewer accounts.
#include <gtest/gtest.h>

#include "stress_fixture.h"

namespace glassbook::stress::testing {
namespace {

// Five longs and five shorts at 50,000 with 2x to 10x leverage, depth on both sides, a seeded fund.
void ladder(PerpExchange& ex) {
  ex.funded("maker", 10'000'000);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(50'000));
  const int64_t margins[] = {25'000, 12'500, 8'000, 6'500, 5'100};  // for 1 BTC: 2x, 4x, 6.25x, 7.7x, 9.8x
  for (int i = 0; i < 5; ++i) {
    const std::string l = "long" + std::to_string(i), s = "short" + std::to_string(i);
    ex.funded(l, margins[i]);
    ex.funded(s, margins[i]);
    ex.perp(s, Side::Sell, usd(50'000), btc(1));
    EXPECT_EQ(of_kind(ex.perp(l, Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u) << l;
  }
  ex.perp("maker", Side::Buy, usd(45'100), btc(2));
  ex.perp("maker", Side::Sell, usd(54'900), btc(2));
}

TEST(StressGrid, MoreSevereShocksNeverLiquidateFewerAccounts) {
  PerpExchange ex;
  ladder(ex);
  const crypto::Digest root = ex.engine().state_root();
  auto grid = run_stress_grid(ex.engine());
  ASSERT_TRUE(grid) << grid.status().to_string();
  EXPECT_EQ(ex.engine().state_root(), root);
  const auto points = grid_ppm();
  ASSERT_EQ(grid->size(), points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    const StressReport& r = (*grid)[i];
    EXPECT_EQ(r.shock, uniform_shock(points[i]));
    EXPECT_EQ(r.state_root_before, root);
    // Each point starts from the live state: its commands start right after the live engine's.
    ASSERT_FALSE(r.commands.empty());
    EXPECT_EQ(r.commands.front().seq, ex.engine().last_seq() + 1);
    EXPECT_TRUE(r.negative_equity.empty());
    EXPECT_EQ(r.invariant_violation, "");
  }
  // Severity outward from zero, on each side: -5, -10, ..., -50 and +5, ..., +50.
  auto count = [&](int64_t ppm) {
    for (size_t i = 0; i < points.size(); ++i)
      if (points[i] == ppm) return (*grid)[i].liquidated.size();
    ADD_FAILURE() << "no grid point " << ppm;
    return size_t{0};
  };
  const int64_t steps[] = {50'000, 100'000, 200'000, 300'000, 500'000};
  for (int side : {-1, 1}) {
    size_t previous = 0;
    for (int64_t s : steps) {
      const size_t n = count(side * s);
      EXPECT_GE(n, previous) << "shock " << side * s << " ppm";
      previous = n;
    }
    EXPECT_GT(previous, 0u);
  }
  EXPECT_EQ(count(-50'000), 0u);  // -5%: even the 10x long keeps its maintenance margin
  // -50%: every long; the mark follows the index (within its 1% cap), so even the 2x one is at zero.
  EXPECT_GE(count(-500'000), 5u);
}

TEST(StressGrid, EachPointEqualsItsOwnRun) {
  PerpExchange ex;
  ladder(ex);
  auto grid = run_stress_grid(ex.engine());
  ASSERT_TRUE(grid);
  auto single = run_stress(ex.engine(), uniform_shock(-300'000));
  ASSERT_TRUE(single);
  const StressReport& point = (*grid)[1];
  ASSERT_EQ(point.shock, uniform_shock(-300'000));
  EXPECT_EQ(point.state_root_after, single->state_root_after);
  EXPECT_EQ(point.liquidated, single->liquidated);
  EXPECT_EQ(point.events, single->events);
  // And the -30% point is what the live engine does with it.
  LiveOutcome live;
  stress_and_replay(ex, uniform_shock(-300'000), &live);
  expect_agreement(point, live);
}

TEST(StressGrid, TheMarkMovesWithTheIndex) {
  // The book stands at 45,100 / 54,900 around 50,000 and the last trade was at 50,000: neither moves
  // with the shock. The mark still follows the index, within its 1% cap plus the funding term
  // (at most the 0.75% funding cap): it used to stop at -36.5% on a -50% shock.
  PerpExchange ex;
  ladder(ex);
  for (int64_t ppm : {-500'000, -300'000, 300'000}) {
    auto r = run_stress(ex.engine(), uniform_shock(ppm));
    ASSERT_TRUE(r) << r.status().to_string();
    ASSERT_EQ(r->marks.size(), 1u);
    EXPECT_EQ(r->marks[0].market, kPerp);
    const __int128 index_after = static_cast<__int128>(usd(50'000)) * (1'000'000 + ppm) / 1'000'000;
    const __int128 slack = index_after * (10'000 + 7'500) / 1'000'000;
    EXPECT_LE(r->marks[0].after, index_after + slack) << ppm;
    EXPECT_GE(r->marks[0].after, index_after - slack) << ppm;
  }
}

}  // namespace
}  // namespace glassbook::stress::testing
