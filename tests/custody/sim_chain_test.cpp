// The simulated chain: blocks and confirmations, fees, signatures, idempotent sends, reorgs, save and restore.
#include "custody/sim_chain.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "custody/sim_chain_file.h"
#include "custody/sim_keys.h"

namespace glassbook::custody {
namespace {

crypto::KeyPair key(const char* label) { return crypto::KeyPair::from_seed(crypto::seed_from_label(label)); }

struct SimChainTest : ::testing::Test {
  SimChain chain{SimChainOptions{"test", 7, 10}};
  crypto::KeyPair alice = key("test/alice");
  Address alice_addr = address_of(alice.public_key());
  Address bob_addr = address_of(key("test/bob").public_key());

  void fund_alice(int64_t amount) {
    ASSERT_TRUE(chain.faucet(alice_addr, "BTC", amount));
    ASSERT_TRUE(chain.mine(1));
  }
  SignedTransfer transfer(int64_t amount, int64_t fee, uint64_t client_id) {
    return sign_transfer(chain.chain_id(), alice, bob_addr, "BTC", amount, fee, client_id);
  }
};

TEST_F(SimChainTest, AddressIsFortyHexDigitsOfTheKeyHash) {
  EXPECT_TRUE(is_address(alice_addr));
  EXPECT_NE(alice_addr, bob_addr);
  EXPECT_EQ(alice_addr, address_of(key("test/alice").public_key()));
  EXPECT_FALSE(is_address("ABCDEF0123456789abcdef0123456789abcdef01"));
  EXPECT_FALSE(is_address(alice_addr.substr(1)));
}

TEST_F(SimChainTest, BlocksLinkAndConfirmationsCountFromTheTip) {
  EXPECT_EQ(chain.tip()->height, 0u);
  auto id = chain.faucet(alice_addr, "BTC", 500);
  ASSERT_TRUE(id);
  EXPECT_EQ(chain.status(*id)->state, TxState::Pending);
  EXPECT_EQ(*chain.balance(alice_addr, "BTC", 0), 0);
  auto b1 = chain.mine(1);
  ASSERT_TRUE(b1);
  EXPECT_EQ(b1->height, 1u);
  EXPECT_EQ(b1->parent_hash, chain.block(0)->hash);
  EXPECT_EQ(chain.status(*id)->state, TxState::Confirmed);
  EXPECT_EQ(chain.status(*id)->confirmations, 1u);
  ASSERT_TRUE(chain.mine(5));
  EXPECT_EQ(chain.status(*id)->confirmations, 6u);
  EXPECT_EQ(chain.status(*id)->height, 1u);
  EXPECT_EQ(*chain.balance(alice_addr, "BTC", 6), 500);
  EXPECT_EQ(*chain.balance(alice_addr, "BTC", 0), 0);
  EXPECT_EQ(chain.status(std::string(64, 'a'))->state, TxState::Unknown);
  EXPECT_FALSE(chain.block(7));
  EXPECT_FALSE(chain.mine(0));
}

TEST_F(SimChainTest, TheSameSeedMakesTheSameChainAndAnotherSeedAnother) {
  SimChain twin(SimChainOptions{"test", 7, 10});
  SimChain other(SimChainOptions{"test", 8, 10});
  for (SimChain* c : {&chain, &twin, &other}) {
    ASSERT_TRUE(c->faucet(alice_addr, "BTC", 5));
    ASSERT_TRUE(c->mine(3));
  }
  EXPECT_EQ(chain.tip()->hash, twin.tip()->hash);
  EXPECT_NE(chain.tip()->hash, other.tip()->hash);
}

TEST_F(SimChainTest, TransferPaysItsFeeAndIsSeenAsATransferToTheAddress) {
  fund_alice(1000);
  auto id = chain.send(transfer(300, 10, 1));
  ASSERT_TRUE(id) << id.status().to_string();
  ASSERT_TRUE(chain.mine(1));
  EXPECT_EQ(*chain.balance(alice_addr, "BTC", 2), 690);
  EXPECT_EQ(*chain.balance(bob_addr, "BTC", 2), 300);
  EXPECT_EQ(*chain.balance(SimChain::kFeeAddress, "BTC", 2), 10);
  EXPECT_EQ(*chain.balance(alice_addr, "BTC", 1), 1000);  // a past height replays the blocks up to it
  auto seen = chain.transfers_to({bob_addr}, 0, 2);
  ASSERT_TRUE(seen);
  ASSERT_EQ(seen->size(), 1u);
  EXPECT_EQ((*seen)[0].tx_id, *id);
  EXPECT_EQ((*seen)[0].from, alice_addr);
  EXPECT_EQ((*seen)[0].amount, 300);
  EXPECT_EQ((*seen)[0].height, 2u);
  EXPECT_EQ((*seen)[0].block_hash, chain.block(2)->hash);
  EXPECT_TRUE(chain.transfers_to({bob_addr}, 0, 1)->empty());
  EXPECT_FALSE(chain.transfers_to({bob_addr}, 0, 3));      // above the tip
  EXPECT_FALSE(chain.transfers_to({"not-an-address"}, 0, 1));
}

TEST_F(SimChainTest, FeeBelowTheMinimumAndOverspendingAreRefused) {
  fund_alice(1000);
  auto low = chain.send(transfer(100, 9, 1));
  EXPECT_EQ(low.code(), Error::InvalidArgument);
  EXPECT_NE(low.status().message().find("below the chain's minimum 10"), std::string::npos);
  ASSERT_TRUE(chain.send(transfer(600, 10, 2)));
  // The first pending transfer already spends 610: 391 more is more than what is left.
  auto over = chain.send(transfer(381, 10, 3));
  EXPECT_EQ(over.code(), Error::InsufficientFunds);
  EXPECT_TRUE(chain.send(transfer(380, 10, 3)));
  EXPECT_EQ(chain.send(transfer(0, 10, 4)).code(), Error::InvalidQuantity);
}

TEST_F(SimChainTest, NothingMovesWithoutTheSendersKey) {
  fund_alice(1000);
  SignedTransfer forged = transfer(100, 10, 1);
  forged.amount = 900;  // altered after signing
  EXPECT_EQ(chain.send(forged).code(), Error::InvalidSignature);
  // Signed by another key claiming alice's public key.
  SignedTransfer wrong = sign_transfer(chain.chain_id(), key("test/mallory"), bob_addr, "BTC", 100, 10, 1);
  wrong.public_key = crypto::base64_encode(alice.public_key());
  EXPECT_EQ(chain.send(wrong).code(), Error::InvalidSignature);
  // Signed for another chain.
  SignedTransfer elsewhere = sign_transfer("test/8", alice, bob_addr, "BTC", 100, 10, 1);
  EXPECT_EQ(chain.send(elsewhere).code(), Error::InvalidSignature);
  EXPECT_TRUE(chain.mempool().empty());
  EXPECT_EQ(*chain.balance(alice_addr, "BTC", 1), 1000);
}

TEST_F(SimChainTest, SendingTheSameTransferAgainIsIdempotentAndAnotherUnderItsIdIsRefused) {
  fund_alice(1000);
  const SignedTransfer t = transfer(100, 10, 42);
  auto first = chain.send(t);
  ASSERT_TRUE(first);
  auto again = chain.send(t);  // a retry while pending
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *first);
  EXPECT_EQ(chain.mempool().size(), 1u);
  ASSERT_TRUE(chain.mine(1));
  auto after = chain.send(t);  // a retry after it was mined
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, *first);
  EXPECT_TRUE(chain.mempool().empty());
  EXPECT_EQ(*chain.balance(bob_addr, "BTC", 2), 100);
  auto other = chain.send(transfer(200, 10, 42));
  EXPECT_EQ(other.code(), Error::InvalidArgument);
  EXPECT_NE(other.status().message().find("already names another transfer"), std::string::npos);
}

