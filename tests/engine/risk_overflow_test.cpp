// Overflow is refused at order entry: an order whose position could be worth more than 64 bits hold
// at the market's maximum price is refused with a clear error, so no fill and no replay can abort.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

TEST(RiskOverflow, APositionThatCouldOverflowAtTheMaximumPriceIsRefusedAtEntry) {
  // One very wide tier, so that the tier limit at the mark does not stop the order first.
  PerpExchange ex([](ExchangeConfig& c) { c.markets[kPerp].perp.tiers = {{INT64_MAX / 2, 100'000, 50'000}}; });
  ex.funded("whale", 40'000'000'000);  // 40 billion USDC: more than the initial margin needed
  ex.oracle(usd(50'000));
  // At the maximum price (1,000,000 USDC) one lot is worth 1,000 USDC = 1e9 units: 5e9 lots would be
  // worth 5e18 units, beyond INT64_MAX / 2. At the mark they are worth 2.5e17: within the tier.
  const int64_t lots = 5'000'000'000;
  const auto root = ex.engine().state_root();
  const auto ev = ex.perp("whale", Side::Buy, usd(50'000), lots * kPerpLot);
  ASSERT_TRUE(rejected_with(ev, Error::InvalidQuantity)) << (ev.empty() ? "no events" : describe(ev[0]));
  EXPECT_NE(ex.engine().last_error().find("refused so that no fill can overflow"), std::string::npos) << ex.engine().last_error();
  EXPECT_EQ(ex.engine().state_root(), root);
  // A tenth of it is an ordinary order.
  EXPECT_EQ(of_kind(ex.perp("whale", Side::Buy, usd(50'000), lots / 10 * kPerpLot), EventKind::OrderRested).size(), 1u);
}

}  // namespace
}  // namespace glassbook::engine::testing
