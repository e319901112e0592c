// A custodian's cancellation of a withdrawal that awaits approvals, and an address taken off an
// allow-list: the holds and the list they change, and every misuse refused with the state unchanged.
#include <gtest/gtest.h>

#include "engine/command_codec.h"
#include "engine/request_text.h"
#include "engine/request_translate.h"
#include "withdrawals_fixture.h"

namespace glassbook::engine::testing {
namespace {

constexpr const char* kOther = "0xb0b0000000000000000000000000000000000002";

TEST_F(Withdrawals, OneCustodianCancelsAWithdrawalAwaitingApprovalsAndTheHoldGoesBack) {
  d.ready("alice");
  const uint64_t id = d.requested_id(d.request("alice", BTC, 3 * kBtcUnit, kAddress, 11));
  ASSERT_EQ(of_kind(d.approve(1, id), EventKind::WithdrawalApproval).size(), 1u);
  EXPECT_EQ(ex.balance("alice", BTC).held, 3 * kBtcUnit);

  // Another custodian than the one who approved: one suffices, since nothing leaves the account.
  const auto ev = d.role(custodian(2), CancelWithdrawal{id});
  const auto cancelled = of_kind(ev, EventKind::WithdrawalCancelled);
  ASSERT_EQ(cancelled.size(), 1u) << (ev.empty() ? "" : ev[0].message);
  EXPECT_EQ(cancelled[0].order_id, id);
  EXPECT_EQ(cancelled[0].account, alice);
  EXPECT_EQ(cancelled[0].quantity, 3 * kBtcUnit);
  EXPECT_EQ(cancelled[0].client_id, 11u);
  EXPECT_EQ(ex.balance("alice", BTC).held, 0) << "the hold is released";
  EXPECT_EQ(ex.balance("alice", BTC).total, 10 * kBtcUnit) << "nothing left the account";
  EXPECT_EQ(ex.engine().withdrawals().find(id), nullptr) << "a cancelled withdrawal leaves the state";
  expect_refused([&] { return d.approve(3, id); }, Error::OrderNotFound, "no open withdrawal");
  // Its client id is free again, and the owner may ask again.
  EXPECT_NE(d.requested_id(d.request("alice", BTC, 2 * kBtcUnit, kAddress, 11)), 0u);
}

TEST_F(Withdrawals, ACancellationFromAnyoneButACustodianOrAfterApprovalIsRefused) {
  d.ready("alice");
  const uint64_t waiting = d.requested_id(d.request("alice", SOL, 1'000'000'000));
  expect_refused([&] { return d.role(ex.key("alice"), CancelWithdrawal{waiting}); }, Error::Unauthorized, "cancelled by a custodian");
  expect_refused([&] { return d.role(ex.watcher(), CancelWithdrawal{waiting}); }, Error::Unauthorized, "cancelled by a custodian");
  expect_refused([&] { return ex.run(custodian(1), CancelWithdrawal{waiting}); }, Error::InvalidArgument, "timed role command");
  expect_refused([&] { return d.role(custodian(1), CancelWithdrawal{999}); }, Error::OrderNotFound, "no open withdrawal 999");

  // Approved at once (below BTC's approval limit): a broadcaster may already have sent it.
  const uint64_t approved = d.requested_id(d.request("alice", BTC, kBtcUnit / 2));
  expect_refused([&] { return d.role(custodian(1), CancelWithdrawal{approved}); }, Error::InvalidArgument, "already approved");
  d.broadcast(1, approved);
  expect_refused([&] { return d.role(custodian(1), CancelWithdrawal{approved}); }, Error::InvalidArgument, "already broadcast");
  // Approved by the custodians' threshold: the same.
  d.approve(1, waiting);
  d.approve(2, waiting);
  expect_refused([&] { return d.role(custodian(3), CancelWithdrawal{waiting}); }, Error::InvalidArgument, "already approved");
}

TEST_F(Withdrawals, AReplayedCancellationIsRefused) {
  d.ready("alice");
  const uint64_t first = d.requested_id(d.request("alice", SOL, 1'000'000'000, kAddress, 1));
  const TimedRoleCommand cancel = timed(ex.now() + 1, CancelWithdrawal{first});
  ASSERT_EQ(of_kind(ex.run(custodian(1), cancel), EventKind::WithdrawalCancelled).size(), 1u);
  expect_refused([&] { return ex.run(custodian(1), cancel); }, Error::DuplicateRequest, "already sequenced");
}

TEST_F(Withdrawals, AnAddressTakenOffTheListTakesNoNewWithdrawalAndCoolsOffAgainWhenPutBack) {
  d.ready("alice");
  ASSERT_EQ(of_kind(d.add_address("alice", kOther), EventKind::WithdrawalAddressAdded).size(), 1u);
  ex.advance(kHour);
  // A withdrawal asked for before the removal keeps going: its funds are held and it passed its checks.
  const uint64_t open = d.requested_id(d.request("alice", BTC, 3 * kBtcUnit));

  expect_refused([&] { return ex.run(ex.key("bob"), RemoveWithdrawalAddress{alice, kAddress}); }, Error::Unauthorized,
                 "not signed by the account's key");
  expect_refused([&] { return ex.run(ex.key("alice"), RemoveWithdrawalAddress{alice, "0xnot listed"}); }, Error::InvalidArgument, "address");
  expect_refused([&] { return ex.run(ex.key("alice"), RemoveWithdrawalAddress{alice, "0xdead"}); }, Error::InvalidArgument,
                 "is not on account");
  const auto ev = ex.run(ex.key("alice"), RemoveWithdrawalAddress{alice, kAddress});
  ASSERT_EQ(of_kind(ev, EventKind::WithdrawalAddressRemoved).size(), 1u) << (ev.empty() ? "" : ev[0].message);
  EXPECT_EQ(ev[0].account, alice);
  expect_refused([&] { return ex.run(ex.key("alice"), RemoveWithdrawalAddress{alice, kAddress}); }, Error::InvalidArgument,
                 "is not on account");

  expect_refused([&] { return d.request("alice", BTC, kBtcUnit / 2); }, Error::AddressCoolingOff, "not on account");
  EXPECT_NE(d.requested_id(d.request("alice", BTC, kBtcUnit / 2, kOther)), 0u) << "the other address is still listed";
  const auto list = ex.engine().withdrawals().addresses_of_account(alice);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].first, kOther);
  ASSERT_NE(ex.engine().withdrawals().find(open), nullptr);
  d.approve(1, open);
  ASSERT_EQ(of_kind(d.approve(2, open), EventKind::WithdrawalApproved).size(), 1u) << "the open withdrawal goes on";

  ASSERT_EQ(of_kind(d.add_address("alice"), EventKind::WithdrawalAddressAdded).size(), 1u);
  expect_refused([&] { return d.request("alice", BTC, kBtcUnit / 4); }, Error::AddressCoolingOff, "cooling off");
}

TEST_F(Withdrawals, TheListIsPerAccountInAddressOrder) {
  d.add_address("alice", kOther);
  const auto added = of_kind(d.add_address("alice", kAddress), EventKind::WithdrawalAddressAdded);
  ASSERT_EQ(added.size(), 1u);
  d.add_address("bob", "0xb0b");
  const auto list = ex.engine().withdrawals().addresses_of_account(alice);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].first, kAddress);
  EXPECT_EQ(list[1].first, kOther);
  EXPECT_EQ(list[0].second, added[0].price) << "usable after the cooling-off";
  EXPECT_GT(list[0].second, ex.now());
  EXPECT_EQ(ex.engine().withdrawals().addresses_of_account(bob).size(), 1u);
  EXPECT_TRUE(ex.engine().withdrawals().addresses_of_account(bob + 100).empty());
}

TEST_F(Withdrawals, ASignedRemovalRequestIsTranslatedAndRunsOnce) {
  d.ready("alice");
  const std::string text = "instruction=withdrawalAddressRemove&address=" + std::string(kAddress) + "&timestamp=" +
                           std::to_string(ex.now() / 1000) + "&window=5000";
  auto ev = ex.run(ex.key("alice"), SignedRequest{text});
  ASSERT_EQ(of_kind(ev, EventKind::WithdrawalAddressRemoved).size(), 1u) << (ev.empty() ? "" : ev[0].message);
  EXPECT_FALSE(ex.engine().withdrawals().usable_from(alice, kAddress));
  expect_refused([&] { return ex.run(ex.key("alice"), SignedRequest{text}); }, Error::DuplicateRequest, "already sequenced");

  auto parsed = parse_request_text("instruction=withdrawalAddressRemove&timestamp=1&window=5000");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  auto bodies = translate_request(*parsed, ex.engine().config(), alice);
  ASSERT_FALSE(bodies.is_ok());
  EXPECT_NE(bodies.status().message().find("missing field address"), std::string::npos) << bodies.status().message();
  parsed = parse_request_text("instruction=withdrawalAddressRemove&address=0xabc&blockchain=Ethereum&timestamp=1&window=5000");
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_FALSE(translate_request(*parsed, ex.engine().config(), alice).is_ok()) << "a field the instruction does not take";
}

TEST_F(Withdrawals, TheNewCommandsRoundTripAndOnlyTheCancellationIsARoleKind) {
  for (const CommandBody& b : {CommandBody(CancelWithdrawal{4}), CommandBody(RemoveWithdrawalAddress{alice, "0xabc"})}) {
    auto back = decode_body(signing_bytes(b));
    ASSERT_TRUE(back.is_ok()) << command_name(b) << ": " << back.status().to_string();
    EXPECT_EQ(signing_bytes(*back), signing_bytes(b)) << command_name(b);
  }
  EXPECT_EQ(CommandBody(CancelWithdrawal{4}).index(), 29u) << "kinds are appended: docs/journal.md lists them";
  EXPECT_EQ(CommandBody(RemoveWithdrawalAddress{alice, "0xabc"}).index(), 30u);
  EXPECT_EQ(signing_bytes(CancelWithdrawal{4}).size(), signing_bytes(ApproveWithdrawal{4}).size());
  EXPECT_TRUE(decode_body(signing_bytes(CommandBody(timed(1, CancelWithdrawal{4})))).is_ok());
  EXPECT_FALSE(decode_body(signing_bytes(CommandBody(timed(1, RemoveWithdrawalAddress{alice, "0xabc"})))).is_ok());
}

}  // namespace
}  // namespace glassbook::engine::testing
