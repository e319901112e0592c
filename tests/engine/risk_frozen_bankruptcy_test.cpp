// Bankruptcy while the index is frozen: a reducing order cannot be judged against maintenance, but
// it is still judged against the account's bankruptcy price, which needs no frozen price; so no one
// can sell a losing position to a colluder beyond it while the oracle is silent.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// alice is long 1 BTC at 50,000 on 6,000 USDC: her bankruptcy price is 44,025 at any mark. At 47,000
// a colluder bids 43,000 and a buyer 44,100; then the sources fall silent and the index freezes.
void frozen_alice(PerpExchange& ex) {
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 6'000);
  ex.funded("colluder", 1'000'000);
  ex.funded("buyer", 1'000'000);
  ex.seed_insurance(100'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  ex.oracle(usd(47'000));
  ASSERT_EQ(of_kind(ex.perp("colluder", Side::Buy, usd(43'000), btc(1)), EventKind::OrderRested).size(), 1u);
  ex.advance(kStalenessUs + 1);
  ASSERT_FALSE(ex.engine().prices_at(ex.now()).mark[kPerp].has_value());
}

TEST(RiskFrozenBankruptcy, ASaleBeyondTheBankruptcyPriceIsRefusedWhileTheIndexIsFrozen) {
  PerpExchange ex;
  frozen_alice(ex);
  const int64_t fund = ex.insurance();
  const auto ev = ex.perp("alice", Side::Sell, usd(43'000), btc(1));
  ASSERT_TRUE(rejected_with(ev, Error::OrderBeyondBankruptcy));
  EXPECT_NE(ex.engine().last_error().find("bankruptcy price 44025000000"), std::string::npos) << ex.engine().last_error();
  // A market sale stops at the bankruptcy price: nothing trades with the colluder's bid.
  EXPECT_TRUE(of_kind(ex.perp_market("alice", Side::Sell, btc(1)), EventKind::Trade).empty());
  EXPECT_EQ(ex.lots("alice"), 1000);
  EXPECT_EQ(ex.lots("colluder"), 0);
  EXPECT_EQ(ex.insurance(), fund);
}

TEST(RiskFrozenBankruptcy, ASaleAtOrAboveTheBankruptcyPriceStillPasses) {
  PerpExchange ex;
  frozen_alice(ex);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Sell, usd(44'100), btc(1)), EventKind::OrderRested).size(), 1u);
  // The buyer's bid opens a position: refused while the index is frozen. alice's ask waits.
  EXPECT_TRUE(rejected_with(ex.perp("buyer", Side::Buy, usd(44'100), btc(1)), Error::IndexFrozen));
  EXPECT_EQ(ex.lots("alice"), 1000);
}

}  // namespace
}  // namespace glassbook::engine::testing
