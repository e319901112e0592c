// Withdrawals as an engine state machine (request, approvals, broadcast, confirmed or failed) and
// deposit reversals: the whole path, and every attack on these commands refused with a clear error
// and the state root unchanged. Invariants and the cached state root are checked after every command.
#include <gtest/gtest.h>

#include "engine/command_codec.h"
#include "engine/config_codec.h"
#include "engine/genesis_toml.h"
#include "engine/request_text.h"
#include "engine/request_translate.h"
#include "withdrawals_fixture.h"

namespace glassbook::engine::testing {
namespace {

TEST_F(Withdrawals, BelowTheThresholdItIsApprovedAtOnceAndConfirmedByTheWatchers) {
  d.ready("alice");
  const int64_t world_before = ex.engine().ledger().balance(kWorldAccount, BTC).total;
  auto ev = d.request("alice", BTC, kBtcUnit / 2, kAddress, 7);
  const uint64_t id = d.requested_id(ev);
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].remaining, 0) << "waits for no approval";
  EXPECT_EQ(ev[0].client_id, 7u);
  EXPECT_EQ(ev[1].kind, EventKind::WithdrawalApproved);
  EXPECT_EQ(ex.balance("alice", BTC).held, kBtcUnit / 2) << "the funds are held at once";
  ASSERT_NE(ex.engine().withdrawals().find(id), nullptr);
  EXPECT_EQ(ex.engine().withdrawals().find(id)->status, WithdrawalStatus::Approved);

  ev = d.broadcast(1, id, "0xabc123");
  ASSERT_EQ(of_kind(ev, EventKind::WithdrawalBroadcast).size(), 1u);
  EXPECT_EQ(ex.engine().withdrawals().find(id)->tx_id, "0xabc123");

  ev = d.settle(ex.watcher(), id, true);
  ASSERT_EQ(of_kind(ev, EventKind::WithdrawalAttested).size(), 1u);
  EXPECT_EQ(ev[0].client_id, 1u);
  EXPECT_EQ(ev[0].remaining, 2);
  EXPECT_EQ(ex.balance("alice", BTC).total, 10 * kBtcUnit) << "one watcher alone moved the funds";

  ev = d.settle(second_watcher(), id, true);
  ASSERT_EQ(of_kind(ev, EventKind::WithdrawalConfirmed).size(), 1u);
  EXPECT_EQ(ex.balance("alice", BTC).total, 10 * kBtcUnit - kBtcUnit / 2);
  EXPECT_EQ(ex.balance("alice", BTC).held, 0);
  EXPECT_EQ(ex.engine().ledger().balance(kWorldAccount, BTC).total, world_before + kBtcUnit / 2) << "double entry: back to the world";
  EXPECT_EQ(ex.engine().withdrawals().find(id), nullptr) << "a finished withdrawal leaves the state";
}

TEST_F(Withdrawals, AboveTheThresholdItWaitsForTwoDistinctCustodians) {
  d.ready("alice");
  const uint64_t id = d.requested_id(d.request("alice", BTC, 3 * kBtcUnit));
  EXPECT_EQ(ex.engine().withdrawals().find(id)->status, WithdrawalStatus::AwaitingApproval);
  EXPECT_EQ(ex.balance("alice", BTC).held, 3 * kBtcUnit);

  expect_refused([&] { return d.broadcast(1, id); }, Error::Unauthorized, "has 0 of the 2 approvals");
  expect_refused([&] { return d.role(ex.key("alice"), ApproveWithdrawal{id}); }, Error::Unauthorized, "approved by a custodian");
  expect_refused([&] { return d.role(ex.watcher(), ApproveWithdrawal{id}); }, Error::Unauthorized, "approved by a custodian");

  auto ev = d.approve(1, id);
  ASSERT_EQ(of_kind(ev, EventKind::WithdrawalApproval).size(), 1u);
  EXPECT_EQ(ev[0].client_id, 1u);
  EXPECT_EQ(ev[0].remaining, 2);
  EXPECT_EQ(ex.engine().withdrawals().find(id)->status, WithdrawalStatus::AwaitingApproval) << "fewer than m approvals";
  expect_refused([&] { return d.broadcast(2, id); }, Error::Unauthorized, "has 1 of the 2 approvals");
  // The same custodian again, in a new command signed at another time.
  ex.advance(1000);
  expect_refused([&] { return d.approve(1, id); }, Error::InvalidArgument, "this custodian already approved");

  ev = d.approve(3, id);
  ASSERT_EQ(of_kind(ev, EventKind::WithdrawalApproved).size(), 1u);
  EXPECT_EQ(ex.engine().withdrawals().find(id)->status, WithdrawalStatus::Approved);
  expect_refused([&] { return d.approve(2, id); }, Error::InvalidArgument, "already approved");
  ASSERT_EQ(of_kind(d.broadcast(2, id), EventKind::WithdrawalBroadcast).size(), 1u);
  expect_refused([&] { return d.broadcast(1, id, "0xother"); }, Error::InvalidArgument, "already broadcast");
}

