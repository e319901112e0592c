// Role thresholds: deposits above an asset's limit wait for m-of-n chain watchers; configuration
// changes wait for their timelock unless they only make limits safer; a key added to a role cannot
// act before the change that adds it is in force. Pending state survives snapshots.
#include <gtest/gtest.h>

#include "engine/command_codec.h"
#include "engine/config_codec.h"
#include "engine/genesis_toml.h"
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

crypto::KeyPair role_key(const std::string& label) { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/role/" + label)); }
crypto::KeyPair watcher(int i) { return role_key("watcher" + std::to_string(i)); }
crypto::KeyPair op(int i) { return role_key("operator" + std::to_string(i)); }

constexpr int64_t kHour = 3'600'000'000;

class RoleThresholds : public ::testing::Test {
 protected:
  // Watchers 1..3, two must attest a large deposit; a deposit of at most 1 BTC needs one; USDC has
  // no limit (every USDC deposit needs two). Operators 1..3, two must approve; a one-hour timelock.
  RoleThresholds()
      : ex([](ExchangeConfig& c) {
          c.chain_watchers = {{watcher(1).public_key(), watcher(2).public_key(), watcher(3).public_key()}, 2};
          c.operators = {{op(1).public_key(), op(2).public_key(), op(3).public_key()}, 2};
          c.governance.config_timelock_us = kHour;
          c.governance.large_deposit = {kBtcUnit};
        }) {
    ex.check_invariants_always();
    alice = ex.open("alice");
  }

  std::vector<Event> attest(int w, int64_t amount, uint64_t id, AssetId asset = BTC) {
    return ex.run(watcher(w), Deposit{alice, asset, amount, id});
  }
  std::vector<Event> propose(int who, uint64_t id, const ExchangeConfig& c) {
    return ex.run(op(who), ProposeConfig{id, std::make_shared<const ExchangeConfig>(c)});
  }
  std::vector<Event> approve(int who, uint64_t id, const ExchangeConfig& c) {
    return ex.run(op(who), ApproveConfig{id, crypto::sha256(encode_config(c))});
  }
  ExchangeConfig config() { return ex.engine().config(); }
  ExchangeConfig with_fee(int32_t taker_fee_ppm) {
    ExchangeConfig c = config();
    c.markets[0].taker_fee_ppm = taker_fee_ppm;
    return c;
  }

  Exchange ex;
  AccountId alice = 0;
};

TEST_F(RoleThresholds, ALargeDepositWaitsForTheSecondWatcher) {
  const auto root0 = ex.engine().state_root();
  auto ev = attest(1, 5 * kBtcUnit, 77);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, EventKind::DepositAttested);
  EXPECT_EQ(ev[0].client_id, 1u);
  EXPECT_EQ(ev[0].remaining, 2);
  EXPECT_EQ(ex.balance("alice", BTC).total, 0) << "one watcher alone minted a large deposit";
  ASSERT_EQ(ex.engine().pending_deposits().all().size(), 1u);
  EXPECT_NE(ex.engine().state_root(), root0) << "a pending deposit is part of the state";
  EXPECT_FALSE(ex.engine().deposit_credited(77));

  ev = attest(2, 5 * kBtcUnit, 77);
  ASSERT_EQ(of_kind(ev, EventKind::Deposited).size(), 1u);
  EXPECT_EQ(ex.balance("alice", BTC).total, 5 * kBtcUnit);
  EXPECT_TRUE(ex.engine().pending_deposits().empty());
  EXPECT_TRUE(ex.engine().deposit_credited(77));
  // A third attestation of a credited deposit is a duplicate, and credits nothing.
  EXPECT_EQ(rejection(attest(3, 5 * kBtcUnit, 77)), Error::DuplicateDeposit);
  EXPECT_EQ(ex.balance("alice", BTC).total, 5 * kBtcUnit);
}

TEST_F(RoleThresholds, ASmallDepositNeedsOneWatcherAndAnAssetWithoutALimitNeedsTwo) {
  auto ev = attest(1, kBtcUnit, 1);
  ASSERT_EQ(of_kind(ev, EventKind::Deposited).size(), 1u);
  EXPECT_EQ(ex.balance("alice", BTC).total, kBtcUnit);
  ev = attest(1, 1, 2, USDC);
  ASSERT_EQ(of_kind(ev, EventKind::DepositAttested).size(), 1u);
  EXPECT_EQ(ex.balance("alice", USDC).total, 0);
}

