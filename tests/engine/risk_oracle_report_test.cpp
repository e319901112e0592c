// OracleReport: the oracle's prices with the source's own time signed in, applied only within the
// staleness limit of the sequencer's clock and later than the source's last report, so a captured
// report can be neither replayed nor held back; the report times survive a snapshot.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

std::vector<Event> report(PerpExchange& ex, int source, Timestamp at, int64_t price) {
  return ex.run(PerpExchange::source(source), OracleReport{at, {{BTC, price}}});
}

TEST(OracleReport, AppliedLikeAnUpdateAndNeverTwice) {
  PerpExchange ex;
  for (int i = 0; i < 3; ++i) ASSERT_EQ(report(ex, i, ex.now(), usd(60'000)).size(), 0u) << ex.engine().last_error();
  EXPECT_EQ(ex.engine().oracle_aggregate_at(BTC, ex.now()), usd(60'000));
  const Timestamp t = ex.now();
  ASSERT_EQ(report(ex, 0, t, usd(61'000)).size(), 0u) << ex.engine().last_error();  // applied: no events
  EXPECT_EQ(ex.engine().last_report_time(0), t);
  // The same report again, or an older one, is refused and changes nothing.
  const auto root = ex.engine().state_root();
  EXPECT_TRUE(rejected_with(report(ex, 0, t, usd(61'000)), Error::InvalidArgument));
  EXPECT_TRUE(rejected_with(report(ex, 0, t - 1, usd(50'000)), Error::InvalidArgument));
  EXPECT_EQ(ex.engine().state_root(), root);
  // Another source's clock is its own: source 3 has not reported, an earlier time is fine for it.
  EXPECT_EQ(report(ex, 3, t - 5, usd(61'000)).size(), 0u) << ex.engine().last_error();
}

TEST(OracleReport, OnlyWithinTheStalenessLimitOfTheSequencersClock) {
  PerpExchange ex;
  const auto root = ex.engine().state_root();
  // The next command's time is now() + 1.
  EXPECT_TRUE(rejected_with(report(ex, 0, ex.now() + 1 - kStalenessUs - 1, usd(60'000)), Error::Expired));
  EXPECT_TRUE(rejected_with(report(ex, 0, ex.now() + 1 + kStalenessUs + 1, usd(60'000)), Error::Expired));
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_EQ(report(ex, 0, ex.now() + 1 - kStalenessUs, usd(60'000)).size(), 0u) << ex.engine().last_error();
  EXPECT_EQ(report(ex, 1, ex.now() + 1 + kStalenessUs, usd(60'000)).size(), 0u) << ex.engine().last_error();
  // Signed by anyone but a source: refused.
  EXPECT_TRUE(rejected_with(ex.run(ex.watcher(), OracleReport{ex.now(), {{BTC, usd(1)}}}), Error::Unauthorized));
}

TEST(OracleReport, FreshnessRunsFromTheSourcesSignedTime) {
  PerpExchange ex;
  // Three sources (the quorum) report prices they signed 9 s before the sequencer stamps them.
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(report(ex, i, ex.now() + 1 - 9'000'000, usd(60'000)).size(), 0u) << ex.engine().last_error();
  const Timestamp sequenced = ex.now();
  EXPECT_EQ(ex.engine().oracle_aggregate_at(BTC, sequenced), usd(60'000));
  // 1.5 s later the prices are 10.5 s old by their own time: stale under the 10 s limit, whatever
  // the sequencer's stamp says.
  EXPECT_EQ(ex.engine().oracle_aggregate_at(BTC, sequenced + 1'500'000), std::nullopt);
}

TEST(OracleReport, ASourceClockAheadEarnsNoExtraFreshness) {
  PerpExchange ex;
  const Timestamp stamped = ex.now() + 1;  // the time the first report will carry from the sequencer
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(report(ex, i, ex.now() + 1 + 5'000'000, usd(60'000)).size(), 0u) << ex.engine().last_error();
  // Judged from the sequencer's stamp (the earlier of the two): stale after 10 s from it.
  EXPECT_EQ(ex.engine().oracle_aggregate_at(BTC, stamped + kStalenessUs - 10), usd(60'000));
  EXPECT_EQ(ex.engine().oracle_aggregate_at(BTC, stamped + kStalenessUs + 1), std::nullopt);
}

TEST(OracleReport, ReportTimesSurviveASnapshot) {
  PerpExchange ex;
  const Timestamp t = ex.now();
  ASSERT_EQ(report(ex, 2, t, usd(60'000)).size(), 0u);
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  Engine& r = *restored.value();
  EXPECT_EQ(r.last_report_time(2), t);
  EXPECT_EQ(r.state_root(), ex.engine().state_root());
  const SignedCommand again = sign_command(PerpExchange::source(2), r.last_seq() + 1, r.last_timestamp() + 1,
                                           OracleReport{t, {{BTC, usd(60'000)}}});
  const auto ev = r.apply(again.command);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, EventKind::Rejected);
}

}  // namespace
}  // namespace glassbook::engine::testing
