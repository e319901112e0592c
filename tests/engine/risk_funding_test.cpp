// Funding: with the book above the index, longs pay shorts once per interval; payments sum to zero and match balances.
#include <gtest/gtest.h>

#include <map>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

constexpr int64_t kHour = 3'600'000'000;

std::map<AccountId, int64_t> usdc_of_all(Engine& e) {
  std::map<AccountId, int64_t> out;
  for (AccountId a = 0; a < e.ledger().account_count(); ++a) out[a] = e.ledger().balance(a, USDC).total;
  return out;
}

TEST(RiskFunding, LongsPayShortsWhenTheBookIsAboveTheIndex) {
  PerpExchange ex;
  ex.funded("alice", 100'000);
  ex.funded("bob", 100'000);
  ex.funded("carol", 100'000);
  ex.funded("maker", 1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(6) / 10);
  ex.perp("carol", Side::Sell, usd(50'000), btc(4) / 10);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 2u);
  // The maker quotes 1% above the index on both sides: the premium is positive.
  ex.perp("maker", Side::Buy, usd(50'500), btc(1));
  ex.perp("maker", Side::Sell, usd(50'600), btc(1));

  // Oracle updates through the hour; funding is due at the next whole hour.
  std::vector<Event> funding;
  std::map<AccountId, int64_t> before, after;
  for (int round = 0; round < 10 && funding.empty(); ++round) {
    ex.advance(kHour / 8);
    for (int s = 0; s < kOracleSources; ++s) {
      before = usdc_of_all(ex.engine());
      const auto ev = ex.quote(s, usd(50'000));
      EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
      funding = of_kind(ev, EventKind::FundingPaid);
      if (!funding.empty()) {
        after = usdc_of_all(ex.engine());
        break;
      }
    }
  }
  ASSERT_EQ(funding.size(), 3u);
  int64_t sum = 0;
  std::map<AccountId, int64_t> paid;
  for (const Event& e : funding) {
    EXPECT_EQ(e.market, kPerp);
    EXPECT_GT(e.price, 0);  // a positive rate
    EXPECT_EQ(e.price, funding[0].price);
    sum += e.quantity;
    paid[e.account] += e.quantity;
  }
  EXPECT_EQ(sum, 0);
  EXPECT_GT(paid[ex.id("alice")], 0);
  EXPECT_LT(paid[ex.id("bob")], 0);
  EXPECT_LT(paid[ex.id("carol")], 0);
  // Payments are per lot: bob receives 0.6 of what alice pays, carol 0.4.
  EXPECT_EQ(paid[ex.id("alice")] % 1000, 0);
  EXPECT_EQ(-paid[ex.id("bob")] * 10, paid[ex.id("alice")] * 6);
  // Balances moved by exactly the events (the clearing account in between stays where it was).
  for (const auto& [a, was] : before) {
    const int64_t expected = was - (paid.contains(a) ? paid[a] : 0);
    EXPECT_EQ(after[a], expected) << "account " << a;
  }
  // No second funding within the same interval.
  ex.advance(kHour / 8);
  const auto again = ex.oracle(usd(50'000));
  EXPECT_TRUE(of_kind(again, EventKind::FundingPaid).empty());
}

TEST(RiskFunding, NoPositionsNoPayments) {
  PerpExchange ex;
  ex.funded("maker", 1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("maker", Side::Buy, usd(50'500), btc(1));
  ex.perp("maker", Side::Sell, usd(50'600), btc(1));
  const auto before = usdc_of_all(ex.engine());
  for (int round = 0; round < 10; ++round) {
    ex.advance(kHour / 4);
    const auto ev = ex.oracle(usd(50'000));
    EXPECT_TRUE(of_kind(ev, EventKind::FundingPaid).empty());
  }
  EXPECT_EQ(usdc_of_all(ex.engine()), before);
}

}  // namespace
}  // namespace glassbook::engine::testing