TEST_F(RoleThresholds, AttestationsMustAgreeAndComeFromDistinctWatchers) {
  ASSERT_EQ(of_kind(attest(1, 5 * kBtcUnit, 9), EventKind::DepositAttested).size(), 1u);
  const auto root = ex.engine().state_root();
  EXPECT_EQ(rejection(attest(1, 5 * kBtcUnit, 9)), Error::DuplicateDeposit) << "the same watcher twice";
  EXPECT_EQ(rejection(attest(2, 6 * kBtcUnit, 9)), Error::InvalidArgument) << "another amount under the same id";
  EXPECT_EQ(rejection(ex.run(ex.key("mallory"), Deposit{alice, BTC, 5 * kBtcUnit, 9})), Error::Unauthorized);
  EXPECT_EQ(ex.engine().state_root(), root) << "a refused attestation changed the state";
  EXPECT_EQ(ex.balance("alice", BTC).total, 0);
}

TEST_F(RoleThresholds, PendingDepositsSurviveASnapshot) {
  ASSERT_EQ(of_kind(attest(1, 5 * kBtcUnit, 12), EventKind::DepositAttested).size(), 1u);
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  EXPECT_EQ((*restored)->state_root(), ex.engine().state_root());
  EXPECT_EQ((*restored)->snapshot(), ex.engine().snapshot());
  const SignedCommand sc = sign_command(watcher(3), 1000, ex.now(), Deposit{alice, BTC, 5 * kBtcUnit, 12});
  auto ev = (*restored)->apply(sc.command);
  ASSERT_EQ(of_kind({ev.begin(), ev.end()}, EventKind::Deposited).size(), 1u);
  EXPECT_EQ((*restored)->ledger().balance(alice, BTC).total, 5 * kBtcUnit);
}

TEST_F(RoleThresholds, AConfigurationChangeWaitsForItsTimelock) {
  const ExchangeConfig next = with_fee(700);
  ASSERT_EQ(rejection(propose(1, 1, next)), Error::Ok);
  auto ev = approve(2, 1, next);
  EXPECT_TRUE(of_kind(ev, EventKind::ConfigApplied).empty()) << "applied before its timelock";
  EXPECT_EQ(config().markets[0].taker_fee_ppm, 500);
  auto pending = ex.engine().pending_proposals();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].approvals.size(), 2u);
  EXPECT_GT(pending[0].enactable_at, 0);

  ex.advance(kHour / 2);
  EXPECT_EQ(rejection(ex.run(op(3), EnactConfig{1})), Error::Timelocked);
  EXPECT_EQ(rejection(approve(3, 1, next)), Error::InvalidArgument) << "approved already: a third approval cannot hurry it";
  EXPECT_EQ(rejection(ex.run(ex.key("mallory"), EnactConfig{1})), Error::Unauthorized);

  // A snapshot taken while it waits restores the wait.
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  EXPECT_EQ((*restored)->state_root(), ex.engine().state_root());
  EXPECT_EQ((*restored)->snapshot(), ex.engine().snapshot());

  ex.advance(kHour / 2);
  ev = ex.run(op(3), EnactConfig{1});
  ASSERT_EQ(of_kind(ev, EventKind::ConfigApplied).size(), 1u);
  EXPECT_EQ(config().markets[0].taker_fee_ppm, 700);
  EXPECT_TRUE(ex.engine().pending_proposals().empty());
}

TEST_F(RoleThresholds, AProposalShortOfApprovalsCannotBeEnacted) {
  ASSERT_EQ(rejection(propose(1, 1, with_fee(700))), Error::Ok);
  ex.advance(2 * kHour);
  EXPECT_EQ(rejection(ex.run(op(1), EnactConfig{1})), Error::Unauthorized);
  EXPECT_EQ(rejection(ex.run(op(1), EnactConfig{2})), Error::OrderNotFound);
}

TEST_F(RoleThresholds, AChangeThatOnlyMakesLimitsSaferNeedsNoTimelock) {
  ExchangeConfig safer = config();
  safer.governance.config_timelock_us = 2 * kHour;  // longer
  safer.governance.large_deposit = {kBtcUnit / 2};  // lower
  ASSERT_EQ(rejection(propose(1, 1, safer)), Error::Ok);
  ASSERT_EQ(of_kind(approve(2, 1, safer), EventKind::ConfigApplied).size(), 1u);
  EXPECT_EQ(config().governance.config_timelock_us, 2 * kHour);

  ExchangeConfig looser = config();
  looser.governance.large_deposit = {10 * kBtcUnit};  // higher: one watcher could mint more
  ASSERT_EQ(rejection(propose(1, 2, looser)), Error::Ok);
  EXPECT_TRUE(of_kind(approve(2, 2, looser), EventKind::ConfigApplied).empty());
  EXPECT_FALSE(only_safer(config(), looser));
  ExchangeConfig shorter = config();
  shorter.governance.config_timelock_us = 0;
  EXPECT_FALSE(only_safer(config(), shorter));
  ExchangeConfig new_watcher = config();
  new_watcher.chain_watchers.keys.push_back(watcher(4).public_key());
  EXPECT_FALSE(only_safer(config(), new_watcher)) << "a new role key is never merely safer";
}

