// Timed role commands: a deposit or configuration command signed with its time is applied only
// inside its window and only once, like an account's signed request; refused ones are not remembered.
#include <gtest/gtest.h>

#include "engine/command_codec.h"
#include "engine/config_codec.h"
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

class TimedRoleCommands : public ::testing::Test {
 protected:
  TimedRoleCommands() {
    ex.check_invariants_always();
    alice = ex.open("alice");
  }
  // The deposit signed at `signed_time`, sequenced at ex.now().
  std::vector<Event> deposit_at(Timestamp signed_time, uint64_t id, int64_t amount = 100) {
    return ex.run(ex.watcher(), timed(signed_time, Deposit{alice, USDC, amount, id}));
  }
  Exchange ex;
  AccountId alice = 0;
};

TEST_F(TimedRoleCommands, InsideItsWindowItIsApplied) {
  auto ev = deposit_at(ex.now() - 1'000'000, 1);
  ASSERT_EQ(of_kind(ev, EventKind::Deposited).size(), 1u);
  EXPECT_EQ(ex.balance("alice", USDC).total, 100);
  ev = deposit_at(ex.now() + 1'000'000, 2);  // a little ahead of the sequencer is fine
  ASSERT_EQ(of_kind(ev, EventKind::Deposited).size(), 1u);
}

TEST_F(TimedRoleCommands, OutsideItsWindowItExpires) {
  const auto root = ex.engine().state_root();
  EXPECT_EQ(rejection(deposit_at(ex.now() - kRoleCommandWindowUs - 2, 1)), Error::Expired);
  EXPECT_NE(ex.engine().last_error().find("expired"), std::string::npos) << ex.engine().last_error();
  EXPECT_EQ(rejection(deposit_at(ex.now() + kRoleCommandLeadUs + 10, 2)), Error::Expired);
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_EQ(ex.balance("alice", USDC).total, 0);
}

TEST_F(TimedRoleCommands, AReplayIsRefusedAndSaysWhy) {
  const Timestamp t = ex.now();
  const CommandBody body = timed(t, Deposit{alice, USDC, 100, 7});
  ASSERT_EQ(of_kind(ex.run(ex.watcher(), body), EventKind::Deposited).size(), 1u);
  // The very same signed bytes: the engine remembers them for their window.
  EXPECT_EQ(rejection(ex.run(ex.watcher(), body)), Error::DuplicateRequest);
  // Signed again at another time, over the same deposit id: a duplicate deposit, not a bad order.
  EXPECT_EQ(rejection(deposit_at(t + 5, 7)), Error::DuplicateDeposit);
  EXPECT_EQ(ex.balance("alice", USDC).total, 100);
  // Past its window the copy is refused as expired, forever.
  ex.advance(2 * kRoleCommandWindowUs);
  EXPECT_EQ(rejection(ex.run(ex.watcher(), body)), Error::Expired);
}

TEST_F(TimedRoleCommands, ARefusedCommandIsNotRememberedAndMayBeSentAgain) {
  // Alice's account does not exist yet under this id: refused, then the same bytes after it does.
  const CommandBody body = timed(ex.now(), Deposit{alice + 1, USDC, 100, 8});
  EXPECT_EQ(rejection(ex.run(ex.watcher(), body)), Error::UnknownAccount);
  ex.open("bob");
  EXPECT_EQ(of_kind(ex.run(ex.watcher(), body), EventKind::Deposited).size(), 1u);
}

TEST(TimedRoleCommandsOfOperators, ConfigurationCommandsTravelTimedToo) {
  const auto op = crypto::KeyPair::from_seed(crypto::seed_from_label("test/op"));
  Exchange gov([&](ExchangeConfig& c) { c.operators = {{op.public_key()}, 1}; });
  ExchangeConfig next = gov.engine().config();
  next.markets[0].taker_fee_ppm = 600;
  const CommandBody propose = timed(gov.now(), ProposeConfig{1, std::make_shared<const ExchangeConfig>(next)});
  auto ev = gov.run(op, propose);
  ASSERT_EQ(of_kind(ev, EventKind::ConfigApplied).size(), 1u);
  EXPECT_EQ(gov.engine().config().markets[0].taker_fee_ppm, 600);
  EXPECT_EQ(rejection(gov.run(op, propose)), Error::DuplicateRequest);
}

TEST(TimedRoleCommandBytes, RoundTripAndRefuseWhatIsNoRoleCommand) {
  const CommandBody body = timed(1'700'000'000'000'000, Deposit{16, 2, 5, 99});
  const std::string bytes = signing_bytes(body);
  auto back = decode_body(bytes);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  const auto& t = std::get<TimedRoleCommand>(*back);
  EXPECT_EQ(t.signed_time, 1'700'000'000'000'000);
  EXPECT_EQ(std::get<Deposit>(t.inner->body).deposit_id, 99u);
  EXPECT_EQ(signing_bytes(*back), bytes);
  // An order cannot be wrapped: accounts sign their own requests.
  TimedRoleCommand order{1, std::make_shared<const RoleBody>(RoleBody{PlaceOrder{}})};
  auto refused = decode_body(signing_bytes(order));
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("cannot carry PlaceOrder"), std::string::npos) << refused.status().message();
  // Nor a timed command inside another.
  TimedRoleCommand nested{1, std::make_shared<const RoleBody>(RoleBody{body})};
  EXPECT_FALSE(decode_body(signing_bytes(nested)).is_ok());
  // Truncated inner bytes.
  EXPECT_FALSE(decode_body(bytes.substr(0, bytes.size() - 1)).is_ok());
}

}  // namespace
}  // namespace glassbook::engine::testing
