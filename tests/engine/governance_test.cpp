// Governance: configuration changes need the operators' m-of-n approval and may only add or retune.
#include <gtest/gtest.h>

#include "engine/command_codec.h"
#include "engine/config_codec.h"
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

class Governance : public ::testing::Test {
 protected:
  // Three operators, two of whom must agree.
  Governance()
      : ex([this](ExchangeConfig& c) {
          c.operators = {{op(1).public_key(), op(2).public_key(), op(3).public_key()}, 2};
        }) {}

  static crypto::KeyPair op(int i) { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/operator" + std::to_string(i))); }

  std::vector<Event> propose(int who, uint64_t id, const ExchangeConfig& c) {
    return ex.run(op(who), ProposeConfig{id, std::make_shared<const ExchangeConfig>(c)});
  }
  std::vector<Event> approve(int who, uint64_t id, const ExchangeConfig& c) {
    return ex.run(op(who), ApproveConfig{id, crypto::sha256(encode_config(c))});
  }
  // The current configuration with a new asset ETH and a market ETH_USDC.
  ExchangeConfig with_eth() const {
    ExchangeConfig c = ex_config();
    c.assets.push_back({"ETH", 8});
    MarketConfig m = c.markets[0];
    m.symbol = "ETH_USDC";
    m.base = 3;
    c.markets.push_back(m);
    return c;
  }
  ExchangeConfig ex_config() const { return const_cast<Exchange&>(ex).engine().config(); }

  // Applies `c` with operators 1 and 2.
  void adopt(uint64_t id, const ExchangeConfig& c) {
    ASSERT_EQ(rejection(propose(1, id, c)), Error::Ok);
    auto ev = approve(2, id, c);
    ASSERT_EQ(of_kind(ev, EventKind::ConfigApplied).size(), 1u);
  }

  Exchange ex;
};

TEST_F(Governance, OneApprovalIsNotEnoughTwoAre) {
  const ExchangeConfig next = with_eth();
  const auto root0 = ex.engine().state_root();
  auto ev = propose(1, 1, next);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, EventKind::ConfigApproved);
  EXPECT_EQ(ev[0].quantity, 1);
  EXPECT_EQ(ex.engine().config().markets.size(), 2u);
  EXPECT_NE(ex.engine().state_root(), root0) << "a pending proposal is part of the state";

  ev = approve(2, 1, next);
  ASSERT_EQ(of_kind(ev, EventKind::ConfigApplied).size(), 1u);
  EXPECT_EQ(ex.engine().config(), next);
  EXPECT_TRUE(ex.engine().check_invariants().is_ok());
}

TEST_F(Governance, TheNewMarketTradesAndTheNewAssetIsDeposited) {
  adopt(1, with_eth());
  ex.trader("alice");
  ex.trader("bob");
  ASSERT_EQ(rejection(ex.run(ex.watcher(), Deposit{ex.id("alice"), 3, 5 * kBtcUnit, 900})), Error::Ok);
  ASSERT_EQ(rejection(ex.order("alice", Side::Sell, px(20000), lots(10), TimeInForce::GTC, 2)), Error::Ok);
  auto ev = ex.order("bob", Side::Buy, px(20000), lots(10), TimeInForce::GTC, 2);
  ASSERT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  EXPECT_EQ(ex.balance("bob", 3).total, lots(10) - lots(10) * 500 / 1'000'000);  // less the 5 bp taker fee
  EXPECT_TRUE(ex.engine().check_invariants().is_ok());
}

TEST_F(Governance, NonOperatorsCannotProposeOrApprove) {
  const ExchangeConfig next = with_eth();
  ex.open("mallory");
  auto ev = ex.run(ex.key("mallory"), ProposeConfig{1, std::make_shared<const ExchangeConfig>(next)});
  EXPECT_EQ(rejection(ev), Error::Unauthorized);
  ASSERT_EQ(rejection(propose(1, 1, next)), Error::Ok);
  ev = ex.run(ex.key("mallory"), ApproveConfig{1, crypto::sha256(encode_config(next))});
  EXPECT_EQ(rejection(ev), Error::Unauthorized);
  ev = ex.run(ex.watcher(), ApproveConfig{1, crypto::sha256(encode_config(next))});
  EXPECT_EQ(rejection(ev), Error::Unauthorized);
  EXPECT_EQ(ex.engine().config().markets.size(), 2u);
}

TEST_F(Governance, TheSameOperatorCannotApproveTwice) {
  const ExchangeConfig next = with_eth();
  ASSERT_EQ(rejection(propose(1, 1, next)), Error::Ok);
  const auto root = ex.engine().state_root();
  EXPECT_EQ(rejection(approve(1, 1, next)), Error::InvalidArgument);
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_EQ(ex.engine().config().markets.size(), 2u);
}

