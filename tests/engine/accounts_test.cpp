// Accounts and deposits: key binding, chain-watcher attestation, idempotent deposit ids.
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

TEST(Accounts, RegistrationBindsKeyToSequentialIds) {
  Exchange ex;
  AccountId a = ex.open("alice");
  AccountId b = ex.open("bob");
  EXPECT_EQ(a, kFirstCustomer);
  EXPECT_EQ(b, kFirstCustomer + 1);
  EXPECT_EQ(ex.engine().account_of(ex.key("alice").public_key()), a);
  EXPECT_FALSE(ex.engine().account_of(ex.key("nobody").public_key()).has_value());
  EXPECT_EQ(ex.engine().customer_count(), 2u);
}

TEST(Accounts, DepositCreditsOnceFromTheWorld) {
  Exchange ex;
  ex.open("alice");
  auto ev = ex.run(ex.watcher(), Deposit{ex.id("alice"), USDC, 5 * kUsdc, 77});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, EventKind::Deposited);
  EXPECT_EQ(ex.balance("alice", USDC).total, 5 * kUsdc);
  EXPECT_EQ(ex.engine().ledger().balance(kWorldAccount, USDC).total, -5 * kUsdc);
  EXPECT_EQ(rejection(ex.run(ex.watcher(), Deposit{ex.id("alice"), USDC, 5 * kUsdc, 77})), Error::DuplicateDeposit);
  EXPECT_EQ(ex.balance("alice", USDC).total, 5 * kUsdc);
}

TEST(Accounts, NewAccountCannotTradeWithoutFunds) {
  Exchange ex;
  ex.open("alice");
  EXPECT_EQ(rejection(ex.order("alice", Side::Buy, px(1'000'000), lots(1))), Error::InsufficientFunds);
  EXPECT_EQ(rejection(ex.order("alice", Side::Sell, px(1'000'000), lots(1))), Error::InsufficientFunds);
}

}  // namespace
}  // namespace glassbook::engine::testing
