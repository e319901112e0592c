// The hack over the simulated chain, attesting to the real engine: a customer hot wallet credited
// through the chain watcher, and a cold one, reconcile; funds stolen from it on chain (sim_steal) lower the balance
// the watcher reports at its next height, the engine's reconciliation raises an alert and refuses
// the asset's withdrawals until the operators resolve it.
#include <gtest/gtest.h>

#include "../engine/exchange_fixture.h"
#include "custody/chain_watcher.h"
#include "custody/sim_chain.h"
#include "custody/wallet_reporter.h"

namespace glassbook::custody {
namespace {

using engine::testing::BTC;
using engine::testing::Exchange;
using engine::testing::of_kind;

crypto::KeyPair role_key(const std::string& label) { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/hack/" + label)); }
const std::string kThief = "00000000000000000000000000000000000bad00";
const std::string kPayee = "00000000000000000000000000000000000e0001";
const std::string kCold = "000000000000000000000000000000000000c01d";

class HackedHotWallet : public ::testing::Test {
 protected:
  HackedHotWallet()
      : ex([](engine::ExchangeConfig& c) {
          c.chain_watchers = {{role_key("watcher").public_key()}, 1};
          c.operators = {{role_key("op1").public_key(), role_key("op2").public_key()}, 2};
          c.custodians = {{role_key("custodian").public_key()}, 1};
        }) {
    ex.check_invariants_always();
    alice = ex.open("alice");
    // Alice's deposit address is the customer hot wallet here: where her deposits land on chain.
    book = {derive_deposit_address(crypto::seed_from_label("test/deposit-root"), alice, "BTC")};
    const engine::RegisterWallet hot{chain.chain_id(), BTC, book[0].address, engine::WalletKind::CustomerHot,
                                     {role_key("custodian").public_key()}, 1};
    const engine::RegisterWallet cold{chain.chain_id(), BTC, kCold, engine::WalletKind::CustomerCold, {role_key("custodian").public_key()}, 1};
    for (const char* op : {"op1", "op2"}) role(role_key(op), hot);
    for (const char* op : {"op1", "op2"}) role(role_key(op), cold);
    EXPECT_EQ(ex.engine().custody().wallets().size(), 2u);
  }

  std::vector<engine::Event> role(const crypto::KeyPair& k, engine::CommandBody inner) {
    return ex.run(k, engine::timed(ex.now() + 1, std::move(inner)));
  }
  SubmitDeposit credit = [this](const CreditedDeposit& d) -> SubmitResult {
    const Error refused = engine::testing::rejection(ex.run(role_key("watcher"), engine::Deposit{d.account, BTC, d.amount, d.deposit_id}));
    return refused == Error::Ok ? SubmitResult{} : SubmitResult{SubmitOutcome::Refused, std::string(error_name(refused))};
  };
  // What the gateway does with a report: the engine's ObserveWalletBalance in a timed role command.
  std::vector<engine::Event> last_report;
  SubmitBalance report = [this](const WalletReport& r) -> SubmitResult {
    last_report = role(role_key("watcher"), engine::ObserveWalletBalance{chain.chain_id(), r.address, r.height, r.balance});
    const Error refused = engine::testing::rejection(last_report);
    return refused == Error::Ok ? SubmitResult{} : SubmitResult{SubmitOutcome::Refused, std::string(error_name(refused))};
  };
  std::vector<WatchedWallet> wallets() {
    std::vector<WatchedWallet> out;
    for (const auto& w : ex.engine().custody().wallets())
      out.push_back({w.wallet.address, "BTC", w.observed ? std::optional<uint64_t>(w.height) : std::nullopt});
    return out;
  }
  // One pass of the watcher: deposits, then the wallets at the height it has read up to.
  BalancePass pass(ChainWatcher& watcher) {
    auto p = watcher.poll(credit);
    EXPECT_TRUE(p) << p.status().to_string();
    auto b = report_wallet_balances(chain, wallets(), watcher.cursor().next_height - 1, report);
    EXPECT_TRUE(b) << b.status().to_string();
    return b ? *b : BalancePass{};
  }
  std::vector<engine::Event> withdraw(int64_t amount) {
    return ex.run(ex.key("alice"), engine::RequestWithdrawal{alice, BTC, amount, kPayee, "engine", 0});
  }

  Exchange ex;
  AccountId alice = 0;
  SimChain chain{SimChainOptions{"engine", 1, 10}};
  std::vector<DepositAddress> book;
};

TEST_F(HackedHotWallet, TheTheftRaisesAnAlertAndHaltsWithdrawalsUntilResolved) {
  auto created = ChainWatcher::create(chain, book, ChainWatcherOptions{chain.chain_id(), 2, 1000}, WatchCursor{});
  ASSERT_TRUE(created);
  ChainWatcher watcher = std::move(created).value();
  ASSERT_TRUE(chain.faucet(book[0].address, "BTC", 70'000));
  ASSERT_TRUE(chain.mine(2));
  BalancePass p = pass(watcher);
  ASSERT_EQ(p.accepted.size(), 2u) << "the hot and the cold wallet, at the same height";
  EXPECT_EQ(ex.balance("alice", BTC).total, 70'000);
  ASSERT_EQ(of_kind(last_report, engine::EventKind::Reconciled).size(), 1u);
  EXPECT_EQ(of_kind(last_report, engine::EventKind::Reconciled)[0].quantity, 0);
  EXPECT_TRUE(pass(watcher).accepted.empty()) << "nothing new to report at the same height";

  ex.run(ex.key("alice"), engine::AddWithdrawalAddress{alice, kPayee});
  EXPECT_FALSE(of_kind(withdraw(1'000), engine::EventKind::WithdrawalRequested).empty());

  // The theft: 30,000 leave the hot wallet without its key.
  ASSERT_TRUE(chain.steal(book[0].address, kThief, "BTC", 30'000));
  ASSERT_TRUE(chain.mine(2));
  p = pass(watcher);
  ASSERT_EQ(p.accepted.size(), 2u);
  EXPECT_EQ(p.accepted[0].balance, 40'000);
  const auto alert = of_kind(last_report, engine::EventKind::ReconciliationAlertRaised);
  ASSERT_EQ(alert.size(), 1u) << "the watcher's next report reconciles and finds the shortfall";
  EXPECT_EQ(alert[0].quantity, -30'000);

  auto refused = withdraw(1'000);
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].error, Error::WithdrawalsHalted) << refused[0].message;

  const std::string why = "hot wallet drained by a leaked key; refilled from the operating reserve, key rotated";
  ASSERT_TRUE(chain.faucet(kCold, "BTC", 30'000));  // the refill, into the cold wallet (from the operators' own funds)
  ASSERT_TRUE(chain.mine(2));
  pass(watcher);
  EXPECT_EQ(of_kind(last_report, engine::EventKind::Reconciled)[0].quantity, 0);
  for (const char* op : {"op1", "op2"}) role(role_key(op), engine::ResolveReconciliationAlert{alert[0].order_id, why});
  EXPECT_EQ(ex.engine().custody().open_alert(BTC), nullptr);
  EXPECT_FALSE(of_kind(withdraw(1'000), engine::EventKind::WithdrawalRequested).empty()) << "withdrawals run again";
}

}  // namespace
}  // namespace glassbook::custody
