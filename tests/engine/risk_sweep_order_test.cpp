// The sweep's order within one oracle update: an account that a liquidation earlier in the sweep
// changes is judged in its own turn, in its new state, exactly as a scan of every account would.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// alice (the lowest id) and zoe (the highest) are long 0.15 BTC at 60,000 on 1,000 USDC each;
// maker (between them) bids 0.15 at 59,000 on 1,000 USDC. BTC then falls to 52,000: alice is
// bankrupt and her liquidation sells into maker's bid, which leaves maker long above the mark and
// under water; zoe is bankrupt too.
std::vector<AccountId> liquidation_order(bool full_sweeps) {
  PerpExchange ex;
  ex.engine().set_full_sweeps(full_sweeps);
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 1'000);
  ex.funded("maker", 1'000);
  ex.funded("zoe", 1'000);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(60'000));
  ex.perp("seller", Side::Sell, usd(60'000), btc(30) / 100);
  EXPECT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(60'000), btc(15) / 100), EventKind::Trade).size(), 1u);
  EXPECT_EQ(of_kind(ex.perp("zoe", Side::Buy, usd(60'000), btc(15) / 100), EventKind::Trade).size(), 1u);
  EXPECT_EQ(of_kind(ex.perp("maker", Side::Buy, usd(59'000), btc(15) / 100), EventKind::OrderRested).size(), 1u);
  ex.oracle(usd(60'000));  // judged once at the starting price: everyone has bounds
  std::vector<Event> ev;
  for (int i = 0; i < 3; ++i) ev = ex.quote(i, usd(52'000));
  std::vector<AccountId> order;
  for (const Event& e : of_kind(ev, EventKind::LiquidationStarted)) order.push_back(e.account);
  EXPECT_EQ(ex.lots("maker"), 0) << "maker's new position is liquidated in the same command";
  return order;
}

TEST(RiskSweepOrder, AnAccountChangedAheadOfTheCursorIsJudgedInItsTurn) {
  // seller opened first: alice, maker and zoe follow in that order.
  const AccountId alice = kFirstCustomer + 1, maker = kFirstCustomer + 2, zoe = kFirstCustomer + 3;
  const std::vector<AccountId> indexed = liquidation_order(false);
  EXPECT_EQ(indexed, (std::vector<AccountId>{alice, maker, zoe}));
  EXPECT_EQ(liquidation_order(true), indexed);
}

}  // namespace
}  // namespace glassbook::engine::testing
