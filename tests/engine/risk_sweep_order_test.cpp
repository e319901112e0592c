// The sweep's order within one oracle update: the accounts below maintenance are liquidated deepest
// shortfall first, ties by id, the same through the safety index as through a scan of every account.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// bob (the lower id) and carol are long 0.1 BTC at 50,000, bob on 700 USDC, carol on 550. At 44,000
// bob is 122.5 below maintenance and carol 272.5: carol goes first.
std::vector<AccountId> liquidation_order(bool full_sweeps) {
  PerpExchange ex;
  ex.engine().set_full_sweeps(full_sweeps);
  ex.funded("seller", 1'000'000);
  ex.funded("bob", 700);
  ex.funded("carol", 550);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(2) / 10);
  EXPECT_EQ(of_kind(ex.perp("bob", Side::Buy, usd(50'000), btc(1) / 10), EventKind::Trade).size(), 1u);
  EXPECT_EQ(of_kind(ex.perp("carol", Side::Buy, usd(50'000), btc(1) / 10), EventKind::Trade).size(), 1u);
  ex.oracle(usd(50'000));  // judged once at the starting price: everyone has bounds
  std::vector<Event> ev;
  for (int i = 0; i < 3; ++i) ev = ex.quote(i, usd(44'000));
  std::vector<AccountId> order;
  for (const Event& e : of_kind(ev, EventKind::LiquidationStarted)) order.push_back(e.account);
  return order;
}

TEST(RiskSweepOrder, TheDeepestShortfallIsLiquidatedFirst) {
  const AccountId bob = kFirstCustomer + 1, carol = kFirstCustomer + 2;
  const std::vector<AccountId> indexed = liquidation_order(false);
  EXPECT_EQ(indexed, (std::vector<AccountId>{carol, bob}));
  EXPECT_EQ(liquidation_order(true), indexed);
}

}  // namespace
}  // namespace glassbook::engine::testing