TEST_F(SimChainTest, ATransferWhoseFundingAReorgDroppedFailsWhenMinedAndMovesNothing) {
  fund_alice(1000);  // block 1
  auto id = chain.send(transfer(900, 10, 1));
  ASSERT_TRUE(id);
  // The block that funded alice is replaced by blocks without it; the pending transfer is mined in
  // the first of them and can no longer pay.
  ASSERT_TRUE(chain.reorg(1, true));
  auto s = chain.status(*id);
  EXPECT_EQ(s->state, TxState::Failed);
  EXPECT_EQ(s->height, 1u);
  EXPECT_NE(s->reason.find("no longer holds 910 BTC"), std::string::npos) << s->reason;
  EXPECT_EQ(*chain.balance(bob_addr, "BTC", 2), 0);
  EXPECT_EQ(*chain.balance(SimChain::kFeeAddress, "BTC", 2), 0);
}

TEST_F(SimChainTest, StealTakesFundsWithoutAKeyButOnlyWhatIsThere) {
  fund_alice(1000);
  ASSERT_TRUE(chain.steal(alice_addr, bob_addr, "BTC", 990));
  auto late = chain.send(transfer(50, 10, 2));
  EXPECT_EQ(late.code(), Error::InsufficientFunds);  // the pending theft already spends it
  ASSERT_TRUE(chain.mine(1));
  EXPECT_EQ(*chain.balance(alice_addr, "BTC", 2), 10);
  EXPECT_EQ(*chain.balance(bob_addr, "BTC", 2), 990);
}

