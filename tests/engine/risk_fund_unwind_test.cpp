// The insurance fund's liquidator: what the fund took over goes back through the book in bounded
// immediate-or-cancel slices, one per market per second, priced within half the band of the mark.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

std::vector<Event> trades_of(const std::vector<Event>& ev, AccountId a) {
  std::vector<Event> out;
  for (const Event& e : of_kind(ev, EventKind::Trade))
    if (e.account == a) out.push_back(e);
  return out;
}

TEST(RiskFundUnwind, TheFundSellsWhatItTookOverInBoundedSlices) {
  // A cap of 0.3 BTC: slices of 0.015 BTC.
  PerpExchange ex([](ExchangeConfig& c) { c.markets.back().perp.insurance_max_position = btc(3) / 10; });
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 6'000);
  ex.funded("buyer", 1'000'000);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  for (int i = 0; i < kOracleSources; ++i) ex.quote(i, usd(45'500));
  ASSERT_EQ(ex.engine().position(kInsuranceAccount, kPerp)->lots, 300);
  // A bid 7.7% under the mark is beyond half the 10% band: the fund does not sell to it.
  ex.perp("buyer", Side::Buy, usd(42'000), btc(1));
  ex.advance(1'000'000);
  EXPECT_TRUE(trades_of(ex.quote(0, usd(45'500)), kInsuranceAccount).empty());
  // One 4% under it is within: one slice, in the next second.
  ex.perp("buyer", Side::Buy, usd(43'700), btc(1));
  ex.advance(1'000'000);
  const auto sold = trades_of(ex.quote(1, usd(45'500)), kInsuranceAccount);
  ASSERT_EQ(sold.size(), 1u);
  EXPECT_EQ(sold[0].price, usd(43'700));
  EXPECT_EQ(sold[0].quantity, btc(15) / 1000);
  EXPECT_EQ(ex.engine().position(kInsuranceAccount, kPerp)->lots, 285);
  // Within the same second nothing more is sold; in the next, one more slice.
  EXPECT_TRUE(trades_of(ex.quote(2, usd(45'500)), kInsuranceAccount).empty());
  ex.advance(1'000'000);
  EXPECT_EQ(trades_of(ex.quote(3, usd(45'500)), kInsuranceAccount).size(), 1u);
  EXPECT_EQ(ex.engine().position(kInsuranceAccount, kPerp)->lots, 270);
}

}  // namespace
}  // namespace glassbook::engine::testing