TEST_F(Governance, AnApprovalOfAnotherConfigurationCountsForNothing) {
  const ExchangeConfig next = with_eth();
  ExchangeConfig other = next;
  other.markets[0].taker_fee_ppm = 100'000;
  ASSERT_EQ(rejection(propose(1, 1, next)), Error::Ok);
  EXPECT_EQ(rejection(approve(2, 1, other)), Error::InvalidArgument);
  EXPECT_EQ(ex.engine().config().markets.size(), 2u);
}

TEST_F(Governance, ChangesThatWouldRewriteHistoryAreRefused) {
  ExchangeConfig c = ex_config();
  c.markets[0].tick_size *= 2;  // would reprice resting orders
  EXPECT_EQ(rejection(propose(1, 1, c)), Error::InvalidConfig);
  c = ex_config();
  c.assets[0].decimals = 6;
  EXPECT_EQ(rejection(propose(1, 2, c)), Error::InvalidConfig);
  c = ex_config();
  c.markets.pop_back();
  EXPECT_EQ(rejection(propose(1, 3, c)), Error::InvalidConfig);
  c = ex_config();
  c.operators.threshold = 5;  // more than the keys
  EXPECT_EQ(rejection(propose(1, 4, c)), Error::InvalidConfig);
}

TEST_F(Governance, FeesAndRolesMayChange) {
  ExchangeConfig c = ex_config();
  c.markets[0].taker_fee_ppm = 900;
  c.operators = {{op(1).public_key(), op(4).public_key()}, 2};
  adopt(1, c);
  EXPECT_EQ(ex.engine().config().markets[0].taker_fee_ppm, 900);
  // Operator 2 is no longer one; operator 4 now is, and both remaining must agree.
  ExchangeConfig d = ex_config();
  d.markets[0].maker_fee_ppm = 0;
  EXPECT_EQ(rejection(propose(2, 2, d)), Error::Unauthorized);
  ASSERT_EQ(rejection(ex.run(op(4), ProposeConfig{2, std::make_shared<const ExchangeConfig>(d)})), Error::Ok);
  EXPECT_EQ(ex.engine().config().markets[0].maker_fee_ppm, 200);
  EXPECT_EQ(of_kind(approve(1, 2, d), EventKind::ConfigApplied).size(), 1u);
  EXPECT_EQ(ex.engine().config().markets[0].maker_fee_ppm, 0);
}

TEST_F(Governance, ProposalIdsIncreaseAndPendingProposalsAreBounded) {
  ExchangeConfig c = ex_config();
  c.markets[0].taker_fee_ppm = 600;
  ASSERT_EQ(rejection(propose(1, 10, c)), Error::Ok);
  EXPECT_EQ(rejection(propose(1, 10, c)), Error::InvalidArgument);
  EXPECT_EQ(rejection(propose(1, 9, c)), Error::InvalidArgument);
  for (uint64_t id = 11; id < 18; ++id) ASSERT_EQ(rejection(propose(1, id, c)), Error::Ok);
  EXPECT_EQ(rejection(propose(1, 18, c)), Error::Overloaded);
  // Applying one discards the others, which were written against the old configuration.
  EXPECT_EQ(of_kind(approve(3, 12, c), EventKind::ConfigApplied).size(), 1u);
  EXPECT_EQ(rejection(approve(3, 13, c)), Error::OrderNotFound);
}

TEST_F(Governance, ProposalsRoundTripThroughTheirSignedBytes) {
  const ExchangeConfig next = with_eth();
  CommandBody body = ProposeConfig{7, std::make_shared<const ExchangeConfig>(next)};
  auto bytes = signing_bytes(body);
  auto decoded = decode_body(bytes);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  const auto& p = std::get<ProposeConfig>(decoded.value());
  EXPECT_EQ(p.proposal_id, 7u);
  EXPECT_EQ(*p.config, next);
  // A proposal of an invalid configuration does not even decode.
  ExchangeConfig bad = next;
  bad.markets[2].lot_size = 0;
  auto bad_bytes = signing_bytes(ProposeConfig{8, std::make_shared<const ExchangeConfig>(bad)});
  EXPECT_FALSE(decode_body(bad_bytes).is_ok());
}

TEST_F(Governance, PendingProposalsSurviveASnapshot) {
  const ExchangeConfig next = with_eth();
  ASSERT_EQ(rejection(propose(1, 5, next)), Error::Ok);
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  EXPECT_EQ((*restored)->state_root(), ex.engine().state_root());
  EXPECT_EQ((*restored)->snapshot(), ex.engine().snapshot());
  // The second approval applies it in both.
  const SignedCommand sc = sign_command(op(2), 1000, 1'800'000'000'000'000, ApproveConfig{5, crypto::sha256(encode_config(next))});
  auto ev = (*restored)->apply(sc.command);
  ASSERT_EQ(of_kind({ev.begin(), ev.end()}, EventKind::ConfigApplied).size(), 1u);
  approve(2, 5, next);
  EXPECT_EQ((*restored)->config(), ex.engine().config());
  EXPECT_EQ((*restored)->ledger().asset_count(), 4u);
}

}  // namespace
}  // namespace glassbook::engine::testing
