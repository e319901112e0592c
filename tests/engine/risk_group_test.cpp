// Linked accounts share exposure limits: GroupLimit beyond them, ReduceOnly while positions alone are at or over one.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

constexpr int kMembers = 5;
const char* const kNames[kMembers] = {"m0", "m1", "m2", "m3", "m4"};

// m0..m4 are accounts 16..20 (opened first); "solo" and "bob" are not linked.
std::function<void(ExchangeConfig&)> linked(int64_t max_notional, int64_t max_market_notional) {
  return [=](ExchangeConfig& c) {
    AccountGroup g{"mm-family", {}, max_notional, max_market_notional};
    for (int i = 0; i < kMembers; ++i) g.accounts.push_back(kFirstCustomer + static_cast<AccountId>(i));
    c.groups.push_back(g);
  };
}

void open_all(PerpExchange& ex) {
  for (int i = 0; i < kMembers; ++i) {
    if (ex.funded(kNames[i], 1'000'000) != kFirstCustomer + static_cast<AccountId>(i)) { ADD_FAILURE() << "unexpected id"; }
  }
  ex.funded("solo", 1'000'000);
  ex.funded("bob", 10'000'000);
}

bool accepted(const std::vector<Event>& ev) { return !ev.empty() && ev[0].kind == EventKind::OrderAccepted; }

TEST(RiskGroup, OrdersBeyondTheGroupLimitAndReduceOnlyAtIt) {
  PerpExchange ex(linked(usd(200'000), usd(150'000)));
  open_all(ex);
  ex.oracle(usd(50'000));
  // bob offers exactly what the accepted buys below take: 1 + 1 + 0.9 + 1.5 BTC.
  ASSERT_TRUE(accepted(ex.perp("bob", Side::Sell, usd(50'000), btc(44) / 10)));
  ASSERT_EQ(of_kind(ex.perp("m0", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  ASSERT_EQ(of_kind(ex.perp("m1", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  // 100k held + 75k more is beyond the group's 150k in BTC_PERP.
  EXPECT_TRUE(rejected_with(ex.perp("m2", Side::Buy, usd(50'000), btc(15) / 10), Error::GroupLimit));
  EXPECT_EQ(ex.lots("m2"), 0);
  // The same order from an unlinked account is accepted.
  ASSERT_EQ(of_kind(ex.perp("solo", Side::Buy, usd(50'000), btc(15) / 10), EventKind::Trade).size(), 1u);
  EXPECT_EQ(ex.lots("solo"), 1500);
  // Within the limit: 145k.
  ASSERT_EQ(of_kind(ex.perp("m2", Side::Buy, usd(50'000), btc(9) / 10), EventKind::Trade).size(), 1u);
  EXPECT_TRUE(ex.engine().book(kPerp).best_ask() == 0);

  // BTC rises to 52,000: the group's 2.9 BTC are worth 150,800, at or over the limit.
  ex.oracle(usd(52'000));
  const auto prices = ex.engine().prices_at(ex.now());
  ASSERT_TRUE(prices.mark[kPerp].has_value());
  EXPECT_GE(*prices.mark[kPerp] * 29 / 10, usd(150'000));
  // Every member's risk-increasing order is refused, whichever side and whatever its own position.
  for (int i = 0; i < kMembers; ++i) {
    EXPECT_TRUE(rejected_with(ex.perp(kNames[i], Side::Buy, usd(52'000), btc(1) / 10), Error::ReduceOnly)) << kNames[i];
  }
  EXPECT_TRUE(rejected_with(ex.perp("m3", Side::Sell, usd(52'000), btc(1) / 10), Error::ReduceOnly));
  EXPECT_TRUE(rejected_with(ex.perp("m4", Side::Sell, usd(53'000), btc(1) / 10), Error::ReduceOnly));
  // An unlinked account's same order is accepted (it rests).
  const auto solo = ex.perp("solo", Side::Buy, usd(52'000), btc(6) / 10);
  ASSERT_TRUE(accepted(solo));
  EXPECT_EQ(of_kind(solo, EventKind::OrderRested).size(), 1u);
  // A reducing order from a member is accepted and trades.
  const auto reduce = ex.perp("m0", Side::Sell, usd(52'000), btc(5) / 10);
  ASSERT_TRUE(accepted(reduce));
  EXPECT_EQ(of_kind(reduce, EventKind::Trade).size(), 1u);
  EXPECT_EQ(ex.lots("m0"), 500);
  // The positions are back under the limit (2.4 BTC at 52,000 = 124,800): new risk within it is accepted.
  EXPECT_TRUE(accepted(ex.perp("m3", Side::Buy, usd(51'000), btc(1) / 10)));
}

TEST(RiskGroup, OpenOrdersCountTowardTheLimit) {
  PerpExchange ex(linked(usd(200'000), usd(150'000)));
  open_all(ex);
  ex.oracle(usd(50'000));
  // Resting bids count at their worst case: 2 BTC (100k) + 1.5 BTC (75k at mark) > 150k.
  ASSERT_TRUE(accepted(ex.perp("m0", Side::Buy, usd(46'000), btc(2))));
  EXPECT_TRUE(rejected_with(ex.perp("m1", Side::Buy, usd(46'000), btc(15) / 10), Error::GroupLimit));
  EXPECT_TRUE(rejected_with(ex.perp("m1", Side::Sell, usd(54'000), btc(15) / 10), Error::GroupLimit));
  EXPECT_TRUE(accepted(ex.perp("solo", Side::Buy, usd(46'000), btc(15) / 10)));
  EXPECT_TRUE(accepted(ex.perp("m1", Side::Buy, usd(46'000), btc(1))));
  // Exactly at the limit is allowed.
  EXPECT_EQ(ex.engine().position(ex.id("m1"), kPerp)->open_buy, 1000);
}

TEST(RiskGroup, TotalLimitAcrossPerpetuals) {
  // One perpetual here, so a total limit below the per-market one is the one that binds.
  PerpExchange ex(linked(usd(80'000), usd(1'000'000)));
  open_all(ex);
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("m4", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  EXPECT_TRUE(rejected_with(ex.perp("m3", Side::Buy, usd(49'000), btc(7) / 10), Error::GroupLimit));
  EXPECT_TRUE(accepted(ex.perp("m3", Side::Buy, usd(49'000), btc(6) / 10)));
  // Now exactly at 80,000 of worst case: one more lot is beyond it.
  EXPECT_TRUE(rejected_with(ex.perp("m0", Side::Buy, usd(49'000), btc(1) / 1000), Error::GroupLimit));
  EXPECT_TRUE(accepted(ex.perp("solo", Side::Buy, usd(49'000), btc(1))));
}

}  // namespace
}  // namespace glassbook::engine::testing