TEST_F(Withdrawals, AReplayedApprovalIsRefused) {
  d.ready("alice");
  const uint64_t id = d.requested_id(d.request("alice", BTC, 3 * kBtcUnit));
  // The exact signed approval twice: the second is a replay of the same signed bytes.
  const TimedRoleCommand approval = timed(ex.now() + 1, ApproveWithdrawal{id});
  ASSERT_EQ(of_kind(ex.run(custodian(1), approval), EventKind::WithdrawalApproval).size(), 1u);
  expect_refused([&] { return ex.run(custodian(1), approval); }, Error::DuplicateRequest, "already sequenced");
  // A bare approval (without its signed time) is never accepted.
  expect_refused([&] { return ex.run(custodian(2), ApproveWithdrawal{id}); }, Error::InvalidArgument, "timed role command");
  expect_refused([&] { return ex.run(ex.watcher(), SettleWithdrawal{id, true}); }, Error::InvalidArgument, "timed role command");
  expect_refused([&] { return ex.run(ex.watcher(), ReverseDeposit{alice_btc, alice, BTC, kBtcUnit}); }, Error::InvalidArgument,
                 "timed role command");
  EXPECT_EQ(ex.engine().withdrawals().find(id)->approvals.size(), 1u);
}

TEST_F(Withdrawals, AFailureOnChainReleasesTheHold) {
  d.ready("alice");
  const uint64_t id = d.requested_id(d.request("alice", BTC, kBtcUnit));
  expect_refused([&] { return d.settle(ex.watcher(), id, false); }, Error::InvalidArgument, "has not been broadcast");
  d.broadcast(1, id);
  expect_refused([&] { return d.settle(custodian(1), id, false); }, Error::Unauthorized, "attested by a chain watcher");
  ASSERT_EQ(of_kind(d.settle(ex.watcher(), id, false), EventKind::WithdrawalAttested).size(), 1u);
  ex.advance(1000);
  expect_refused([&] { return d.settle(ex.watcher(), id, true); }, Error::InvalidArgument, "already attested");
  auto ev = d.settle(second_watcher(), id, false);
  ASSERT_EQ(of_kind(ev, EventKind::WithdrawalFailed).size(), 1u);
  EXPECT_EQ(ex.balance("alice", BTC).total, 10 * kBtcUnit) << "nothing left";
  EXPECT_EQ(ex.balance("alice", BTC).held, 0) << "the hold is released";
  expect_refused([&] { return d.approve(1, id); }, Error::OrderNotFound, "no open withdrawal");
  expect_refused([&] { return d.settle(ex.watcher(), id, true); }, Error::OrderNotFound, "no open withdrawal");
  expect_refused([&] { return d.approve(1, 999); }, Error::OrderNotFound, "no open withdrawal 999");
}

TEST_F(Withdrawals, AWithdrawalSignedByAnotherKeyIsRefused) {
  d.ready("alice");
  expect_refused([&] { return ex.run(ex.key("bob"), RequestWithdrawal{alice, BTC, kBtcUnit / 2, kAddress, "Ethereum", 0}); },
                 Error::Unauthorized, "not signed by the account's key");
  expect_refused([&] { return ex.run(ex.key("bob"), AddWithdrawalAddress{alice, "0xb0b"}); }, Error::Unauthorized,
                 "not signed by the account's key");
}