TEST_F(RoleThresholds, AKeyAddedToARoleCannotActBeforeTheChangeIsInForce) {
  ExchangeConfig next = config();
  next.operators.keys.push_back(op(4).public_key());
  next.chain_watchers.keys.push_back(watcher(4).public_key());
  ASSERT_EQ(rejection(propose(1, 1, next)), Error::Ok);
  EXPECT_EQ(rejection(approve(4, 1, next)), Error::Unauthorized) << "the new operator approved the change that adds it";
  ASSERT_TRUE(of_kind(approve(2, 1, next), EventKind::ConfigApplied).empty());
  EXPECT_EQ(rejection(ex.run(watcher(4), Deposit{alice, BTC, 1, 5})), Error::Unauthorized) << "the new watcher attested too early";
  ex.advance(kHour);
  EXPECT_EQ(rejection(ex.run(op(4), EnactConfig{1})), Error::Unauthorized) << "the new operator enacted its own addition";
  ASSERT_EQ(of_kind(ex.run(op(1), EnactConfig{1}), EventKind::ConfigApplied).size(), 1u);
  EXPECT_EQ(of_kind(ex.run(watcher(4), Deposit{alice, BTC, 1, 5}), EventKind::Deposited).size(), 1u);
}

TEST_F(RoleThresholds, AttestationsOfARemovedWatcherNoLongerCount) {
  ASSERT_EQ(of_kind(attest(3, 5 * kBtcUnit, 40), EventKind::DepositAttested).size(), 1u);
  ExchangeConfig next = config();
  next.chain_watchers = {{watcher(1).public_key(), watcher(2).public_key()}, 2};
  ASSERT_EQ(rejection(propose(1, 1, next)), Error::Ok);
  ASSERT_EQ(rejection(approve(2, 1, next)), Error::Ok);
  ex.advance(kHour);
  ASSERT_EQ(of_kind(ex.run(op(1), EnactConfig{1}), EventKind::ConfigApplied).size(), 1u);
  EXPECT_TRUE(ex.engine().pending_deposits().empty());
  EXPECT_EQ(of_kind(attest(1, 5 * kBtcUnit, 40), EventKind::DepositAttested).size(), 1u) << "the removed watcher's attestation counted";
}

TEST(GovernanceConfig, RoundTripsThroughBytesAndKeepsOlderBytes) {
  ExchangeConfig c = demo_config(watcher(1).public_key());
  c.state_root_version = kStateRootV1;  // a configuration from before the version section
  const std::string plain = encode_config(c);
  c.governance.config_timelock_us = kHour;
  c.governance.large_deposit = {kBtcUnit, 0, 5};
  const std::string with = encode_config(c);
  EXPECT_EQ(with.substr(0, plain.size()), plain) << "the section is appended";
  auto back = decode_config(with);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, c);
  EXPECT_EQ(decode_config(plain)->governance, GovernanceConfig{});
  // A default section written out is not canonical; a trailing 0 limit is refused.
  std::string defaults = plain;
  defaults.append(8, '\0').append(4, '\0');
  EXPECT_FALSE(decode_config(defaults).is_ok());
  c.governance.large_deposit = {kBtcUnit, 0};
  EXPECT_FALSE(validate_config(c).is_ok());
  c.governance.large_deposit = {-1};
  EXPECT_FALSE(validate_config(c).is_ok());
  c.governance.large_deposit = {};
  c.governance.config_timelock_us = kMaxConfigTimelockUs + 1;
  EXPECT_FALSE(validate_config(c).is_ok());
}

TEST(GovernanceConfig, RoundTripsThroughTheGenesisFile) {
  ExchangeConfig c = demo_config(watcher(1).public_key());
  c.log_key = op(1).public_key();
  EXPECT_EQ(genesis_to_toml(c).find("[governance]"), std::string::npos) << "a default section is written";
  c.governance.config_timelock_us = kHour;
  c.governance.large_deposit = {kBtcUnit / 2, 0, 100'000 * kUsdc};
  const std::string text = genesis_to_toml(c);
  EXPECT_NE(text.find("large_deposit = { BTC = \"0.5\", USDC = \"100000\" }"), std::string::npos) << text;
  auto back = parse_genesis_toml(text);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, c);
  std::string bad = text;
  bad.replace(bad.find("BTC = "), 3, "XRP");
  auto refused = parse_genesis_toml(bad);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("governance.large_deposit.XRP: no asset \"XRP\""), std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace glassbook::engine::testing
