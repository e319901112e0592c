// The chain watcher's settlement of broadcast withdrawals over the simulated chain: confirmed only at
// its confirmations, failed (the funding reorganised away) at the same depth, once per watcher.
#include "custody/withdrawal_settler.h"

#include <gtest/gtest.h>

#include "custody/sim_chain.h"
#include "custody/sim_keys.h"

namespace glassbook::custody {
namespace {

const crypto::KeyPair kWallet = crypto::KeyPair::from_seed(crypto::seed_from_label("test/hot-wallet"));
const Address kUser = address_of(crypto::KeyPair::from_seed(crypto::seed_from_label("test/user")).public_key());
const std::string kWatcher = "d2F0Y2hlcg==";

struct SettlerTest : ::testing::Test {
  SimChain chain{SimChainOptions{"sim", 1, 10}};
  std::vector<std::pair<uint64_t, bool>> attested;
  SubmitSettlement submit = [this](const OpenWithdrawal& w, bool confirmed) {
    attested.push_back({w.id, confirmed});
    return SubmitResult{};
  };
  const SettlerOptions options{"sim", kWatcher, 3};

  OpenWithdrawal broadcast(uint64_t id, int64_t amount) {
    auto tx = chain.send(sign_transfer(chain.chain_id(), kWallet, kUser, "BTC", amount, 10, id));
    EXPECT_TRUE(tx) << tx.status().to_string();
    OpenWithdrawal w;
    w.id = id;
    w.asset = "BTC";
    w.amount = amount;
    w.address = kUser;
    w.blockchain = "sim";
    w.step = WithdrawalStep::Broadcast;
    w.tx_id = tx ? *tx : "";
    return w;
  }
  SettlePass settle(const std::vector<OpenWithdrawal>& open) {
    auto p = settle_withdrawals(chain, open, options, submit);
    EXPECT_TRUE(p) << p.status().to_string();
    return p ? std::move(p).value() : SettlePass{};
  }
};

TEST_F(SettlerTest, AConfirmedTransferIsAttestedAtTheConfirmationsOnly) {
  ASSERT_TRUE(chain.faucet(address_of(kWallet.public_key()), "BTC", 100'000));
  ASSERT_TRUE(chain.mine(1));
  const OpenWithdrawal w = broadcast(7, 5'000);
  EXPECT_TRUE(settle({w}).confirmed.empty());  // pending
  ASSERT_TRUE(chain.mine(2));                  // two confirmations
  EXPECT_TRUE(settle({w}).confirmed.empty());
  ASSERT_TRUE(chain.mine(1));
  SettlePass p = settle({w});
  ASSERT_EQ(p.confirmed.size(), 1u);
  EXPECT_EQ(attested, (std::vector<std::pair<uint64_t, bool>>{{7, true}}));
  // Attested by this watcher (the list says so): not sent again; another chain's are not ours.
  OpenWithdrawal done = w;
  done.confirmed_by = {kWatcher};
  OpenWithdrawal elsewhere = w;
  elsewhere.id = 8;
  elsewhere.blockchain = "Ethereum";
  settle({done, elsewhere});
  EXPECT_EQ(attested.size(), 1u);
}

TEST_F(SettlerTest, ATransferWhoseFundingWasReorganisedAwayIsAttestedFailedAtTheSameDepth) {
  ASSERT_TRUE(chain.faucet(address_of(kWallet.public_key()), "BTC", 100'000));
  ASSERT_TRUE(chain.mine(1));
  const OpenWithdrawal w = broadcast(3, 5'000);  // waiting in the mempool
  ASSERT_TRUE(chain.reorg(1, true));              // the wallet's funding is gone; the transfer is mined and fails
  auto s = chain.status(w.tx_id);
  ASSERT_EQ(s->state, TxState::Failed);
  EXPECT_EQ(s->height, 1u);
  EXPECT_EQ(chain.tip()->height, 2u);  // two deep: not yet
  EXPECT_TRUE(settle({w}).failed.empty());
  EXPECT_TRUE(attested.empty());
  ASSERT_TRUE(chain.mine(1));
  SettlePass p = settle({w});
  ASSERT_EQ(p.failed.size(), 1u);
  EXPECT_NE(p.failed[0].second.find("no longer holds"), std::string::npos) << p.failed[0].second;
  EXPECT_EQ(attested, (std::vector<std::pair<uint64_t, bool>>{{3, false}}));
}

TEST_F(SettlerTest, AnUnreachableExchangeStopsThePassAndAnUnknownTransactionWaits) {
  ASSERT_TRUE(chain.faucet(address_of(kWallet.public_key()), "BTC", 100'000));
  ASSERT_TRUE(chain.mine(1));
  OpenWithdrawal a = broadcast(1, 100), b = broadcast(2, 100);
  ASSERT_TRUE(chain.mine(3));
  OpenWithdrawal unknown = a;
  unknown.id = 3;
  unknown.tx_id = std::string(64, 'a');
  int calls = 0;
  auto p = settle_withdrawals(chain, {unknown, a, b}, options, [&](const OpenWithdrawal&, bool) {
    ++calls;
    return SubmitResult{SubmitOutcome::Unreachable, "connection refused"};
  });
  ASSERT_TRUE(p);
  EXPECT_FALSE(p->stalled.empty());
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace glassbook::custody
