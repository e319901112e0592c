// Bankruptcy takes everything and fees create no bad debt: a liquidation's taker fee is capped by
// what is left above bankruptcy, the liquidation fee is paid however a position is closed, resting
// orders and unweighted assets cannot escape the seizure, and the insurance fund never pays below
// its floor (it takes over what its cap allows; a loss it cannot pay is shared). Claim units are
// never seized: they pass only to holders an estate's rules allow.
#include <gtest/gtest.h>

#include "claims_fixture.h"
#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

int64_t sum(const std::vector<Event>& ev, EventKind kind) {
  int64_t s = 0;
  for (const Event& e : of_kind(ev, kind)) s += e.quantity;
  return s;
}

std::vector<Event> crash(PerpExchange& ex, int64_t price) {
  std::vector<Event> all;
  for (int i = 0; i < kOracleSources; ++i) {
    auto ev = ex.quote(i, price);
    all.insert(all.end(), ev.begin(), ev.end());
  }
  return all;
}

TEST(RiskBankruptcy, ALiquidationsTakerFeeNeverCreatesBadDebt) {
  PerpExchange ex;
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 6'000);
  ex.funded("maker", 1'000'000);
  ex.seed_insurance(100'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  ex.oracle(usd(47'000));
  // alice's bankruptcy price is 50,000 - 5,975 = 44,025: the bid 10 above it leaves her 10 USDC,
  // less than the 22.02 taker fee on the sale.
  ex.perp("maker", Side::Buy, usd(44'035), btc(1));
  const auto ev = crash(ex, usd(45'500));
  ASSERT_EQ(of_kind(ev, EventKind::LiquidationStarted).size(), 1u);
  ASSERT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  EXPECT_EQ(of_kind(ev, EventKind::Trade)[0].taker_fee, usd(10));
  EXPECT_EQ(ex.lots("alice"), 0);
  EXPECT_EQ(ex.usdc("alice"), 0);
  EXPECT_TRUE(of_kind(ev, EventKind::BadDebtCovered).empty());
}

TEST(RiskBankruptcy, TheLiquidationFeeIsPaidWhenTheFundTakesThePositionOver) {
  PerpExchange ex;
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 25'000);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(3));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(3)), EventKind::Trade).size(), 1u);
  ex.oracle(usd(45'000));
  const int64_t fund = ex.insurance();
  // At 44,000 alice is under maintenance in the second tier; the book is empty, so the fund takes
  // the step down to the first tier over, and collects the fee on it.
  const auto ev = crash(ex, usd(44'000));
  const auto taken = of_kind(ev, EventKind::PositionTakenOver);
  ASSERT_FALSE(taken.empty());
  EXPECT_EQ(taken[0].maker_account, kInsuranceAccount);
  EXPECT_GT(ex.insurance(), fund);
}

TEST(RiskBankruptcy, TheFundTakesOverPartOfAPositionWithinItsCap) {
  PerpExchange ex([](ExchangeConfig& c) { c.markets.back().perp.insurance_max_position = btc(3) / 10; });
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 6'000);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  const auto ev = crash(ex, usd(45'500));
  int64_t fund = 0, adl = 0;
  for (const Event& e : of_kind(ev, EventKind::PositionTakenOver)) (e.client_id == 0 ? fund : adl) += e.quantity;
  EXPECT_EQ(fund, btc(3) / 10);
  EXPECT_EQ(adl, btc(7) / 10);
  EXPECT_EQ(ex.lots("alice"), 0);
  EXPECT_EQ(ex.engine().position(kInsuranceAccount, kPerp)->lots, 300);
}

// alice holds 0.1 BTC as collateral and no USDC; she opens 0.04 BTC long at 50,000 and sells it at
// 49,000 while the index is frozen: a margin debt of 41.98 USDC that cannot be valued yet.
void frozen_debtor(PerpExchange& ex) {
  ex.funded("seller", 1'000'000);
  ex.funded("buyer", 1'000'000);
  ex.open("alice");
  ex.deposit("alice", BTC, btc(1) / 10);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(4) / 100);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(4) / 100), EventKind::Trade).size(), 1u);
  ex.perp("buyer", Side::Buy, usd(49'000), btc(4) / 100);
  ex.advance(kStalenessUs + 1);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Sell, usd(49'000), btc(4) / 100), EventKind::Trade).size(), 1u);
  ASSERT_EQ(ex.lots("alice"), 0);
  ASSERT_EQ(ex.usdc("alice"), -usd(41) - 980'000);
}

TEST(RiskBankruptcy, ARestingSpotOrderCannotHideCollateralFromTheDebt) {
  PerpExchange ex;
  ex.seed_insurance(100'000);
  frozen_debtor(ex);
  // All her BTC goes on a spot order, out of margin's sight, before prices come back.
  ASSERT_EQ(of_kind(ex.order("alice", Side::Sell, usd(60'000), btc(1) / 10), EventKind::OrderRested).size(), 1u);
  const auto ev = crash(ex, usd(50'000));
  EXPECT_TRUE(of_kind(ev, EventKind::BadDebtCovered).empty());
  bool cancelled = false;
  for (const Event& e : of_kind(ev, EventKind::OrderCancelled)) cancelled = cancelled || e.account == ex.id("alice");
  EXPECT_TRUE(cancelled);
  ASSERT_EQ(of_kind(ev, EventKind::CollateralConverted).size(), 1u);
  EXPECT_EQ(ex.usdc("alice"), 0);
  EXPECT_LT(ex.balance("alice", BTC).total, btc(1) / 10);
  EXPECT_EQ(ex.balance("alice", BTC).held, 0);
}

TEST(RiskBankruptcy, TheFundPaysBadDebtDownToItsFloorAndTheRestIsShared) {
  PerpExchange ex([](ExchangeConfig& c) { c.risk.insurance_floor = usd(990); });
  ex.seed_insurance(1'000);
  frozen_debtor(ex);
  // Prices return at 400: her 0.1 BTC is worth 38 at its weight, less than her debt.
  const auto ev = crash(ex, usd(400));
  const int64_t paid = sum(ev, EventKind::BadDebtCovered);
  const int64_t shared = sum(ev, EventKind::LossSocialized);
  EXPECT_EQ(paid, usd(10));
  EXPECT_EQ(paid + shared, usd(41) + 980'000);
  EXPECT_EQ(ex.insurance(), usd(990));
  EXPECT_EQ(ex.usdc("alice"), 0);
  EXPECT_EQ(ex.balance("alice", BTC).total, 0);
}

TEST(RiskBankruptcy, AssetsWithoutCollateralWeightGoTowardTheLoss) {
  PerpExchange ex([](ExchangeConfig& c) {
    c.assets[SOL].valuation = Valuation::Index;
    c.assets[SOL].collateral_weight_ppm = 0;
  });
  ex.funded("seller", 1'000'000);
  ex.funded("alice", 600);
  ex.deposit("alice", SOL, 10'000'000'000);  // 10 SOL
  ex.seed_insurance(100'000);
  ex.oracle(usd(100), SOL);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'000), btc(1) / 10);
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1) / 10), EventKind::Trade).size(), 1u);
  // At 42,000 alice is 202.5 past bankruptcy; her 10 SOL (no margin weight) are worth 800 after the
  // 20% haircut: enough of them pays the loss before the fund takes her position over.
  std::vector<Event> ev;
  for (int i = 0; i < kOracleSources; ++i) {
    auto sol = ex.quote(i, usd(100), SOL);  // keeps SOL's price fresh
    auto btc_ev = ex.quote(i, usd(42'000));
    ev.insert(ev.end(), btc_ev.begin(), btc_ev.end());
  }
  const auto converted = of_kind(ev, EventKind::CollateralConverted);
  ASSERT_EQ(converted.size(), 1u);
  EXPECT_EQ(converted[0].asset, SOL);
  EXPECT_GT(converted[0].price, 0);
  EXPECT_LT(ex.balance("alice", SOL).total, 10'000'000'000);
  EXPECT_GT(ex.engine().ledger().balance(kInsuranceAccount, SOL).total, 0);
  EXPECT_EQ(ex.lots("alice"), 0);
}

// A bankrupt account's claim units stay with it: the fund (no KYC, no estate's holder) cannot take
// them, and the estate's records and a distribution's holdings stay exact. The debt its other assets
// cannot pay is paid and shared as without them.
TEST(RiskBankruptcy, ClaimUnitsAreNeverSeized) {
  PerpExchange ex([](ExchangeConfig& c) {
    c.risk.insurance_floor = usd(990);
    add_estates(c);
  });
  ex.check_invariants_always();
  ex.seed_insurance(1'000);
  frozen_debtor(ex);
  // alice links an allowed claim of 500 USD of face.
  const crypto::Digest hash = legacy_hash("alice@example.com");
  const crypto::KeyPair agent = claims_key("ftx-agent");
  ASSERT_EQ(rejection(ex.run(agent, AttestClaim{kFtx, 1, 1, 50'000, ClaimStatus::Allowed, hash})), Error::Ok) << ex.engine().last_error();
  ASSERT_EQ(rejection(ex.run(claims_key("kyc-1"), AttestKyc{kFtx, ex.id("alice"), 2, "FR", ex.now(), ex.now() + 3'600'000'000})), Error::Ok)
      << ex.engine().last_error();
  const std::string bytes =
      claim_link_bytes(ex.engine().config().estates[kFtx].name, 1, ex.id("alice"), ex.key("alice").public_key(), hash);
  ASSERT_EQ(rejection(ex.run(ex.key("alice"), LinkClaim{ex.id("alice"), kFtx, 1, hash, agent.sign(bytes)})), Error::Ok)
      << ex.engine().last_error();
  ASSERT_EQ(ex.balance("alice", FTXC).total, 50'000);

  const auto ev = crash(ex, usd(400));
  for (const Event& e : of_kind(ev, EventKind::CollateralConverted)) EXPECT_NE(e.asset, FTXC) << "claim units seized";
  EXPECT_EQ(ex.balance("alice", FTXC).total, 50'000);
  EXPECT_EQ(ex.engine().ledger().balance(kInsuranceAccount, FTXC).total, 0);
  // The debt is settled as in TheFundPaysBadDebtDownToItsFloorAndTheRestIsShared.
  EXPECT_EQ(sum(ev, EventKind::BadDebtCovered) + sum(ev, EventKind::LossSocialized), usd(41) + 980'000);
  EXPECT_EQ(ex.usdc("alice"), 0);
}

}  // namespace
}  // namespace glassbook::engine::testing