TEST_F(SimChainTest, StealOfMoreThanIsLeftIsRefused) {
  fund_alice(100);
  auto t = chain.send(transfer(90, 10, 1));
  ASSERT_TRUE(t);
  EXPECT_EQ(chain.steal(alice_addr, bob_addr, "BTC", 1).code(), Error::InsufficientFunds);
}

TEST_F(SimChainTest, ReorgReplacesTheNewestBlocksAndReturnsTheirTransactions) {
  fund_alice(1000);  // block 1
  ASSERT_TRUE(chain.mine(2));
  auto deposit = chain.faucet(bob_addr, "BTC", 77);
  ASSERT_TRUE(deposit);
  ASSERT_TRUE(chain.mine(1));  // block 4
  ASSERT_TRUE(chain.mine(1));
  const BlockHash old4 = chain.block(4)->hash, old3 = chain.block(3)->hash;
  auto tip = chain.reorg(2, false);
  ASSERT_TRUE(tip);
  EXPECT_EQ(tip->height, 6u);  // two removed, three mined
  EXPECT_EQ(chain.block(3)->hash, old3);
  EXPECT_NE(chain.block(4)->hash, old4);
  EXPECT_EQ(chain.block(4)->parent_hash, old3);
  // The deposit is back, in the first new block.
  EXPECT_EQ(chain.status(*deposit)->state, TxState::Confirmed);
  EXPECT_EQ(chain.status(*deposit)->height, 4u);
  EXPECT_EQ(*chain.balance(bob_addr, "BTC", 6), 77);
}

TEST_F(SimChainTest, ReorgThatDropsTransactionsUndoesTheirEffect) {
  fund_alice(1000);
  auto deposit = chain.faucet(bob_addr, "BTC", 77);
  ASSERT_TRUE(deposit);
  ASSERT_TRUE(chain.mine(3));
  EXPECT_EQ(*chain.balance(bob_addr, "BTC", 4), 77);
  ASSERT_TRUE(chain.reorg(3, true));
  EXPECT_EQ(chain.tip()->height, 5u);
  EXPECT_EQ(chain.status(*deposit)->state, TxState::Unknown);
  EXPECT_EQ(*chain.balance(bob_addr, "BTC", 5), 0);
  EXPECT_TRUE(chain.transfers_to({bob_addr}, 0, 5)->empty());
  EXPECT_FALSE(chain.reorg(6, false));  // genesis stays
  EXPECT_FALSE(chain.reorg(0, false));
}

TEST_F(SimChainTest, SaveAndRestoreKeepTheWholeChain) {
  fund_alice(1000);
  ASSERT_TRUE(chain.send(transfer(100, 10, 1)));
  ASSERT_TRUE(chain.mine(2));
  ASSERT_TRUE(chain.send(transfer(50, 10, 2)));  // still pending when saved
  const std::string path = testing::TempDir() + "/sim-chain-state";
  ASSERT_TRUE(save_sim_chain(chain, path));
  auto loaded = load_sim_chain(path);
  ASSERT_TRUE(loaded) << loaded.status().to_string();
  SimChain restored = std::move(loaded).value();
  EXPECT_EQ(restored.encode(), chain.encode());
  EXPECT_EQ(restored.tip()->hash, chain.tip()->hash);
  EXPECT_EQ(restored.mempool().size(), 1u);
  // Both go on the same way: the restored chain is the chain.
  ASSERT_TRUE(chain.mine(1));
  ASSERT_TRUE(restored.mine(1));
  EXPECT_EQ(restored.tip()->hash, chain.tip()->hash);
  EXPECT_EQ(*restored.balance(bob_addr, "BTC", 4), 150);
  std::filesystem::remove(path);
}

TEST_F(SimChainTest, AnAlteredStateFileIsRefused) {
  fund_alice(1000);
  ASSERT_TRUE(chain.send(transfer(100, 10, 1)));
  ASSERT_TRUE(chain.mine(1));
  std::string bytes = chain.encode();
  // Raise the transfer's amount inside the file: its signature and its block's hash no longer match.
  const std::string amount(reinterpret_cast<const char*>("\x64\0\0\0\0\0\0\0"), 8);
  const size_t at = bytes.rfind(amount);
  ASSERT_NE(at, std::string::npos);
  bytes[at] = '\x65';
  auto altered = SimChain::decode(bytes);
  EXPECT_EQ(altered.code(), Error::Corruption);
  EXPECT_NE(altered.status().message().find("not signed by its sender"), std::string::npos) << altered.status().message();
  EXPECT_EQ(SimChain::decode(bytes.substr(0, bytes.size() - 3)).code(), Error::Corruption);
  EXPECT_EQ(SimChain::decode("nonsense").code(), Error::Corruption);
  EXPECT_EQ(load_sim_chain(testing::TempDir() + "/no-such-chain").code(), Error::Io);
}

}  // namespace
}  // namespace glassbook::custody
