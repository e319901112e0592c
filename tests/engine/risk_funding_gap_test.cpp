// Funding across a silence of the oracle: the interval due is paid when prices return, and every
// later interval that ended meanwhile is skipped explicitly with a FundingSkipped event.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

constexpr int64_t kHour = 3'600'000'000;

TEST(FundingGap, EveryMissedIntervalIsPaidOrSkippedWithAnEvent) {
  PerpExchange ex;
  ex.funded("alice", 100'000);
  ex.funded("bob", 100'000);
  ex.oracle(usd(50'000));
  const Timestamp first = ex.now();  // about the time of the first oracle update
  ex.perp("bob", Side::Sell, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  const Timestamp due = (first / kHour + 1) * kHour;  // the first funding time

  // The sources fall silent for three and a half hours.
  ex.advance(3 * kHour + kHour / 2);
  const auto ev = ex.oracle(usd(50'000));
  const Timestamp now = ex.now();
  const int64_t funding_times = (now - due) / kHour + 1;  // funding times in [due, now]
  ASSERT_GE(funding_times, 3);
  // One payment for the interval due (alice and bob), and the others skipped, said once.
  EXPECT_EQ(of_kind(ev, EventKind::FundingPaid).size(), 2u);
  const auto skipped = of_kind(ev, EventKind::FundingSkipped);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0].market, kPerp);
  EXPECT_EQ(skipped[0].quantity, funding_times - 1);
  EXPECT_EQ(skipped[0].order_id, static_cast<uint64_t>(due + kHour));
  EXPECT_EQ(skipped[0].client_id, 0u);
  EXPECT_EQ(ex.engine().perp_state(kPerp)->next_funding, due + funding_times * kHour);

  // An hour later, with the sources back, one ordinary funding and nothing skipped.
  ex.advance(kHour);
  const auto next = ex.oracle(usd(50'000));
  EXPECT_EQ(of_kind(next, EventKind::FundingPaid).size(), 2u);
  EXPECT_TRUE(of_kind(next, EventKind::FundingSkipped).empty());
}

TEST(FundingGap, NoSkipWhenUpdatesKeepComing) {
  PerpExchange ex;
  ex.funded("alice", 100'000);
  ex.funded("bob", 100'000);
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(1));
  ex.perp("alice", Side::Buy, usd(50'000), btc(1));
  size_t paid = 0;
  for (int i = 0; i < 16; ++i) {
    ex.advance(kHour / 4);
    const auto ev = ex.oracle(usd(50'000));
    EXPECT_TRUE(of_kind(ev, EventKind::FundingSkipped).empty()) << i;
    paid += of_kind(ev, EventKind::FundingPaid).size();
  }
  EXPECT_GE(paid, 2u * 3);  // four hours: three or four fundings of two payments each
}

}  // namespace
}  // namespace glassbook::engine::testing
