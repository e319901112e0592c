// Open-interest caps: an order that could raise a perpetual's open interest beyond the market's cap,
// or an account's worst-case position beyond the per-account cap, is refused at entry; orders that
// reduce always pass, a match never crosses the cap, and liquidations are never held back by it.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// Caps of 1 BTC of open interest and 0.6 BTC per account on the test perpetual (lot 0.001 BTC).
PerpExchange capped() {
  return PerpExchange([](ExchangeConfig& c) {
    c.markets[kPerp].perp.max_open_interest = btc(1);
    c.markets[kPerp].perp.max_account_position = btc(6) / 10;
  });
}

int64_t oi(PerpExchange& ex) { return ex.engine().open_interest_lots(kPerp); }

TEST(RiskOpenInterest, AnOrderThatCouldRaiseOpenInterestBeyondTheCapIsRefused) {
  PerpExchange ex = capped();
  for (const char* name : {"m1", "m2", "alice", "bob", "carol"}) ex.funded(name, 100'000);
  ex.oracle(usd(50'000));
  ex.perp("m1", Side::Sell, usd(50'000), btc(5) / 10);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(5) / 10), EventKind::Trade).size(), 1u);
  EXPECT_EQ(oi(ex), 500);
  // 0.6 more could take the open interest to 1.1 BTC.
  const auto refused = ex.perp("bob", Side::Sell, usd(50'100), btc(6) / 10);
  ASSERT_TRUE(rejected_with(refused, Error::OpenInterestCap));
  EXPECT_NE(ex.engine().last_error().find("from 50000000 to 110000000"), std::string::npos) << ex.engine().last_error();
  EXPECT_NE(ex.engine().last_error().find("cap of 100000000"), std::string::npos) << ex.engine().last_error();
  EXPECT_EQ(ex.lots("bob"), 0);
  // Up to the cap is fine.
  ASSERT_EQ(of_kind(ex.perp("bob", Side::Sell, usd(50'100), btc(5) / 10), EventKind::OrderRested).size(), 1u);
  ASSERT_EQ(of_kind(ex.perp("carol", Side::Buy, usd(50'100), btc(5) / 10), EventKind::Trade).size(), 1u);
  EXPECT_EQ(oi(ex), 1000);
  // At the cap, one more lot opened on either side is refused...
  EXPECT_TRUE(rejected_with(ex.perp("m2", Side::Sell, usd(50'200), kPerpLot), Error::OpenInterestCap));
  EXPECT_TRUE(rejected_with(ex.perp("m2", Side::Buy, usd(49'900), kPerpLot), Error::OpenInterestCap));
  // ... and orders that reduce always pass: alice sells 0.2 of her 0.5 to bob, who closes 0.2 of his short.
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Sell, usd(50'000), btc(2) / 10), EventKind::OrderRested).size(), 1u);
  ASSERT_EQ(of_kind(ex.perp("bob", Side::Buy, usd(50'000), btc(2) / 10), EventKind::Trade).size(), 1u);
  EXPECT_EQ(oi(ex), 800);
  // Which frees room for others.
  EXPECT_EQ(of_kind(ex.perp("m2", Side::Sell, usd(50'200), kPerpLot), EventKind::OrderRested).size(), 1u);
}

TEST(RiskOpenInterest, AMatchNeverCrossesTheCap) {
  // Each fill raises the open interest by at most what it opens for the taker, so the check of the
  // taker's opening lots at entry bounds its whole match: resting asks that would open shorts do not
  // let a buyer take the open interest past the cap.
  PerpExchange ex = capped();
  for (const char* name : {"m1", "m2", "alice", "carol"}) ex.funded(name, 100'000);
  ex.oracle(usd(50'000));
  ex.perp("m1", Side::Sell, usd(50'000), btc(5) / 10);
  ex.perp("m2", Side::Sell, usd(50'000), btc(5) / 10);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(6) / 10), EventKind::Trade).size(), 2u);
  EXPECT_EQ(oi(ex), 600);
  EXPECT_TRUE(rejected_with(ex.perp_market("carol", Side::Buy, btc(5) / 10), Error::OpenInterestCap));
  EXPECT_EQ(ex.lots("carol"), 0);
  EXPECT_EQ(oi(ex), 600);
  ASSERT_EQ(of_kind(ex.perp_market("carol", Side::Buy, btc(4) / 10), EventKind::Trade).size(), 1u);
  EXPECT_EQ(oi(ex), 1000);
}

TEST(RiskOpenInterest, AnAccountsWorstCaseIsCappedWithItsOpenOrders) {
  PerpExchange ex = capped();
  ex.funded("alice", 100'000);
  ex.oracle(usd(50'000));
  ASSERT_TRUE(rejected_with(ex.perp("alice", Side::Buy, usd(49'000), btc(7) / 10), Error::OpenInterestCap));
  EXPECT_NE(ex.engine().last_error().find("beyond the cap of 60000000 per account"), std::string::npos) << ex.engine().last_error();
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(49'000), btc(4) / 10), EventKind::OrderRested).size(), 1u);
  // Two bids of 0.4 and 0.3 could together fill to 0.7.
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Buy, usd(49'000), btc(3) / 10), Error::OpenInterestCap));
  // An ask does not add to the long worst case: it passes.
  EXPECT_EQ(of_kind(ex.perp("alice", Side::Sell, usd(51'000), btc(3) / 10), EventKind::OrderRested).size(), 1u);
}

TEST(RiskOpenInterest, LiquidationsAreNeverHeldBackByTheCap) {
  // At the cap, a liquidation still closes: the fund's takeover moves a position without opening
  // one (the open interest stays), and deleveraging only reduces.
  PerpExchange ex = capped();
  ex.funded("maker", 1'000'000);
  ex.funded("maker2", 1'000'000);
  ex.funded("alice", 3'000);
  ex.funded("bob", 100'000);
  ex.seed_insurance(100'000);
  ex.oracle(usd(50'000));
  ex.perp("maker", Side::Sell, usd(50'000), btc(5) / 10);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(5) / 10), EventKind::Trade).size(), 1u) << ex.engine().last_error();
  ex.perp("maker2", Side::Sell, usd(50'000), btc(5) / 10);
  ASSERT_EQ(of_kind(ex.perp("bob", Side::Buy, usd(50'000), btc(5) / 10), EventKind::Trade).size(), 1u);
  ASSERT_EQ(oi(ex), 1000);
  const auto ev = ex.oracle(usd(45'000));
  EXPECT_FALSE(of_kind(ev, EventKind::LiquidationStarted).empty());
  EXPECT_FALSE(of_kind(ev, EventKind::PositionTakenOver).empty());
  EXPECT_EQ(ex.lots("alice"), 0);
  EXPECT_EQ(oi(ex), 1000);
}

TEST(RiskOpenInterest, TheOpenInterestIsRebuiltOnRestore) {
  PerpExchange ex = capped();
  ex.funded("m1", 100'000);
  ex.funded("alice", 100'000);
  ex.oracle(usd(50'000));
  ex.perp("m1", Side::Sell, usd(50'000), btc(3) / 10);
  ex.perp("alice", Side::Buy, usd(50'000), btc(3) / 10);
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored.is_ok()) << restored.status().message();
  EXPECT_EQ((*restored)->open_interest_lots(kPerp), 300);
}

TEST(RiskOpenInterest, ALowerOrNewCapIsASaferChangeAndRemovingOneIsNot) {
  ExchangeConfig now = demo_config(crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher")).public_key());
  add_perpetual(now, PerpExchange::oracle_keys());
  ExchangeConfig next = now;
  next.markets[kPerp].perp.max_open_interest = btc(10);
  next.markets[kPerp].perp.max_account_position = btc(1);
  EXPECT_TRUE(only_safer(now, next));
  EXPECT_TRUE(check_config_change(now, next));
  ExchangeConfig lower = next;
  lower.markets[kPerp].perp.max_open_interest = btc(5);
  EXPECT_TRUE(only_safer(next, lower));
  EXPECT_FALSE(only_safer(lower, next));  // a higher cap waits for the timelock
  EXPECT_FALSE(only_safer(next, now));    // so does removing one
}

}  // namespace
}  // namespace glassbook::engine::testing
