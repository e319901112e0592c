// Reconciliation of the ledger with the wallets' balances on chain: balances observed at the chain
// watchers' threshold, customer liabilities kept as running totals, a reconciliation at every
// complete observation and on demand, and the hack: a hot wallet loses funds on chain, the alert
// fires and withdrawals of that asset stop until the operators resolve it with an explanation.
#include <gtest/gtest.h>

#include "custody_fixture.h"

namespace glassbook::engine::testing {
namespace {

int64_t i64(__int128 v) { return static_cast<int64_t>(v); }  // the figures here fit; gtest prints no __int128

class Reconciliation : public CustodyTest {
 protected:
  Reconciliation() { register_wallet(kHot, BTC, WalletKind::CustomerHot); }
  const Engine::AssetReconciliation& btc() {
    figures_ = ex.engine().reconciliation();
    for (const auto& r : figures_)
      if (r.asset == BTC) return r;
    ADD_FAILURE() << "no BTC reconciliation";
    return figures_.at(0);
  }
  std::vector<Engine::AssetReconciliation> figures_;
};

TEST_F(Reconciliation, ABalanceCountsAtTheWatchersThresholdAndOnlyWhenNewer) {
  auto ev = role(ex.watcher(), ObserveWalletBalance{"sim", kHot, 5, 10 * kBtcUnit});
  ASSERT_EQ(of_kind(ev, EventKind::CustodyVote).size(), 1u) << ev[0].message;
  EXPECT_FALSE(ex.engine().custody().wallets()[0].observed) << "one watcher alone";
  expect_refused([&] { return role(ex.watcher(), ObserveWalletBalance{"sim", kHot, 5, 10 * kBtcUnit}); }, Error::InvalidArgument,
                 "already voted");
  ev = role(second_watcher(), ObserveWalletBalance{"sim", kHot, 5, 10 * kBtcUnit});
  ASSERT_EQ(of_kind(ev, EventKind::WalletBalanceObserved).size(), 1u);
  EXPECT_EQ(ex.engine().custody().wallets()[0].balance, 10 * kBtcUnit);
  EXPECT_EQ(ex.engine().custody().wallets()[0].height, 5u);
  expect_refused([&] { return role(ex.watcher(), ObserveWalletBalance{"sim", kHot, 5, 9 * kBtcUnit}); }, Error::InvalidArgument,
                 "not after the wallet's last observed height 5");
  expect_refused([&] { return role(op(1), ObserveWalletBalance{"sim", kHot, 6, 9 * kBtcUnit}); }, Error::Unauthorized, "chain watchers");
  expect_refused([&] { return role(ex.watcher(), ObserveWalletBalance{"sim", kCold, 6, 9 * kBtcUnit}); }, Error::InvalidArgument,
                 "no wallet");
  expect_refused([&] { return role(ex.watcher(), ObserveWalletBalance{"sim", kHot, 6, -1}); }, Error::InvalidQuantity, "negative");
  expect_refused([&] { return ex.run(ex.watcher(), ObserveWalletBalance{"sim", kHot, 6, 1}); }, Error::InvalidArgument, "timed role");
}

TEST_F(Reconciliation, MatchingBalancesRaiseNoAlert) {
  auto ev = observe(kHot, 5, 10 * kBtcUnit);
  const auto rec = of_kind(ev, EventKind::Reconciled);
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_EQ(rec[0].asset, BTC);
  EXPECT_EQ(rec[0].quantity, 0);
  EXPECT_EQ(rec[0].price, 10 * kBtcUnit);
  EXPECT_TRUE(of_kind(ev, EventKind::ReconciliationAlertRaised).empty());
  EXPECT_EQ(i64(btc().liabilities), 10 * kBtcUnit);
  EXPECT_EQ(i64(btc().exchange_own), 0);
  EXPECT_TRUE(btc().observed);
  EXPECT_FALSE(btc().open_alert);
}

TEST_F(Reconciliation, TheLiabilitiesAreRunningTotalsEqualToTheRecount) {
  ex.deposit("bob", BTC, 3 * kBtcUnit);
  ex.deposit("bob", USDC, 500'000 * kUsdc);
  ex.order("alice", Side::Sell, 50'000 * kUsdc, kBtcUnit);
  ASSERT_FALSE(of_kind(ex.order("bob", Side::Buy, 50'000 * kUsdc, kBtcUnit), EventKind::Trade).empty());  // fees go to the fee account
  for (AssetId a = 0; a < ex.engine().config().assets.size(); ++a)
    EXPECT_EQ(i64(ex.engine().ledger().customer_liabilities(a)), ex.engine().ledger().customer_total(a)) << "asset " << a;
  EXPECT_GT(ex.engine().ledger().balance(kFeeAccount, BTC).total + ex.engine().ledger().balance(kFeeAccount, USDC).total, 0);
  // The wallet holds what came in (13 BTC): the fees are the exchange's own, still in the wallet.
  observe(kHot, 5, 13 * kBtcUnit);
  EXPECT_EQ(i64(btc().discrepancy), 0);
  EXPECT_EQ(i64(btc().liabilities + btc().exchange_own), 13 * kBtcUnit);
  EXPECT_EQ(i64(btc().exchange_own), ex.engine().ledger().balance(kFeeAccount, BTC).total);
}

// The hack (docs/custody.md, "Reconciliation"): 3 BTC leave the hot wallet without any withdrawal.
TEST_F(Reconciliation, AHotWalletLosingFundsHaltsItsWithdrawalsUntilTheOperatorsResolveIt) {
  d.ready("alice");
  observe(kHot, 5, 10 * kBtcUnit);
  EXPECT_NE(d.requested_id(d.request("alice", BTC, kBtcUnit / 10)), 0u) << "withdrawals run before the theft";

  auto ev = observe(kHot, 6, 7 * kBtcUnit);  // the approved withdrawal is not on chain yet
  const auto alert = of_kind(ev, EventKind::ReconciliationAlertRaised);
  ASSERT_EQ(alert.size(), 1u) << "the next complete observation reconciles and finds the shortfall";
  EXPECT_EQ(alert[0].asset, BTC);
  EXPECT_EQ(alert[0].quantity, -3 * kBtcUnit);
  const uint64_t id = alert[0].order_id;
  EXPECT_EQ(btc().open_alert, id);

  expect_refused([&] { return d.request("alice", BTC, kBtcUnit / 10); }, Error::WithdrawalsHalted, "withdrawals of BTC are halted");
  EXPECT_NE(d.requested_id(d.request("alice", SOL, 1'000'000'000)), 0u) << "another asset's withdrawals go on";

  // Still short at the next height: one alert, not a second.
  ev = observe(kHot, 7, 7 * kBtcUnit);
  EXPECT_TRUE(of_kind(ev, EventKind::ReconciliationAlertRaised).empty());

  expect_refused([&] { return role(op(1), ResolveReconciliationAlert{id, ""}); }, Error::InvalidArgument, "explanation");
  expect_refused([&] { return role(op(1), ResolveReconciliationAlert{id, "line\nbreak"}); }, Error::InvalidArgument, "explanation");
  expect_refused([&] { return role(custodian(1), ResolveReconciliationAlert{id, "refilled"}); }, Error::Unauthorized, "operators");
  expect_refused([&] { return role(op(1), ResolveReconciliationAlert{id + 1, "refilled"}); }, Error::OrderNotFound, "no open reconciliation alert");
  expect_refused([&] { return ex.run(op(1), ResolveReconciliationAlert{id, "refilled"}); }, Error::InvalidArgument, "timed role");

  // The operators refill the hot wallet from their own funds and explain it.
  observe(kHot, 8, 10 * kBtcUnit);
  EXPECT_EQ(i64(btc().discrepancy), 0);
  const std::string why = "hot wallet key leaked; 3 BTC refilled from the operating reserve at height 8, key rotated";
  ev = role(op(1), ResolveReconciliationAlert{id, why});
  ASSERT_EQ(of_kind(ev, EventKind::CustodyVote).size(), 1u) << ev[0].message;
  expect_refused([&] { return d.request("alice", BTC, kBtcUnit / 10); }, Error::WithdrawalsHalted, "alert 1");
  ev = role(op(2), ResolveReconciliationAlert{id, why});
  ASSERT_EQ(of_kind(ev, EventKind::ReconciliationAlertResolved).size(), 1u);
  EXPECT_EQ(ex.engine().custody().open_alert(BTC), nullptr);
  EXPECT_NE(d.requested_id(d.request("alice", BTC, kBtcUnit / 10)), 0u) << "withdrawals run again";
}

TEST_F(Reconciliation, AnUnexplainedSurplusRaisesAnAlertToo) {
  auto ev = observe(kHot, 5, 11 * kBtcUnit);
  const auto alert = of_kind(ev, EventKind::ReconciliationAlertRaised);
  ASSERT_EQ(alert.size(), 1u);
  EXPECT_EQ(alert[0].quantity, kBtcUnit);
}

TEST_F(Reconciliation, TransfersInFlightStayWithinTheBand) {
  d.ready("alice");
  const uint64_t id = d.requested_id(d.request("alice", BTC, kBtcUnit));
  role(custodian(1), BroadcastWithdrawal{id, "0xfeed"});
  // Broadcast, not settled: the wallet may hold it still (not mined) or not any more (mined).
  EXPECT_EQ(of_kind(observe(kHot, 5, 10 * kBtcUnit), EventKind::Reconciled)[0].quantity, 0);
  EXPECT_EQ(of_kind(observe(kHot, 6, 9 * kBtcUnit), EventKind::Reconciled)[0].quantity, 0);
  EXPECT_EQ(i64(btc().pending_withdrawals), kBtcUnit);
  // A deposit above the large-deposit limit, attested by one of the two watchers it needs: on chain,
  // not yet credited.
  ASSERT_EQ(of_kind(ex.deposit("bob", BTC, 25 * kBtcUnit), EventKind::DepositAttested).size(), 1u);
  EXPECT_EQ(i64(btc().pending_deposits), 25 * kBtcUnit);
  EXPECT_EQ(of_kind(observe(kHot, 7, 35 * kBtcUnit), EventKind::Reconciled)[0].quantity, 0);
  // Beyond the band: more than the deposit in flight on chain, and less than the withdrawal in flight missing.
  auto ev = observe(kHot, 8, 36 * kBtcUnit);
  ASSERT_EQ(of_kind(ev, EventKind::ReconciliationAlertRaised).size(), 1u);
  EXPECT_EQ(of_kind(ev, EventKind::ReconciliationAlertRaised)[0].quantity, kBtcUnit);
}

TEST_F(Reconciliation, AnAssetIsReconciledOnceEveryCustomerWalletIsObservedAtTheHeight) {
  register_wallet(kCold, BTC, WalletKind::CustomerCold);
  register_wallet(kOps, BTC, WalletKind::Operational);
  auto ev = observe(kHot, 5, 2 * kBtcUnit);
  EXPECT_TRUE(of_kind(ev, EventKind::Reconciled).empty()) << "the cold wallet is not observed yet";
  ev = observe(kOps, 5, 50 * kBtcUnit);
  EXPECT_TRUE(of_kind(ev, EventKind::Reconciled).empty()) << "an operational wallet backs no customer";
  ev = observe(kCold, 5, 8 * kBtcUnit);
  ASSERT_EQ(of_kind(ev, EventKind::Reconciled).size(), 1u);
  EXPECT_EQ(of_kind(ev, EventKind::Reconciled)[0].quantity, 0) << "hot + cold hold the 10 BTC; the operational wallet is apart";
  EXPECT_EQ(i64(btc().operational_wallets_balance), 50 * kBtcUnit);
  EXPECT_EQ(i64(btc().customer_wallets_balance), 10 * kBtcUnit);
  ev = observe(kHot, 6, 2 * kBtcUnit);
  EXPECT_TRUE(of_kind(ev, EventKind::Reconciled).empty()) << "the cold wallet is still at height 5";
}

TEST_F(Reconciliation, OnDemandAnOperatorOrAWatcherReconciles) {
  observe(kHot, 5, 10 * kBtcUnit);
  ex.deposit("alice", BTC, kBtcUnit);  // credited: the wallet's next observation will show it
  auto ev = role(op(3), Reconcile{});
  const auto rec = of_kind(ev, EventKind::Reconciled);
  ASSERT_EQ(rec.size(), 1u);
  EXPECT_EQ(rec[0].quantity, -kBtcUnit);
  ASSERT_EQ(of_kind(ev, EventKind::ReconciliationAlertRaised).size(), 1u);
  expect_refused([&] { return role(custodian(1), Reconcile{}); }, Error::Unauthorized, "operator or a chain watcher");
  expect_refused([&] { return ex.run(op(1), Reconcile{}); }, Error::InvalidArgument, "timed role");
}

class ReconciliationWithoutHalt : public CustodyTest {
 protected:
  ReconciliationWithoutHalt() : CustodyTest(false) { register_wallet(kHot, BTC, WalletKind::CustomerHot); }
};

TEST_F(ReconciliationWithoutHalt, TheAlertIsRaisedButWithdrawalsGoOn) {
  d.ready("alice");
  auto ev = observe(kHot, 5, 5 * kBtcUnit);
  ASSERT_EQ(of_kind(ev, EventKind::ReconciliationAlertRaised).size(), 1u);
  EXPECT_NE(d.requested_id(d.request("alice", BTC, kBtcUnit / 10)), 0u);
}

}  // namespace
}  // namespace glassbook::engine::testing
