// The exchange's wallets registered by the operators' m of n: what a registration needs, every bad
// one refused with its reason and the state root unchanged, the wallets kept by snapshots, and no
// path from a customer's funds to an exchange wallet other than a deposit. Invariants and the cached
// state root are checked after every command.
#include <gtest/gtest.h>

#include "custody_fixture.h"
#include "engine/command_codec.h"
#include "engine/config_codec.h"

namespace glassbook::engine::testing {
namespace {

class Wallets : public CustodyTest {};

TEST_F(Wallets, AWalletIsRegisteredAtTheOperatorsThreshold) {
  const RegisterWallet w = wallet(kHot, BTC, WalletKind::CustomerHot);
  auto ev = role(op(1), w);
  ASSERT_EQ(ev.size(), 1u) << ev[0].message;
  EXPECT_EQ(ev[0].kind, EventKind::CustodyVote);
  EXPECT_EQ(ev[0].client_id, 1u);
  EXPECT_EQ(ev[0].remaining, 2);
  EXPECT_TRUE(ex.engine().custody().wallets().empty()) << "one operator alone registered it";

  ev = role(op(2), w);
  ASSERT_EQ(of_kind(ev, EventKind::WalletRegistered).size(), 1u);
  ASSERT_EQ(ex.engine().custody().wallets().size(), 1u);
  const WalletRecord& r = ex.engine().custody().wallets()[0];
  EXPECT_EQ(r.wallet, w);
  EXPECT_FALSE(r.observed);
  EXPECT_TRUE(ex.engine().custody().votes().empty()) << "the votes of a registered wallet are dropped";
}

TEST_F(Wallets, BadRegistrationsAreRefusedAndChangeNothing) {
  register_wallet(kHot, BTC, WalletKind::CustomerHot);
  expect_refused([&] { return ex.run(op(1), wallet(kCold, BTC, WalletKind::CustomerCold)); }, Error::InvalidArgument, "timed role command");
  expect_refused([&] { return role(custodian(1), wallet(kCold, BTC, WalletKind::CustomerCold)); }, Error::Unauthorized, "operators");
  expect_refused([&] { return role(op(1), wallet(kHot, BTC, WalletKind::CustomerCold)); }, Error::InvalidArgument, "already registered");
  expect_refused([&] { return role(op(1), wallet(kCold, 77, WalletKind::CustomerCold)); }, Error::UnknownAsset, "unknown asset 77");
  RegisterWallet zero = wallet(kCold, BTC, WalletKind::CustomerCold);
  zero.threshold = 0;
  expect_refused([&] { return role(op(1), zero); }, Error::InvalidArgument, "threshold 0 outside 1..3");
  RegisterWallet above = wallet(kCold, BTC, WalletKind::CustomerCold);
  above.threshold = 4;
  expect_refused([&] { return role(op(1), above); }, Error::InvalidArgument, "threshold 4 outside 1..3");
  RegisterWallet stranger = wallet(kCold, BTC, WalletKind::CustomerCold);
  stranger.signers[2] = ex.key("alice").public_key();
  expect_refused([&] { return role(op(1), stranger); }, Error::InvalidArgument, "must be one of the custodians");
  RegisterWallet twice = wallet(kCold, BTC, WalletKind::CustomerCold);
  twice.signers[2] = twice.signers[0];
  expect_refused([&] { return role(op(1), twice); }, Error::InvalidArgument, "named twice");
  RegisterWallet none = wallet(kCold, BTC, WalletKind::CustomerCold);
  none.signers.clear();
  expect_refused([&] { return role(op(1), none); }, Error::InvalidArgument, "1..16 signers");
  RegisterWallet spaced = wallet("bad address", BTC, WalletKind::CustomerCold);
  expect_refused([&] { return role(op(1), spaced); }, Error::InvalidArgument, "printable ASCII");

  const RegisterWallet cold = wallet(kCold, BTC, WalletKind::CustomerCold);
  ASSERT_EQ(of_kind(role(op(1), cold), EventKind::CustodyVote).size(), 1u);
  expect_refused([&] { return role(op(1), cold); }, Error::InvalidArgument, "already voted");
  EXPECT_EQ(ex.engine().custody().wallets().size(), 1u);
}

TEST_F(Wallets, TheCommandsDecodeToWhatWasSigned) {
  const RegisterWallet w = wallet(kHot, BTC, WalletKind::Operational);
  for (const CommandBody& body : {CommandBody(w), CommandBody(ObserveWalletBalance{"sim", kHot, 42, 1234}), CommandBody(Reconcile{}),
                                  CommandBody(ResolveReconciliationAlert{7, "refilled from cold storage"})}) {
    const std::string bytes = signing_bytes(body);
    auto back = decode_body(bytes);
    ASSERT_TRUE(back) << back.status().to_string();
    EXPECT_EQ(back->index(), body.index());
    EXPECT_EQ(signing_bytes(*back), bytes);
  }
  EXPECT_EQ(std::get<RegisterWallet>(*decode_body(signing_bytes(w))), w);
  std::string bad_kind = signing_bytes(w);
  // The kind byte follows chain (4 + 3), asset (2) and address (4 + 40) after the tag and kind byte.
  const size_t at = kCommandDomainTag.size() + 1 + 4 + 3 + 2 + 4 + std::string(kHot).size();
  ASSERT_EQ(bad_kind[at], 2);
  bad_kind[at] = 3;
  EXPECT_FALSE(decode_body(bad_kind)) << "a wallet kind beyond operational";
}

TEST_F(Wallets, ASnapshotKeepsTheWalletsVotesAndAlerts) {
  register_wallet(kHot, BTC, WalletKind::CustomerHot);
  register_wallet(kOps, BTC, WalletKind::Operational);
  ASSERT_EQ(of_kind(role(op(1), wallet(kCold, BTC, WalletKind::CustomerCold)), EventKind::CustodyVote).size(), 1u);
  observe(kHot, 3, 7 * kBtcUnit);  // 3 BTC short of alice's 10: an alert
  ASSERT_NE(ex.engine().custody().open_alert(BTC), nullptr);
  const std::string bytes = ex.engine().snapshot();
  auto restored = Engine::restore(bytes);
  ASSERT_TRUE(restored) << restored.status().to_string();
  EXPECT_EQ((*restored)->state_root(), ex.engine().state_root());
  EXPECT_EQ((*restored)->snapshot(), bytes);
  EXPECT_EQ((*restored)->custody().wallets().size(), 2u);
  EXPECT_EQ((*restored)->custody().votes().size(), 1u);
  ASSERT_NE((*restored)->custody().open_alert(BTC), nullptr);
  EXPECT_FALSE(Engine::restore(bytes.substr(0, bytes.size() - 3))) << "a cut custody section";
}

TEST_F(Wallets, AnEmptyCustodyLeavesTheStateRootAsBefore) {
  // Nothing registered: the root hashes no custody section, and a refused registration adds none.
  const crypto::Digest before = ex.engine().state_root();
  EXPECT_TRUE(ex.engine().custody().empty());
  role(custodian(1), wallet(kHot, BTC, WalletKind::CustomerHot));
  EXPECT_EQ(ex.engine().state_root(), before);
}

// FTX's customer deposits reached the operating company's accounts. Here no command sends customer
// value to one of the exchange's wallets: the withdrawal path, the only one out of a customer
// account, refuses an exchange wallet as its destination, whether allow-listed before the wallet was
// registered or after.
TEST_F(Wallets, NoCommandMovesCustomerValueToAnOperationalWallet) {
  ASSERT_EQ(of_kind(d.add_address("alice", kOps), EventKind::WithdrawalAddressAdded).size(), 1u);
  register_wallet(kOps, BTC, WalletKind::Operational);
  register_wallet(kHot, BTC, WalletKind::CustomerHot);
  expect_refused([&] { return d.request("alice", BTC, kBtcUnit / 2, kOps); }, Error::InvalidArgument, "exchange's own wallets");
  expect_refused([&] { return d.add_address("alice", kHot); }, Error::InvalidArgument, "operational one only through the fee sweep");
  expect_refused([&] { return d.add_address("bob", kOps); }, Error::InvalidArgument, "exchange's own wallets");
  // The same request to the customer's own address passes.
  d.ready("alice");
  EXPECT_NE(d.requested_id(d.request("alice", BTC, kBtcUnit / 2)), 0u);
}

}  // namespace
}  // namespace glassbook::engine::testing

namespace glassbook::engine::testing {
namespace {

// Custody's rules are tagged section 7 of the binary configuration, written only when not the
// default (halting on), so every configuration written before keeps its bytes and its roots.
TEST(CustodyConfig, TheSectionIsWrittenOnlyWhenItDiffersFromTheDefault) {
  const ExchangeConfig plain = demo_config(crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher")).public_key());
  ExchangeConfig halting = plain;
  halting.custody.halt_withdrawals_on_alert = true;
  EXPECT_EQ(encode_config(halting), encode_config(plain));
  ExchangeConfig going_on = plain;
  going_on.custody.halt_withdrawals_on_alert = false;
  const std::string bytes = encode_config(going_on);
  auto back = decode_config(bytes);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back.value(), going_on);
  ASSERT_EQ(bytes.substr(bytes.size() - 2), std::string("\x07\x00", 2));
  std::string defaults = bytes;
  defaults.back() = 1;
  auto refused = decode_config(defaults);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("only defaults"), std::string::npos) << refused.status().message();
}

}  // namespace
}  // namespace glassbook::engine::testing
