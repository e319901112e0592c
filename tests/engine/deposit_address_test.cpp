// Deposit addresses recorded by a chain watcher: one per (account, asset, chain), an address given once,
// refusals that change nothing, replays refused, and the book in the snapshot and the state root.
#include <gtest/gtest.h>

#include "engine/command_codec.h"
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

class DepositAddresses : public ::testing::Test {
 protected:
  DepositAddresses() {
    ex.check_invariants_always();
    alice = ex.open("alice");
    bob = ex.open("bob");
  }
  std::vector<Event> record(AccountId account, AssetId asset, std::string chain, std::string address,
                            const crypto::KeyPair* signer = nullptr) {
    return ex.run(signer ? *signer : ex.watcher(),
                  timed(ex.now(), RecordDepositAddress{account, asset, std::move(chain), std::move(address)}));
  }
  // A refusal that says `why` and changes neither the state root nor the book.
  void expect_refused(const std::vector<Event>& ev, Error code, const std::string& why) {
    EXPECT_EQ(rejection(ev), code);
    EXPECT_NE(ex.engine().last_error().find(why), std::string::npos) << ex.engine().last_error();
  }
  Exchange ex;
  AccountId alice = 0, bob = 0;
};

const std::string kAddrA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const std::string kAddrB = "00000000000000000000000000000000000000b0";

TEST_F(DepositAddresses, AWatcherRecordsOnePerAccountAssetAndChain) {
  auto ev = record(alice, USDC, "Ethereum", kAddrA);
  ASSERT_EQ(of_kind(ev, EventKind::DepositAddressRecorded).size(), 1u);
  EXPECT_EQ(ev[0].account, alice);
  EXPECT_EQ(ev[0].asset, USDC);
  EXPECT_EQ(ev[0].order_id, 0u);
  const RecordDepositAddress* r = ex.engine().deposit_addresses().find(alice, USDC, "Ethereum");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->address, kAddrA);
  EXPECT_EQ(ex.engine().deposit_addresses().find(alice, USDC, "Solana"), nullptr);
  EXPECT_EQ(ex.engine().deposit_addresses().find(alice, BTC, "Ethereum"), nullptr);
  // Another asset, another chain, another account: each its own address.
  ASSERT_EQ(rejection(record(alice, USDC, "Solana", "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d")), Error::Ok);
  ASSERT_EQ(rejection(record(alice, BTC, "Ethereum", kAddrB)), Error::Ok);
  ASSERT_EQ(rejection(record(bob, USDC, "Ethereum", "00000000000000000000000000000000000000b1")), Error::Ok);
  EXPECT_EQ(ex.engine().deposit_addresses().of_account(alice).size(), 3u);
  EXPECT_EQ(ex.engine().deposit_addresses().of_account(alice, "Ethereum").size(), 2u);
  EXPECT_EQ(ex.engine().deposit_addresses().of_account(bob, "Ethereum").size(), 1u);
  EXPECT_EQ(ex.engine().deposit_addresses().chains(), (std::vector<std::string>{"Ethereum", "Solana"}));
}

TEST_F(DepositAddresses, ASecondAddressOrAnAddressGivenTwiceIsRefusedAndChangesNothing) {
  ASSERT_EQ(rejection(record(alice, USDC, "Ethereum", kAddrA)), Error::Ok);
  const auto root = ex.engine().state_root();
  expect_refused(record(alice, USDC, "Ethereum", kAddrB), Error::InvalidArgument, "already has deposit address " + kAddrA);
  expect_refused(record(bob, USDC, "Ethereum", kAddrA), Error::InvalidArgument, "is already the deposit address of account");
  // Nor to another asset of the same account, nor on another chain: the watcher credits what an
  // address receives as one asset of one account.
  expect_refused(record(alice, BTC, "Ethereum", kAddrA), Error::InvalidArgument, "already the deposit address");
  expect_refused(record(alice, USDC, "sim", kAddrA), Error::InvalidArgument, "already the deposit address");
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_EQ(ex.engine().deposit_addresses().size(), 1u);
}

TEST_F(DepositAddresses, BadInputIsRefusedWithItsReason) {
  const auto root = ex.engine().state_root();
  expect_refused(record(alice, USDC, "Ethereum", kAddrA, &ex.key("mallory")), Error::Unauthorized, "chain watcher");
  expect_refused(record(bob + 1, USDC, "Ethereum", kAddrA), Error::UnknownAccount, "unknown account");
  expect_refused(record(kInsuranceAccount, USDC, "Ethereum", kAddrA), Error::UnknownAccount, "unknown account");
  expect_refused(record(alice, 9, "Ethereum", kAddrA), Error::UnknownAsset, "unknown asset");
  expect_refused(record(alice, USDC, "", kAddrA), Error::InvalidArgument, "chain name");
  expect_refused(record(alice, USDC, "Ether eum", kAddrA), Error::InvalidArgument, "chain name");
  expect_refused(record(alice, USDC, "Ethereum", ""), Error::InvalidArgument, "deposit address must be");
  expect_refused(record(alice, USDC, "Ethereum", "0x" + kAddrA + "/"), Error::InvalidArgument, "deposit address must be");
  expect_refused(record(alice, USDC, "Ethereum", std::string(129, 'a')), Error::InvalidArgument, "deposit address must be");
  // Bare, without its signed time, it could be replayed: refused.
  expect_refused(ex.run(ex.watcher(), RecordDepositAddress{alice, USDC, "Ethereum", kAddrA}), Error::InvalidArgument,
                 "timed role command only");
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_TRUE(ex.engine().deposit_addresses().empty());
}

