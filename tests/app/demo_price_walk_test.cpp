// The oracle feeder's price walk: deterministic, close quotes, a late source going stale, an index never frozen.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "app/demo_accounts.h"
#include "app/demo_perpetuals.h"
#include "app/demo_price_walk.h"
#include "engine/engine.h"

namespace glassbook::app {
namespace {

constexpr int64_t kUsdc = 1'000'000;

PriceWalk walk(uint64_t seed, bool late = true, double interval = 1.0) {
  return PriceWalk({{kDemoBtc, 60'000 * kUsdc, 10'000}, {kDemoSol, 150 * kUsdc, 100}}, 5, interval, late, seed);
}

std::string describe(const std::vector<std::pair<int, engine::OracleUpdate>>& round) {
  std::ostringstream s;
  for (const auto& [source, u] : round) {
    s << source << ":";
    for (const auto& q : u.quotes) s << " " << q.asset << "=" << q.value;
    s << ";";
  }
  return s.str();
}

TEST(PriceWalk, SameSeedSameRounds) {
  PriceWalk a = walk(42), b = walk(42), c = walk(43);
  bool differs = false;
  for (int i = 0; i < 500; ++i) {
    const std::string ra = describe(a.next_round()), rb = describe(b.next_round()), rc = describe(c.next_round());
    ASSERT_EQ(ra, rb) << "round " << i;
    differs = differs || ra != rc;
  }
  EXPECT_TRUE(differs);
}

TEST(PriceWalk, QuotesStayCloseToTheReferenceOnTheirStep) {
  PriceWalk w = walk(7, false);
  for (int i = 0; i < 2000; ++i) {
    const auto round = w.next_round();
    ASSERT_EQ(round.size(), 5u);
    for (const auto& [source, u] : round) {
      ASSERT_EQ(u.quotes.size(), 2u);
      for (size_t k = 0; k < 2; ++k) {
        const int64_t ref = w.reference(k), v = u.quotes[k].value;
        EXPECT_EQ(u.quotes[k].asset, w.assets()[k].asset);
        EXPECT_EQ(v % w.assets()[k].step, 0);
        EXPECT_LE(std::llabs(v - ref) * 10'000, ref * 9) << "within 9 bp (bias 3 + noise 5 + rounding)";
      }
    }
  }
  // A slow pull toward the start keeps a long walk in range.
  EXPECT_GT(w.reference(0), 45'000 * kUsdc);
  EXPECT_LT(w.reference(0), 80'000 * kUsdc);
}

TEST(PriceWalk, TheLateSourceIsSilentLongerThanTheStalenessLimit) {
  for (double interval : {1.0, 0.25}) {
    PriceWalk w = walk(3, true, interval);
    ASSERT_EQ(w.late_source(), 4);
    int spells = 0, silent = 0;
    for (int i = 0; i < static_cast<int>(3 * 3600 / interval); ++i) {
      const auto round = w.next_round();
      const bool quiet = round.size() == 4;
      ASSERT_TRUE(quiet || round.size() == 5);
      for (size_t s = 0; s < round.size(); ++s) ASSERT_EQ(round[s].first, static_cast<int>(s)) << "only the last source is late";
      if (quiet) {
        ++silent;
      } else if (silent > 0) {
        ++spells;
        EXPECT_GT(silent * interval, 10.0) << "longer than the staleness limit";
        EXPECT_LE(silent * interval, 21.0);
        silent = 0;
      }
    }
    EXPECT_GE(spells, 30) << "about one spell every 90 s over 3 hours";
    EXPECT_LE(spells, 240);
  }
  EXPECT_EQ(walk(3, false).late_source(), -1);
}

// Rounds a second apart, applied as the feeder submits them: every update is accepted and the index
// and both marks are there after every round, through the late source's spells.
TEST(PriceWalk, TheDemoExchangeAcceptsEveryRoundAndKeepsItsIndex) {
  const DemoKeys keys = demo_keys();
  engine::Engine eng(demo_exchange_config(keys));
  PriceWalk w = walk(11);
  SeqNo seq = 0;
  Timestamp now = 1'767'225'600'000'000;
  for (int i = 0; i < 600; ++i) {
    now += 1'000'000;
    for (auto& [source, update] : w.next_round()) {
      engine::Command c{++seq, now, keys.oracle_sources[static_cast<size_t>(source)].public_key(), update};
      const auto events = eng.apply(c);
      ASSERT_TRUE(events.empty() || events[0].kind != engine::EventKind::Rejected) << eng.last_error();
    }
    const engine::RiskPrices p = eng.prices_at(now);
    ASSERT_TRUE(p.asset[kDemoBtc].has_value()) << "round " << i;
    ASSERT_TRUE(p.asset[kDemoSol].has_value());
    ASSERT_TRUE(p.mark[kDemoBtcPerp].has_value());
    ASSERT_TRUE(p.mark[kDemoSolPerp].has_value());
    EXPECT_LE(std::llabs(*p.asset[kDemoBtc] - w.reference(0)) * 10'000, w.reference(0) * 9);
  }
  EXPECT_TRUE(eng.check_invariants().is_ok());
}

}  // namespace
}  // namespace glassbook::app
