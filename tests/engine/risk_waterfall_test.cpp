// The liquidation waterfall: the book, then the insurance fund, then auto-deleveraging by rank at the bankruptcy price.
#include <gtest/gtest.h>

#include <map>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

int64_t sum_usdc(Engine& e) {
  __int128 s = 0;
  for (AccountId a = 0; a < e.ledger().account_count(); ++a) s += e.ledger().balance(a, USDC).total;
  return static_cast<int64_t>(s);
}

int64_t sum_costs(Engine& e) {
  __int128 s = 0;
  for (AccountId a = 0; a < e.ledger().account_count(); ++a)
    if (const PerpPosition* p = e.position(a, kPerp)) s += p->cost;
  return static_cast<int64_t>(s);
}

std::vector<ledger::Balance> balances(PerpExchange& ex, const std::string& name) {
  std::vector<ledger::Balance> out;
  for (AssetId x = 0; x < ex.engine().config().assets.size(); ++x) out.push_back(ex.balance(name, x));
  return out;
}

bool same(const std::vector<ledger::Balance>& a, const std::vector<ledger::Balance>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].total != b[i].total || a[i].held != b[i].held) return false;
  return true;
}

// alice: long 1 BTC at 50,000 with 6,000 USDC. carol (opened first: the lower id) short 0.4 with a
// lot of margin; bob short 0.6 with little (the higher leverage: ranked first). The book bids 0.3
// at 45,900. dave holds only USDC, erin spot BTC with a resting spot order: no positions.
void setup(PerpExchange& ex) {
  ex.funded("carol", 100'000);
  ex.funded("bob", 10'000);
  ex.funded("alice", 6'000);
  ex.funded("maker", 1'000'000);
  ex.funded("dave", 50'000);
  ex.trader("erin");
  ex.oracle(usd(50'000));
  ex.perp("carol", Side::Sell, usd(50'000), btc(4) / 10);
  ex.perp("bob", Side::Sell, usd(50'000), btc(6) / 10);
  if (of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size() != 2u) { ADD_FAILURE() << "alice did not trade"; }
  ex.perp("maker", Side::Buy, usd(45'900), btc(3) / 10);
  ex.order("erin", Side::Sell, usd(60'000), btc(1));  // spot, resting
}

// The first three sources move BTC to 46,000; returns the third command's events.
std::vector<Event> crash(PerpExchange& ex) {
  ex.quote(0, usd(46'000));
  ex.quote(1, usd(46'000));
  return ex.quote(2, usd(46'000));
}

TEST(RiskWaterfall, TheInsuranceFundTakesWhatTheBookCannot) {
  PerpExchange ex;
  // The fund takes over only what its capital carries with the maintenance of what it holds.
  ex.seed_insurance(100'000);
  setup(ex);
  const auto dave = balances(ex, "dave"), erin = balances(ex, "erin");
  const auto ev = crash(ex);
  ASSERT_EQ(of_kind(ev, EventKind::LiquidationStarted).size(), 1u);
  // The book took 0.3 at 45,900; the fund took the other 0.7 at the bankruptcy price.
  EXPECT_EQ(ex.lots("maker"), 300);
  const auto taken = of_kind(ev, EventKind::PositionTakenOver);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].client_id, 0u);
  EXPECT_EQ(taken[0].maker_account, kInsuranceAccount);
  EXPECT_EQ(taken[0].account, ex.id("alice"));
  EXPECT_EQ(taken[0].side, Side::Buy);
  EXPECT_EQ(taken[0].quantity, btc(7) / 10);
  EXPECT_LT(taken[0].price, usd(46'000));
  EXPECT_GT(taken[0].price, usd(40'000));
  ASSERT_NE(ex.engine().position(kInsuranceAccount, kPerp), nullptr);
  EXPECT_EQ(ex.engine().position(kInsuranceAccount, kPerp)->lots, 700);
  EXPECT_EQ(ex.lots("alice"), 0);
  // The short sides were not touched.
  EXPECT_EQ(ex.lots("bob"), -600);
  EXPECT_EQ(ex.lots("carol"), -400);
  EXPECT_TRUE(same(balances(ex, "dave"), dave));
  EXPECT_TRUE(same(balances(ex, "erin"), erin));
  EXPECT_EQ(sum_usdc(ex.engine()), 0);
  EXPECT_EQ(ex.engine().ledger().balance(kClearingAccount, USDC).total, -sum_costs(ex.engine()));
}

void check_adl(PerpExchange& ex) {
  setup(ex);
  const auto dave = balances(ex, "dave"), erin = balances(ex, "erin");
  const int64_t bob_before = ex.usdc("bob"), carol_before = ex.usdc("carol");
  const int64_t fund_lots_before = ex.engine().position(kInsuranceAccount, kPerp) ? ex.engine().position(kInsuranceAccount, kPerp)->lots : 0;
  const auto ev = crash(ex);
  ASSERT_EQ(of_kind(ev, EventKind::LiquidationStarted).size(), 1u);
  EXPECT_EQ(ex.lots("maker"), 300);
  const auto taken = of_kind(ev, EventKind::PositionTakenOver);
  ASSERT_EQ(taken.size(), 2u);
  // By rank, not by id: bob (higher leverage, higher id) first, all of his 0.6; then carol 0.1.
  EXPECT_GT(ex.id("bob"), ex.id("carol"));
  EXPECT_EQ(taken[0].maker_account, ex.id("bob"));
  EXPECT_EQ(taken[0].quantity, btc(6) / 10);
  EXPECT_EQ(taken[1].maker_account, ex.id("carol"));
  EXPECT_EQ(taken[1].quantity, btc(1) / 10);
  for (const Event& e : taken) {
    EXPECT_EQ(e.client_id, 1u);
    EXPECT_EQ(e.account, ex.id("alice"));
    EXPECT_EQ(e.price, taken[0].price);
  }
  const int64_t bp = taken[0].price;
  EXPECT_LT(bp, usd(46'000));
  EXPECT_EQ(ex.lots("alice"), 0);
  EXPECT_EQ(ex.lots("bob"), 0);
  EXPECT_EQ(ex.lots("carol"), -300);
  const int64_t fund_lots_after = ex.engine().position(kInsuranceAccount, kPerp) ? ex.engine().position(kInsuranceAccount, kPerp)->lots : 0;
  EXPECT_EQ(fund_lots_after, fund_lots_before);
  // Closed at the bankruptcy price, with no fee: bob realizes 0.6 x (50,000 - bp), carol 0.1 x.
  EXPECT_EQ(ex.usdc("bob"), bob_before + (usd(50'000) - bp) * 6 / 10);
  EXPECT_EQ(ex.usdc("carol"), carol_before + (usd(50'000) - bp) / 10);
  EXPECT_TRUE(same(balances(ex, "dave"), dave));
  EXPECT_TRUE(same(balances(ex, "erin"), erin));
  EXPECT_EQ(sum_usdc(ex.engine()), 0);
  EXPECT_EQ(ex.engine().ledger().balance(kClearingAccount, USDC).total, -sum_costs(ex.engine()));
}

TEST(RiskWaterfall, AutoDeleveragingWhenTheFundIsBelowItsFloor) {
  PerpExchange ex([](ExchangeConfig& c) { c.risk.insurance_floor = usd(1'000'000); });
  check_adl(ex);
}

TEST(RiskWaterfall, AutoDeleveragingWhenTheFundIsAtItsPositionCap) {
  // No room at all under the cap (a cap of one lot would take one lot: tests/engine/risk_bankruptcy_test.cpp).
  PerpExchange ex([](ExchangeConfig& c) { c.markets[kPerp].perp.insurance_max_position = 0; });
  check_adl(ex);
}

TEST(RiskWaterfall, TheInsuranceFundIsCapitalizedByAttestedDepositsOnly) {
  PerpExchange ex;
  auto ev = ex.seed_insurance(250'000);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, EventKind::Deposited);
  EXPECT_EQ(ev[0].account, kInsuranceAccount);
  EXPECT_EQ(ex.insurance(), usd(250'000));
  // Only the chain watcher attests deposits, and no other system account takes one.
  ex.funded("alice", 10);
  EXPECT_TRUE(rejected_with(ex.run(ex.key("alice"), Deposit{kInsuranceAccount, USDC, usd(1), ex.next_deposit_id()}), Error::Unauthorized));
  EXPECT_TRUE(rejected_with(ex.run(ex.watcher(), Deposit{kClearingAccount, USDC, usd(1), ex.next_deposit_id()}), Error::UnknownAccount));
  EXPECT_TRUE(rejected_with(ex.run(ex.watcher(), Deposit{kFeeAccount, USDC, usd(1), ex.next_deposit_id()}), Error::UnknownAccount));
  EXPECT_EQ(ex.insurance(), usd(250'000));
}

}  // namespace
}  // namespace glassbook::engine::testing
