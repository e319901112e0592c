// Chain watchers over the simulated chain, attesting to the real engine: two watchers of a 2-of-2
// threshold derive the same deposit id, so the deposit is credited when the second attests, and a
// watcher that sends it again (a lost cursor, a restart) is refused and changes nothing.
#include <gtest/gtest.h>

#include "../engine/exchange_fixture.h"
#include "custody/chain_watcher.h"
#include "custody/sim_chain.h"

namespace glassbook::custody {
namespace {

using engine::testing::BTC;
using engine::testing::Exchange;

crypto::KeyPair watcher_key(int i) { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/chain-watcher/" + std::to_string(i))); }

class WatchersAndEngine : public ::testing::Test {
 protected:
  // Two chain watchers, both needed for every deposit (no asset has a large-deposit limit).
  WatchersAndEngine()
      : ex([](engine::ExchangeConfig& c) {
          c.chain_watchers = {{watcher_key(1).public_key(), watcher_key(2).public_key()}, 2};
          c.governance.large_deposit = {};
        }) {
    ex.check_invariants_always();
    alice = ex.open("alice");
    book = {derive_deposit_address(crypto::seed_from_label("test/deposit-root"), alice, "BTC")};
  }

  // What the gateway does with an attestation, on the engine itself: sign, verify, apply.
  SubmitDeposit submit_as(int watcher) {
    return [this, watcher](const CreditedDeposit& d) -> SubmitResult {
      auto ev = ex.run(watcher_key(watcher), engine::Deposit{d.account, BTC, d.amount, d.deposit_id});
      const Error refused = engine::testing::rejection(ev);
      if (refused == Error::Ok) return {SubmitOutcome::Accepted, ""};
      if (refused == Error::DuplicateDeposit) return {SubmitOutcome::AlreadyCredited, ""};
      return {SubmitOutcome::Refused, std::string(error_name(refused))};
    };
  }
  ChainWatcher watcher(WatchCursor cursor = {}) {
    auto w = ChainWatcher::create(chain, book, ChainWatcherOptions{chain.chain_id(), 2, 1000}, std::move(cursor));
    EXPECT_TRUE(w);
    return std::move(w).value();
  }

  Exchange ex;
  AccountId alice = 0;
  SimChain chain{SimChainOptions{"engine", 1, 10}};
  std::vector<DepositAddress> book;
};

TEST_F(WatchersAndEngine, TheSecondWatcherCreditsAndARepeatIsRefused) {
  ChainWatcher first = watcher(), second = watcher();
  const WatchCursor fresh = first.cursor();
  ASSERT_TRUE(chain.faucet(book[0].address, "BTC", 70'000));
  ASSERT_TRUE(chain.mine(2));

  auto p1 = first.poll(submit_as(1));
  ASSERT_TRUE(p1);
  ASSERT_EQ(p1->accepted.size(), 1u);
  EXPECT_EQ(ex.balance("alice", BTC).total, 0) << "one watcher of two credited a deposit";
  ASSERT_EQ(ex.engine().pending_deposits().all().size(), 1u);

  auto p2 = second.poll(submit_as(2));
  ASSERT_TRUE(p2);
  ASSERT_EQ(p2->accepted.size(), 1u);
  EXPECT_EQ(p2->accepted[0].deposit_id, p1->accepted[0].deposit_id);
  EXPECT_EQ(ex.balance("alice", BTC).total, 70'000);
  EXPECT_TRUE(ex.engine().deposit_credited(p1->accepted[0].deposit_id));

  // Each watcher restarted without its cursor sends the deposit again: refused, nothing changes.
  const auto root = ex.engine().state_root();
  for (int w : {1, 2}) {
    ChainWatcher again = watcher(fresh);
    auto p = again.poll(submit_as(w));
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->accepted.empty());
    EXPECT_EQ(p->already_credited.size(), 1u);
  }
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_EQ(ex.balance("alice", BTC).total, 70'000);
}

}  // namespace
}  // namespace glassbook::custody
