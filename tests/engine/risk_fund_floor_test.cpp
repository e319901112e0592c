// The insurance fund's own floor: it takes over only what its equity above the floor can carry with
// the maintenance margin of what it holds, and when a move takes its equity near or below the floor
// its positions are deleveraged against the opposite side at the price that leaves it at the floor.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

MarginSummary fund_margin(PerpExchange& ex) { return ex.engine().margin_of(kInsuranceAccount, ex.engine().prices_at(ex.now())); }

// alice (long 1 BTC at 50,000 on 6,000 USDC, bankruptcy price 44,025) is liquidated at 45,500 with
// an empty book: the fund takes over what it can.
void liquidate_alice(PerpExchange& ex, int64_t fund_usdc) {
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 6'000);
  ex.seed_insurance(fund_usdc);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  ex.oracle(usd(45'500));
  ASSERT_EQ(ex.lots("alice"), 0);
}

TEST(RiskFundFloor, TheFundTakesOverOnlyWhatItsRoomAboveTheFloorCarries) {
  // 5,000 above a 95,000 floor: 1 BTC at 45,500 needs 25% x 45,500 of maintenance at the highest
  // tier's rate, more than the room, so the fund takes part and deleveraging the rest.
  PerpExchange ex([](ExchangeConfig& c) { c.risk.insurance_floor = usd(95'000); });
  liquidate_alice(ex, 100'000);
  const PerpPosition* fund = ex.engine().position(kInsuranceAccount, kPerp);
  ASSERT_NE(fund, nullptr);
  EXPECT_GT(fund->lots, 0);
  EXPECT_LT(fund->lots, 1000);
  EXPECT_EQ(ex.lots("seller"), -fund->lots);  // the rest closed against the seller's short
  const MarginSummary s = fund_margin(ex);
  EXPECT_GE(s.equity - usd(95'000), s.maintenance);
}

TEST(RiskFundFloor, ACrashThatTakesTheFundBelowItsFloorDeleveragesItsPositions) {
  // 20,000 above a 90,000 floor: the fund takes the whole BTC over at 44,025. A crash to 22,000
  // would leave it about 1,800 below its floor: its long is deleveraged against the seller's short
  // at the price that leaves the fund's equity at the floor.
  PerpExchange ex([](ExchangeConfig& c) { c.risk.insurance_floor = usd(90'000); });
  liquidate_alice(ex, 110'000);
  ASSERT_EQ(ex.engine().position(kInsuranceAccount, kPerp)->lots, 1000);
  std::vector<Event> ev;
  for (int i = 0; i < kOracleSources; ++i) {
    auto e = ex.quote(i, usd(22'000));
    ev.insert(ev.end(), e.begin(), e.end());
    const MarginSummary s = fund_margin(ex);
    if (!s.frozen) {
      EXPECT_GE(s.equity, usd(90'000)) << "after source " << i;
    }
  }
  const auto started = of_kind(ev, EventKind::LiquidationStarted);
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].account, kInsuranceAccount);
  const auto taken = of_kind(ev, EventKind::PositionTakenOver);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].account, kInsuranceAccount);
  EXPECT_EQ(taken[0].maker_account, ex.id("seller"));
  EXPECT_EQ(taken[0].client_id, 1u);  // auto-deleveraging
  EXPECT_EQ(taken[0].quantity, btc(1));
  EXPECT_EQ(ex.engine().position(kInsuranceAccount, kPerp), nullptr);
  EXPECT_EQ(ex.lots("seller"), 0);
  // It sold above the mark, at the price where its equity is back at the floor (rounded its way).
  EXPECT_GT(taken[0].price, usd(22'000));
  EXPECT_GE(ex.insurance(), usd(90'000));
  EXPECT_LT(ex.insurance(), usd(90'000) + usd(1));
}

}  // namespace
}  // namespace glassbook::engine::testing