TEST_F(Withdrawals, AnAddressMustBeAllowListedAndCooledOff) {
  expect_refused([&] { return d.request("alice", BTC, kBtcUnit / 2); }, Error::AddressCoolingOff, "not on account");
  auto ev = d.add_address("alice");
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, EventKind::WithdrawalAddressAdded);
  EXPECT_EQ(ev[0].price, ex.now() + kHour) << "usable an hour after it was added";
  expect_refused([&] { return d.add_address("alice"); }, Error::InvalidArgument, "already on account");
  expect_refused([&] { return d.request("alice", BTC, kBtcUnit / 2); }, Error::AddressCoolingOff, "cooling off until");
  ex.advance(kHour - 10);
  expect_refused([&] { return d.request("alice", BTC, kBtcUnit / 2); }, Error::AddressCoolingOff, "cooling off until");
  ex.advance(10);
  d.requested_id(d.request("alice", BTC, kBtcUnit / 2));
  // Another account's allow-list is its own.
  expect_refused([&] { return d.request("bob", BTC, kBtcUnit / 2); }, Error::AddressCoolingOff, "not on account");
  expect_refused([&] { return d.add_address("alice", "bad address"); }, Error::InvalidArgument, "printable ASCII");
}

TEST_F(Withdrawals, VelocityLimitsPerAccountAndForTheExchange) {
  d.ready("alice");
  d.ready("bob");
  for (int i = 0; i < 5; ++i) d.requested_id(d.request("alice", BTC, 9 * kBtcUnit / 10));  // 4.5 BTC
  expect_refused([&] { return d.request("alice", BTC, 9 * kBtcUnit / 10); }, Error::WithdrawalLimit, "has requested 450000000");
  for (int i = 0; i < 3; ++i) d.requested_id(d.request("bob", BTC, 9 * kBtcUnit / 10));  // 7.2 BTC in all
  expect_refused([&] { return d.request("bob", BTC, 9 * kBtcUnit / 10); }, Error::WithdrawalLimit, "the exchange's withdrawals of BTC");
  d.requested_id(d.request("bob", BTC, 8 * kBtcUnit / 10));  // exactly 8 BTC in all
  // A rolling window: an hour after the first requests they no longer count. A refused request
  // then forgets none of them (it changes nothing, its state root included).
  ex.advance(kHour);
  expect_refused([&] { return d.request("bob", BTC, 6 * kBtcUnit); }, Error::WithdrawalLimit, "has requested 0");
  EXPECT_EQ(ex.engine().withdrawals().recent_count(ex.now() - 2 * kHour), 9u);
  d.requested_id(d.request("alice", BTC, 9 * kBtcUnit / 10));
  EXPECT_EQ(ex.engine().withdrawals().recent_count(ex.now() - 2 * kHour), 1u) << "an accepted one forgets those out of the window";
  // SOL has no velocity limit.
  d.requested_id(d.request("alice", SOL, 90'000'000'000));
}

TEST_F(Withdrawals, OnlyAvailableFundsCanLeave) {
  d.ready("alice");
  expect_refused([&] { return d.request("alice", SOL, 101'000'000'000); }, Error::InsufficientFunds, "only 100000000000 are available");
  // An open order holds 9.99 BTC: 0.01 BTC is left to withdraw.
  ASSERT_NE(accepted_id(ex.order("alice", Side::Sell, px(1'000'000), 999'000'000)), 0u);
  expect_refused([&] { return d.request("alice", BTC, kBtcUnit / 50); }, Error::InsufficientFunds, "only 1000000 are available");
  d.requested_id(d.request("alice", BTC, kBtcUnit / 100));
  expect_refused([&] { return d.request("alice", 9, 1); }, Error::UnknownAsset, "unknown asset");
  expect_refused([&] { return d.request("alice", BTC, 0); }, Error::InvalidQuantity, "positive");
}

TEST_F(Withdrawals, AReversedDepositIsTakenBackIntoDebtAndBlocksWithdrawalsOfThatAsset) {
  d.ready("alice");
  const uint64_t id = d.requested_id(d.request("alice", BTC, 4 * kBtcUnit));  // awaits approvals: 4 BTC held
  ASSERT_NE(accepted_id(ex.order("alice", Side::Sell, px(1'000'000), 5 * kBtcUnit)), 0u);  // 5 BTC held by an order

  expect_refused([&] { return d.reverse(ex.key("alice"), alice_btc, "alice", BTC, 10 * kBtcUnit); }, Error::Unauthorized, "chain watcher");
  expect_refused([&] { return d.reverse(ex.watcher(), 424242, "alice", BTC, kBtcUnit); }, Error::InvalidArgument, "never credited");
  auto ev = d.reverse(ex.watcher(), alice_btc, "alice", BTC, 10 * kBtcUnit);
  ASSERT_EQ(of_kind(ev, EventKind::DepositReversalAttested).size(), 1u);
  EXPECT_EQ(ex.balance("alice", BTC).total, 10 * kBtcUnit) << "one watcher alone took nothing back";
  ex.advance(1000);
  expect_refused([&] { return d.reverse(ex.watcher(), alice_btc, "alice", BTC, 10 * kBtcUnit); }, Error::DuplicateDeposit, "already attested");
  expect_refused([&] { return d.reverse(second_watcher(), alice_btc, "alice", BTC, 9 * kBtcUnit); }, Error::InvalidArgument,
                 "this attestation differs");

  ev = d.reverse(second_watcher(), alice_btc, "alice", BTC, 10 * kBtcUnit);
  const auto cancelled = of_kind(ev, EventKind::OrderCancelled);
  ASSERT_EQ(cancelled.size(), 1u) << "what the credit bought must not keep trading";
  EXPECT_EQ(cancelled[0].cause, CancelCause::DepositReversed);
  ASSERT_EQ(of_kind(ev, EventKind::DepositReversed).size(), 1u);
  EXPECT_EQ(ex.balance("alice", BTC).total, 0);
  EXPECT_EQ(ex.balance("alice", BTC).held, 4 * kBtcUnit) << "the withdrawal already on its way keeps its hold";
  EXPECT_TRUE(ex.engine().ledger().in_debt(alice, BTC));
  expect_refused([&] { return d.request("alice", BTC, 1); }, Error::InsufficientFunds, "owes 400000000 BTC units");
  expect_refused([&] { return d.reverse(ex.watcher(), alice_btc, "alice", BTC, 10 * kBtcUnit); }, Error::DuplicateDeposit,
                 "already reversed");
  // Other assets stay free to withdraw; the failed withdrawal's release leaves a debt below zero.
  d.requested_id(d.request("alice", SOL, 1'000'000'000));
  d.approve(1, id);
  d.approve(2, id);
  d.broadcast(1, id);
  d.settle(ex.watcher(), id, true);
  d.settle(second_watcher(), id, true);
  EXPECT_EQ(ex.balance("alice", BTC).total, -4 * kBtcUnit) << "the confirmed withdrawal deepened the debt";
  EXPECT_EQ(ex.balance("alice", BTC).held, 0);
  // A deposit repays it; once repaid, withdrawals of BTC are accepted again.
  ex.deposit("alice", BTC, 5 * kBtcUnit);
  EXPECT_EQ(ex.balance("alice", BTC).total, kBtcUnit);
  EXPECT_FALSE(ex.engine().ledger().in_debt(alice, BTC));
  d.requested_id(d.request("alice", BTC, kBtcUnit / 2));
}

// Builds a state with something of everything: withdrawals in each status, addresses, recent
// requests, a pending reversal, a reversal done and its debt.
void busy_state(Exchange& ex) {
  Driver d{ex};
  ex.open("alice");
  ex.open("bob");
  const uint64_t dep = ex.deposit("alice", BTC, 10 * kBtcUnit)[0].order_id;
  const uint64_t bob_dep = ex.deposit("bob", BTC, 10 * kBtcUnit)[0].order_id;
  d.ready("alice");
  d.ready("bob");
  d.add_address("bob", "0xb0b2");
  const uint64_t a = d.requested_id(d.request("alice", BTC, 3 * kBtcUnit, kAddress, 1));
  d.approve(1, a);
  const uint64_t b = d.requested_id(d.request("alice", BTC, kBtcUnit / 2));
  d.broadcast(2, b, "0xb00b");
  d.settle(ex.watcher(), b, false);
  d.requested_id(d.request("bob", BTC, kBtcUnit / 4));
  d.reverse(ex.watcher(), dep, "alice", BTC, kBtcUnit);
  d.reverse(ex.watcher(), bob_dep, "bob", BTC, 10 * kBtcUnit);
  d.reverse(second_watcher(), bob_dep, "bob", BTC, 10 * kBtcUnit);
}

TEST(WithdrawalsSnapshot, RoundTripKeepsEveryPartAndTheRoot) {
  Exchange ex(withdrawal_roles);
  ex.check_invariants_always();
  const crypto::Digest empty_root = ex.engine().state_root();
  busy_state(ex);
  EXPECT_NE(ex.engine().state_root(), empty_root);
  EXPECT_TRUE(ex.engine().ledger().in_debt(ex.id("bob"), BTC));
  const std::string bytes = ex.engine().snapshot();
  auto restored = Engine::restore(bytes);
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  Engine& copy = *restored.value();
  EXPECT_EQ(copy.snapshot(), bytes);
  EXPECT_EQ(copy.state_root(), ex.engine().state_root());
  EXPECT_EQ(copy.withdrawals().open().size(), 3u);
  EXPECT_EQ(copy.withdrawals().pending_reversals().size(), 1u);
  EXPECT_TRUE(copy.ledger().in_debt(ex.id("bob"), BTC));
  // The copy goes on exactly as the original: the second approval of withdrawal 1 approves it.
  const SignedCommand sc = sign_command(custodian(3), 10'000, ex.now() + 1, timed(ex.now() + 1, ApproveWithdrawal{1}));
  const auto original = ex.engine().apply(sc.command);
  const std::vector<Event> original_events(original.begin(), original.end());
  const auto replica = copy.apply(sc.command);
  EXPECT_EQ(std::vector<Event>(replica.begin(), replica.end()), original_events);
  ASSERT_EQ(of_kind(original_events, EventKind::WithdrawalApproved).size(), 1u);
  EXPECT_EQ(copy.state_root(), ex.engine().state_root());
  // A snapshot whose withdrawal section is cut short is refused.
  auto cut = Engine::restore(bytes.substr(0, bytes.size() - 9));
  EXPECT_FALSE(cut.is_ok());
}

TEST(WithdrawalsReplay, TheSameCommandsGiveTheSameStateAndEvents) {
  Exchange one(withdrawal_roles), two(withdrawal_roles);
  busy_state(one);
  busy_state(two);
  EXPECT_EQ(one.engine().state_root(), two.engine().state_root());
  EXPECT_EQ(one.log(), two.log());
  EXPECT_EQ(one.engine().snapshot(), two.engine().snapshot());
}

TEST(WithdrawalsMargin, CollateralBackingPositionsCannotLeave) {
  PerpExchange ex([](ExchangeConfig& c) {
    c.custodians = {{custodian(1).public_key()}, 1};
    c.withdrawals.cooling_off_us = 0;
  });
  Driver d{ex};
  ex.funded("alice", 10'000);
  ex.funded("bob", 10'000);
  ex.oracle(usd(50'000));
  ASSERT_NE(accepted_id(ex.perp("bob", Side::Sell, usd(50'000), btc(1))), 0u);
  ex.perp("alice", Side::Buy, usd(50'000), btc(1));
  ASSERT_EQ(ex.lots("alice"), 1000);
  d.add_address("alice");
  const MarginSummary m = ex.margin("alice");
  ASSERT_GT(m.equity, m.initial);
  const int64_t spare = static_cast<int64_t>(m.equity - m.initial);  // about 4,975 USDC above 10% of 50,000
  const crypto::Digest before = ex.engine().state_root();
  auto ev = d.request("alice", USDC, spare + 1);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].error, Error::InsufficientMargin) << ev[0].message;
  EXPECT_NE(ev[0].message.find("below its initial margin"), std::string::npos) << ev[0].message;
  EXPECT_EQ(ex.engine().state_root(), before);
  EXPECT_EQ(ex.balance("alice", USDC).held, 0);
  ASSERT_EQ(of_kind(d.request("alice", USDC, spare), EventKind::WithdrawalRequested).size(), 1u);
  EXPECT_EQ(ex.balance("alice", USDC).held, spare);
  // Bob, without a position after... he holds the short: the same rule binds him.
  d.add_address("bob");
  const MarginSummary b = ex.margin("bob");
  ev = d.request("bob", USDC, static_cast<int64_t>(b.equity - b.initial) + 1);
  EXPECT_EQ(rejection(ev), Error::InsufficientMargin);
}

TEST(WithdrawalsConfig, TheSectionRoundTripsAndADefaultOneIsNeverWritten) {
  const crypto::KeyPair w = fixture_watcher();
  ExchangeConfig plain = demo_config(w.public_key());
  const std::string plain_bytes = encode_config(plain);
  ExchangeConfig c = plain;
  withdrawal_roles(c);
  auto back = decode_config(encode_config(c));
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back.value(), c);
  // A configuration without withdrawal rules keeps its bytes: no section 4.
  ExchangeConfig no_rules = c;
  no_rules.withdrawals = {};
  EXPECT_EQ(encode_config(no_rules).find(encode_config(c).substr(encode_config(no_rules).size())), std::string::npos);
  EXPECT_EQ(encode_config(plain), plain_bytes);
  // Bounds.
  ExchangeConfig bad = c;
  bad.withdrawals.window_us = 0;
  EXPECT_FALSE(validate_config(bad).is_ok()) << "limits without a window";
  bad = c;
  bad.withdrawals.assets.push_back({});
  EXPECT_FALSE(validate_config(bad).is_ok()) << "a trailing all-zero entry";
  bad = c;
  bad.withdrawals.assets[0].account_limit = -1;
  EXPECT_FALSE(validate_config(bad).is_ok());
}

TEST(WithdrawalsConfig, GenesisTomlReadsAndWritesTheSection) {
  ExchangeConfig c = demo_config(fixture_watcher().public_key());
  withdrawal_roles(c);
  auto text = genesis_to_toml(c);
  ASSERT_NE(text.find("[withdrawals.assets.BTC]"), std::string::npos) << text;
  auto back = parse_genesis_toml(text);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string() << "\n" << text;
  EXPECT_EQ(back.value().withdrawals, c.withdrawals);
}

TEST(WithdrawalsRequestText, BackpacksWithdrawInstructionIsTranslated) {
  const ExchangeConfig c = demo_config(fixture_watcher().public_key());
  auto text = parse_request_text("instruction=withdraw&address=0xabc&blockchain=Ethereum&clientId=9&quantity=0.5&symbol=BTC&timestamp=1&window=5000");
  ASSERT_TRUE(text.is_ok()) << text.status().to_string();
  auto bodies = translate_request(*text, c, 20);
  ASSERT_TRUE(bodies.is_ok()) << bodies.status().to_string();
  ASSERT_EQ(bodies->size(), 1u);
  const auto& w = std::get<RequestWithdrawal>(bodies->front());
  EXPECT_EQ(w.account, 20u);
  EXPECT_EQ(w.asset, BTC);
  EXPECT_EQ(w.amount, kBtcUnit / 2);
  EXPECT_EQ(w.address, "0xabc");
  EXPECT_EQ(w.blockchain, "Ethereum");
  EXPECT_EQ(w.client_id, 9u);
  auto refused = [&](const std::string& t) {
    auto parsed = parse_request_text(t);
    if (!parsed) return parsed.status().message();
    auto r = translate_request(*parsed, c, 20);
    return r ? std::string() : r.status().message();
  };
  EXPECT_NE(refused("instruction=withdraw&address=0xabc&blockchain=Ethereum&quantity=0.5&symbol=DOGE&timestamp=1&window=5000"), "");
  EXPECT_NE(refused("instruction=withdraw&address=0xabc&blockchain=Ethereum&quantity=0.000000001&symbol=BTC&timestamp=1&window=5000"), "");
  EXPECT_NE(refused("instruction=withdraw&address=0xabc&quantity=0.5&symbol=BTC&timestamp=1&window=5000"), "");
  EXPECT_NE(refused("instruction=withdraw&address=0xabc&autoBorrow=true&blockchain=Ethereum&quantity=0.5&symbol=BTC&timestamp=1&window=5000"), "");
  EXPECT_NE(refused("instruction=withdraw&address=0xabc&blockchain=Ethereum&quantity=0.5&symbol=BTC&timestamp=1&twoFactorToken=1&window=5000"), "");
  EXPECT_EQ(refused("instruction=withdraw&address=0xabc&autoBorrow=false&blockchain=Ethereum&quantity=0.5&symbol=BTC&timestamp=1&window=5000"), "");
}

TEST_F(Withdrawals, ASignedWithdrawRequestRunsThePath) {
  d.ready("alice");
  const std::string text = "instruction=withdraw&address=" + std::string(kAddress) +
                           "&blockchain=Ethereum&quantity=0.25&symbol=BTC&timestamp=" + std::to_string(ex.now() / 1000) + "&window=5000";
  auto ev = ex.run(ex.key("alice"), SignedRequest{text});
  ASSERT_EQ(of_kind(ev, EventKind::WithdrawalRequested).size(), 1u) << (ev.empty() ? "" : ev[0].message);
  EXPECT_EQ(ex.balance("alice", BTC).held, kBtcUnit / 4);
  expect_refused([&] { return ex.run(ex.key("alice"), SignedRequest{text}); }, Error::DuplicateRequest, "already sequenced");
}

TEST_F(Withdrawals, CommandsRoundTripThroughTheirSignedBytes) {
  const std::vector<CommandBody> bodies = {AddWithdrawalAddress{alice, "0xabc"}, RequestWithdrawal{alice, BTC, 5, "0xabc", "Ethereum", 3},
                                           ApproveWithdrawal{4}, BroadcastWithdrawal{4, "0xdef"}, SettleWithdrawal{4, true},
                                           ReverseDeposit{9, alice, SOL, 12}};
  for (const CommandBody& b : bodies) {
    auto back = decode_body(signing_bytes(b));
    ASSERT_TRUE(back.is_ok()) << command_name(b) << ": " << back.status().to_string();
    EXPECT_EQ(signing_bytes(*back), signing_bytes(b)) << command_name(b);
  }
  // The sizes docs/journal.md gives.
  EXPECT_EQ(signing_bytes(ApproveWithdrawal{4}).size(), 29u);
  EXPECT_EQ(signing_bytes(SettleWithdrawal{4, true}).size(), 30u);
  EXPECT_EQ(signing_bytes(ReverseDeposit{9, alice, SOL, 12}).size(), 43u);
  EXPECT_EQ(signing_bytes(BroadcastWithdrawal{4, "0xdef"}).size(), 33u + 5);
  EXPECT_EQ(signing_bytes(AddWithdrawalAddress{alice, "0xabc"}).size(), 29u + 5);
  EXPECT_EQ(signing_bytes(RequestWithdrawal{alice, BTC, 5, "0xabc", "Ethereum", 3}).size(), 47u + 5 + 8);
  // The role kinds travel inside a timed role command; an account's own commands may not.
  EXPECT_TRUE(decode_body(signing_bytes(CommandBody(timed(1, ApproveWithdrawal{4})))).is_ok());
  EXPECT_FALSE(decode_body(signing_bytes(CommandBody(timed(1, RequestWithdrawal{alice, BTC, 5, "0xabc", "Ethereum", 3})))).is_ok());
}

}  // namespace
}  // namespace glassbook::engine::testing
