// Scenario 8: a stress report equals the outcome of actually applying its shock to the live engine.
#include <gtest/gtest.h>

#include "stress_fixture.h"

namespace glassbook::stress::testing {
namespace {

// Accounts in registration order (ids from kFirstCustomer): the groups name them by id.
constexpr AccountId kAlice = kFirstCustomer, kAl2 = kFirstCustomer + 1, kAl3 = kFirstCustomer + 2,
                    kDan = kFirstCustomer + 3, kEd = kFirstCustomer + 4;

void with_groups(ExchangeConfig& c) {
  c.groups.push_back({"alice-al3", {kAlice, kAl3}, usd(10'000'000), usd(10'000'000)});
  c.groups.push_back({"dan-ed", {kDan, kEd}, usd(10'000'000), usd(10'000'000)});
}

// Longs of several leverages (alice 8x, al2 6x, dan 8x, ed 5x, al3 0.5x), shorts bob and carol
// against them, all at 50,000; the maker rests bids at 45,100 (0.3 BTC) and asks at 54,900; the
// insurance fund holds 50,000 USDC.
void market(PerpExchange& ex) {
  ex.funded("alice", 6'000);
  ex.funded("al2", 4'000);
  ex.funded("al3", 20'000);
  ex.funded("dan", 5'000);
  ex.funded("ed", 1'000);
  ex.funded("bob", 10'000);
  ex.funded("carol", 100'000);
  ex.funded("maker", 1'000'000);
  ASSERT_EQ(ex.id("ed"), kEd);
  ex.seed_insurance(50'000);
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(12) / 10);
  ex.perp("carol", Side::Sell, usd(50'000), btc(14) / 10);
  for (auto [name, tenths] : {std::pair{"alice", 10}, {"al2", 5}, {"al3", 2}, {"dan", 8}, {"ed", 1}})
    ASSERT_FALSE(of_kind(ex.perp(name, Side::Buy, usd(50'000), btc(tenths) / 10), EventKind::Trade).empty()) << name;
  ex.perp("maker", Side::Buy, usd(45'100), btc(3) / 10);
  ex.perp("maker", Side::Sell, usd(54'900), btc(3) / 10);
}

// One long (alice, 6,000 USDC for 1 BTC) against a short; the maker's bid `bid` (whole USDC).
void one_long(PerpExchange& ex, int64_t bid, int64_t bid_tenths) {
  ex.funded("alice", 6'000);
  ex.funded("bob", 10'000);
  ex.funded("carol", 100'000);
  ex.funded("maker", 1'000'000);
  ex.seed_insurance(100'000);
  ex.oracle(usd(50'000));
  ex.perp("carol", Side::Sell, usd(50'000), btc(4) / 10);
  ex.perp("bob", Side::Sell, usd(50'000), btc(6) / 10);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 2u);
  ex.perp("maker", Side::Buy, usd(bid), btc(bid_tenths) / 10);
}

TEST(StressAgreement, ALiquidationThroughTheBook) {
  PerpExchange ex;
  one_long(ex, 45'100, 20);
  const StressReport r = stress_and_replay(ex, uniform_shock(-100'000));
  EXPECT_EQ(r.liquidated, std::vector<AccountId>{ex.id("alice")});
  EXPECT_EQ(r.book_fills, 1u);
  EXPECT_EQ(r.book_quantity, btc(1));
  EXPECT_EQ(r.book_notional, usd(45'100));
  EXPECT_EQ(r.fund_takeovers, 0u);
  EXPECT_EQ(r.adl_events, 0u);
  // Only the liquidation fee reached the fund.
  EXPECT_GT(r.fund_balance_after, r.fund_balance_before);
  ASSERT_EQ(r.moves.size(), 1u);
  EXPECT_EQ(r.moves[0].asset, BTC);
  EXPECT_EQ(r.moves[0].before, usd(50'000));
  EXPECT_EQ(r.moves[0].after, usd(45'000));
  EXPECT_EQ(r.commands.size(), static_cast<size_t>(kOracleSources));
  EXPECT_EQ(ex.lots("alice"), 0);
}

TEST(StressAgreement, TheInsuranceFundTakesWhatTheBookCannot) {
  PerpExchange ex;
  one_long(ex, 45'100, 3);
  const StressReport r = stress_and_replay(ex, uniform_shock(-300'000));
  EXPECT_EQ(r.liquidated, std::vector<AccountId>{ex.id("alice")});
  EXPECT_EQ(r.book_quantity, btc(3) / 10);
  EXPECT_EQ(r.fund_takeovers, 1u);
  EXPECT_EQ(r.fund_takeover_quantity, btc(7) / 10);
  EXPECT_EQ(r.adl_events, 0u);
  EXPECT_EQ(r.fund_positions_before, 0);
  EXPECT_EQ(r.fund_positions_after, 1);
  // The fund bought 0.7 BTC above the shocked mark: its equity fell.
  EXPECT_LT(r.fund_equity_after, r.fund_equity_before);
}

TEST(StressAgreement, AutoDeleveragingWhenTheFundIsBelowItsFloor) {
  PerpExchange ex([](ExchangeConfig& c) { c.risk.insurance_floor = usd(1'000'000); });
  one_long(ex, 45'100, 3);
  const StressReport r = stress_and_replay(ex, uniform_shock(-300'000));
  EXPECT_EQ(r.liquidated, std::vector<AccountId>{ex.id("alice")});
  EXPECT_EQ(r.fund_takeovers, 0u);
  EXPECT_EQ(r.adl_events, 2u);
  EXPECT_EQ(r.adl_counterparties, (std::vector<AccountId>{ex.id("bob"), ex.id("carol")}));
  EXPECT_EQ(r.adl_quantity, btc(7) / 10);
  EXPECT_EQ(ex.lots("bob"), 0);
  EXPECT_EQ(ex.lots("carol"), -300);
}

TEST(StressAgreement, AutoDeleveragingWhenTheFundIsAtItsPositionCap) {
  PerpExchange ex([](ExchangeConfig& c) { c.markets[kPerp].perp.insurance_max_position = kPerpLot; });
  one_long(ex, 45'100, 3);
  const StressReport r = stress_and_replay(ex, uniform_shock(-300'000));
  // The fund takes what its cap allows (one lot) and auto-deleveraging closes the rest.
  EXPECT_EQ(r.fund_takeovers, 1u);
  EXPECT_EQ(r.adl_quantity, btc(7) / 10 - kPerpLot);
}

TEST(StressAgreement, SeveralAccountsGroupsAndCoverTwo) {
  PerpExchange ex(with_groups);
  market(ex);
  const Shock shock = uniform_shock(-300'000);
  // Cover 2, recomputed here from the positions: each account's USDC plus its position at the
  // mark scaled by 0.7, minus its entry cost.
  auto plan = shock_commands(ex.engine(), shock);
  ASSERT_TRUE(plan);
  const RiskPrices now = ex.engine().prices_at(plan->start);
  ASSERT_EQ(now.asset[BTC], usd(50'000));
  const int64_t mark = *now.mark[kPerp] * 7 / 10;
  auto equity = [&](AccountId a) {
    const PerpPosition* p = ex.engine().position(a, kPerp);
    const __int128 value = static_cast<__int128>(p->lots) * kPerpLot * mark;
    const __int128 unit = kBtcUnit;
    const __int128 floored = value / unit - (value < 0 && value % unit != 0 ? 1 : 0);
    return ex.engine().ledger().balance(a, USDC).total + static_cast<int64_t>(floored) - p->cost;
  };
  const int64_t dan_ed = -(equity(kDan) + equity(kEd));
  const int64_t al2 = -equity(kAl2);
  ASSERT_GT(dan_ed, al2);
  ASSERT_GT(al2, 0);
  ASSERT_GT(equity(kAlice) + equity(kAl3), 0);  // al3's margin covers alice: the group nets out
  const int64_t fund_equity = static_cast<int64_t>(ex.engine().margin_of(kInsuranceAccount, now).equity);

  LiveOutcome live;
  const StressReport r = stress_and_replay(ex, shock, &live);
  ASSERT_EQ(r.largest_group_losses.size(), 2u);
  EXPECT_EQ(r.largest_group_losses[0].name, "dan-ed");
  EXPECT_EQ(r.largest_group_losses[0].loss, dan_ed);
  EXPECT_EQ(r.largest_group_losses[0].accounts, (std::vector<AccountId>{kDan, kEd}));
  EXPECT_EQ(r.largest_group_losses[1].name, "account " + std::to_string(kAl2));
  EXPECT_EQ(r.largest_group_losses[1].loss, al2);
  EXPECT_EQ(r.cover2, dan_ed + al2);
  EXPECT_EQ(r.fund_equity_before, fund_equity);
  EXPECT_EQ(r.cover2_covered, fund_equity >= dan_ed + al2);
  EXPECT_TRUE(r.cover2_covered);
  // The 8x and 6x longs and ed (5x, maintenance 5% of 3,500) go; al3 and the shorts stay.
  EXPECT_EQ(r.liquidated, (std::vector<AccountId>{kAlice, kAl2, kDan, kEd}));
  EXPECT_GT(r.book_fills, 0u);
  EXPECT_GT(r.fund_takeovers, 0u);
  EXPECT_EQ(r.fund_equity_after, static_cast<int64_t>(ex.engine().margin_of(kInsuranceAccount, ex.engine().prices_at(ex.engine().last_timestamp())).equity));
  EXPECT_EQ(ex.lots("al3"), 200);
}

TEST(StressAgreement, ADepegOfRedemptionValuedCollateral) {
  PerpExchange ex(with_wbtc);
  ex.open("holder");
  ex.deposit("holder", WBTC, btc(1));  // 45,000 of collateral at a 1:1 rate
  ex.funded("bob", 1'000'000);
  ex.funded("maker", 1'000'000);
  ex.seed_insurance(100'000);
  for (int i = 0; i < kOracleSources; ++i) ex.run(PerpExchange::source(i), OracleUpdate{{{BTC, usd(50'000)}, {WBTC, kRateOne}}});
  ex.perp("bob", Side::Sell, usd(50'000), btc(4));
  ASSERT_EQ(of_kind(ex.perp("holder", Side::Buy, usd(50'000), btc(4)), EventKind::Trade).size(), 1u);
  ex.perp("maker", Side::Buy, usd(49'000), btc(1));

  // -50% leaves the holder above maintenance; -70% does not.
  StressReport mild = run_stress(ex.engine(), Shock{{Move{Move::Kind::RedemptionRate, WBTC, -500'000}}}).value();
  EXPECT_TRUE(mild.liquidated.empty());
  const Shock depeg{{Move{Move::Kind::RedemptionRate, WBTC, -700'000}}};
  const StressReport r = stress_and_replay(ex, depeg);
  EXPECT_EQ(r.liquidated, std::vector<AccountId>{ex.id("holder")});
  ASSERT_EQ(r.moves.size(), 1u);
  EXPECT_EQ(r.moves[0].asset, WBTC);
  EXPECT_TRUE(r.moves[0].rate);
  EXPECT_EQ(r.moves[0].before, kRateOne);
  EXPECT_EQ(r.moves[0].after, kRateOne * 3 / 10);
  EXPECT_EQ(ex.engine().prices_at(ex.now()).asset[WBTC], usd(15'000));
  EXPECT_EQ(ex.engine().prices_at(ex.now()).asset[BTC], usd(50'000));  // the index did not move
  EXPECT_GT(r.book_fills, 0u);
  EXPECT_LT(ex.lots("holder"), 4000);
}

TEST(StressAgreement, APathOfSeveralMovesCompounds) {
  PerpExchange ex;
  one_long(ex, 45'100, 20);
  const Shock path{{Move{Move::Kind::Index, BTC, -50'000}, Move{Move::Kind::AllIndex, 0, -50'000}}};
  const StressReport r = stress_and_replay(ex, path);
  EXPECT_EQ(r.commands.size(), 2u * kOracleSources);
  ASSERT_EQ(r.moves.size(), 1u);
  EXPECT_EQ(r.moves[0].after, usd(45'125));  // 50,000 x 0.95 x 0.95
  EXPECT_EQ(r.liquidated, std::vector<AccountId>{ex.id("alice")});
}

}  // namespace
}  // namespace glassbook::stress::testing
