// Double-entry ledger: transfers, holds, refusals that change nothing, and the invariant check.
#include <gtest/gtest.h>

#include <random>

#include "ledger/ledger.h"
#include "ledger_fixture.h"

namespace glassbook::ledger {
namespace {

using testing::funded;
using testing::kAlice;
using testing::kBob;

TEST(Ledger, DepositComesFromTheWorld) {
  Ledger l = funded();
  EXPECT_EQ(l.balance(kAlice, 0).total, 1000);
  EXPECT_EQ(l.balance(kWorldAccount, 0).total, -1000);
  EXPECT_EQ(l.asset_sum(0), 0);
  EXPECT_EQ(l.customer_total(0), 1000);
  EXPECT_TRUE(l.check_invariants().is_ok());
}

TEST(Ledger, TransferNeedsAvailableFunds) {
  Ledger l = funded();
  EXPECT_TRUE(l.hold(kAlice, 0, 600).is_ok());
  EXPECT_EQ(l.transfer(kAlice, kBob, 0, 401).code(), Error::InsufficientFunds);
  EXPECT_EQ(l.balance(kAlice, 0).total, 1000);
  EXPECT_EQ(l.balance(kBob, 0).total, 0);
  EXPECT_TRUE(l.transfer(kAlice, kBob, 0, 400).is_ok());
  EXPECT_EQ(l.balance(kAlice, 0).available(), 0);
  EXPECT_TRUE(l.check_invariants().is_ok());
}

TEST(Ledger, HeldTransferSettlesFromTheHold) {
  Ledger l = funded();
  ASSERT_TRUE(l.hold(kAlice, 0, 300).is_ok());
  EXPECT_TRUE(l.transfer_held(kAlice, kBob, 0, 200).is_ok());
  EXPECT_EQ(l.balance(kAlice, 0).total, 800);
  EXPECT_EQ(l.balance(kAlice, 0).held, 100);
  EXPECT_EQ(l.transfer_held(kAlice, kBob, 0, 101).code(), Error::InsufficientFunds);
  EXPECT_TRUE(l.release(kAlice, 0, 100).is_ok());
  EXPECT_EQ(l.release(kAlice, 0, 1).code(), Error::InvalidArgument);
  EXPECT_TRUE(l.check_invariants().is_ok());
}

TEST(Ledger, RefusesBadArguments) {
  Ledger l = funded();
  EXPECT_EQ(l.transfer(kAlice, kBob, 0, 0).code(), Error::InvalidArgument);
  EXPECT_EQ(l.transfer(kAlice, kBob, 0, -5).code(), Error::InvalidArgument);
  EXPECT_EQ(l.transfer(kAlice, kBob, 7, 5).code(), Error::UnknownAsset);
  EXPECT_EQ(l.transfer(kAlice, 999, 0, 5).code(), Error::UnknownAccount);
  EXPECT_EQ(l.transfer(kAlice, kAlice, 0, 5).code(), Error::InvalidArgument);
  EXPECT_EQ(l.hold(kAlice, 0, 1001).code(), Error::InsufficientFunds);
  // The fee account is not the world: it cannot go negative either.
  EXPECT_EQ(l.transfer(kFeeAccount, kAlice, 0, 1).code(), Error::InsufficientFunds);
  EXPECT_EQ(l.balance(kAlice, 0).total, 1000);
  EXPECT_EQ(l.balance(kAlice, 0).held, 0);
}

TEST(Ledger, OverflowIsAnError) {
  Ledger l(1);
  l.ensure_account(kBob);
  ASSERT_TRUE(l.transfer(kWorldAccount, kAlice, 0, INT64_MAX).is_ok());
  EXPECT_EQ(l.transfer(kWorldAccount, kAlice, 0, 1).code(), Error::Overflow);
  ASSERT_TRUE(l.transfer(kWorldAccount, kBob, 0, 1).is_ok());
  EXPECT_EQ(l.transfer(kWorldAccount, kBob, 0, INT64_MAX).code(), Error::Overflow);  // the world's side
  EXPECT_EQ(l.balance(kBob, 0).total, 1);
}

TEST(Ledger, InvariantCheckCatchesNegativeCustomer) {
  // Only the world can be negative: a ledger where a customer would be is refused operation by operation,
  // so the check is exercised on random valid traffic instead.
  Ledger l(3);
  l.ensure_account(kFirstCustomer + 20);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; ++i) {
    AccountId a = static_cast<AccountId>(rng() % (kFirstCustomer + 21));
    AccountId b = static_cast<AccountId>(rng() % (kFirstCustomer + 21));
    AssetId s = static_cast<AssetId>(rng() % 3);
    int64_t amt = static_cast<int64_t>(rng() % 1000) + 1;
    switch (rng() % 4) {
      case 0: (void)l.transfer(a, b, s, amt); break;
      case 1: (void)l.hold(a, s, amt); break;
      case 2: (void)l.release(a, s, amt); break;
      case 3: (void)l.transfer_held(a, b, s, amt); break;
    }
    ASSERT_TRUE(l.check_invariants().is_ok()) << "after operation " << i;
  }
}

TEST(Ledger, GrowingAssetsKeepsEveryBalanceAndAddsZeros) {
  Ledger l = funded();
  ASSERT_TRUE(l.hold(kAlice, 0, 300).is_ok());
  ASSERT_TRUE(l.transfer(kAlice, kBob, 0, 200).is_ok());
  l.grow_assets(4);
  EXPECT_EQ(l.asset_count(), 4u);
  EXPECT_EQ(l.balance(kAlice, 0).total, 800);
  EXPECT_EQ(l.balance(kAlice, 0).held, 300);
  EXPECT_EQ(l.balance(kBob, 0).total, 200);
  EXPECT_EQ(l.balance(kWorldAccount, 0).total, -1000);
  EXPECT_EQ(l.balance(kBob, 3).total, 0);
  ASSERT_TRUE(l.transfer(kWorldAccount, kBob, 3, 50).is_ok());
  EXPECT_EQ(l.balance(kBob, 3).total, 50);
  EXPECT_EQ(l.balance(kBob, 0).total, 200);
  EXPECT_TRUE(l.check_invariants().is_ok());
}

}  // namespace
}  // namespace glassbook::ledger