TEST_F(DepositAddresses, AReplayIsRefused) {
  const CommandBody body = timed(ex.now(), RecordDepositAddress{alice, USDC, "Ethereum", kAddrA});
  ASSERT_EQ(rejection(ex.run(ex.watcher(), body)), Error::Ok);
  EXPECT_EQ(rejection(ex.run(ex.watcher(), body)), Error::DuplicateRequest);
  ex.advance(2 * kRoleCommandWindowUs);
  EXPECT_EQ(rejection(ex.run(ex.watcher(), timed(ex.now() - 2 * kRoleCommandWindowUs,
                                                 RecordDepositAddress{bob, USDC, "Ethereum", kAddrB}))),
            Error::Expired);
  EXPECT_EQ(ex.engine().deposit_addresses().size(), 1u);
}

TEST_F(DepositAddresses, TheSignedBytesDecodeToTheSameRecord) {
  const CommandBody body = timed(5, RecordDepositAddress{alice, SOL, "Solana", "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"});
  auto decoded = decode_body(signing_bytes(body));
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  const auto& inner = std::get<RecordDepositAddress>(std::get<TimedRoleCommand>(*decoded).inner->body);
  EXPECT_EQ(inner.account, alice);
  EXPECT_EQ(inner.asset, SOL);
  EXPECT_EQ(inner.chain, "Solana");
  EXPECT_EQ(inner.address, "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d");
  // A chain name beyond 32 bytes does not even decode.
  std::string bytes = signing_bytes(RecordDepositAddress{alice, SOL, std::string(33, 'a'), "x"});
  EXPECT_FALSE(decode_body(bytes).is_ok());
}

TEST_F(DepositAddresses, TheBookIsInTheSnapshotAndTheStateRoot) {
  const auto empty_root = ex.engine().state_root();
  ASSERT_EQ(rejection(record(alice, USDC, "Ethereum", kAddrA)), Error::Ok);
  ASSERT_EQ(rejection(record(bob, BTC, "sim", kAddrB)), Error::Ok);
  EXPECT_NE(ex.engine().state_root(), empty_root);
  const std::string bytes = ex.engine().snapshot();
  auto restored = Engine::restore(bytes);
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  EXPECT_EQ((*restored)->state_root(), ex.engine().state_root());
  EXPECT_EQ((*restored)->snapshot(), bytes);
  ASSERT_NE((*restored)->deposit_addresses().find(bob, BTC, "sim"), nullptr);
  EXPECT_EQ((*restored)->deposit_addresses().find(bob, BTC, "sim")->address, kAddrB);
}

TEST_F(DepositAddresses, ASnapshotGivingAnAddressTwiceIsRefused) {
  ASSERT_EQ(rejection(record(alice, USDC, "Ethereum", kAddrA)), Error::Ok);
  ASSERT_EQ(rejection(record(bob, USDC, "Ethereum", kAddrB)), Error::Ok);
  std::string bytes = ex.engine().snapshot();
  // The withdrawals' section follows (an exchange that had none: 32 bytes), then the distributions'
  // (no estates: u32 0), the published liabilities roots (none: u64 0) and custody (no wallet, no
  // vote, the next alert id, no alert: 20 bytes); the last record's address is the 40 bytes before
  // them: make it the first record's.
  constexpr size_t kWithdrawals = 32 + 4 + 8 + 20;
  bytes.replace(bytes.size() - kWithdrawals - kAddrB.size(), kAddrB.size(), kAddrA);
  auto restored = Engine::restore(bytes);
  ASSERT_FALSE(restored.is_ok());
  EXPECT_EQ(restored.status().code(), Error::Corruption);
  EXPECT_NE(restored.status().message().find("already the deposit address"), std::string::npos) << restored.status().message();
  // An unknown account is refused too (bob's id is the last customer's: one beyond it is unknown).
  std::string unknown = ex.engine().snapshot();
  const size_t bob_record = unknown.size() - kWithdrawals - (4 + 2 + 4 + 8 + 4 + 40);
  ASSERT_EQ(static_cast<uint8_t>(unknown[bob_record]), static_cast<uint8_t>(bob & 0xFF));
  unknown[bob_record] = static_cast<char>((bob + 1) & 0xFF);
  restored = Engine::restore(unknown);
  ASSERT_FALSE(restored.is_ok());
  EXPECT_NE(restored.status().message().find("unknown account"), std::string::npos) << restored.status().message();
}

}  // namespace
}  // namespace glassbook::engine::testing
