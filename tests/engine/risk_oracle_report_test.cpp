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
