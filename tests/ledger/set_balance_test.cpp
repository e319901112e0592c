// set_balance(): restores one cell as saved; refuses unknown cells; the invariant check judges the result.
#include <gtest/gtest.h>

#include "ledger/ledger.h"

namespace glassbook::ledger {
namespace {

constexpr AccountId kAlice = kFirstCustomer;

TEST(SetBalance, OverwritesOneCell) {
  Ledger l(2);
  l.ensure_account(kAlice);
  ASSERT_TRUE(l.set_balance(kWorldAccount, 1, Balance{-500, 0}).is_ok());
  ASSERT_TRUE(l.set_balance(kAlice, 1, Balance{500, 120}).is_ok());
  EXPECT_EQ(l.balance(kAlice, 1).total, 500);
  EXPECT_EQ(l.balance(kAlice, 1).held, 120);
  EXPECT_EQ(l.balance(kAlice, 0).total, 0);
  EXPECT_TRUE(l.check_invariants().is_ok());
  // The restored ledger behaves like any other.
  EXPECT_TRUE(l.release(kAlice, 1, 120).is_ok());
  EXPECT_TRUE(l.transfer(kAlice, kWorldAccount, 1, 500).is_ok());
  EXPECT_TRUE(l.check_invariants().is_ok());
}

TEST(SetBalance, RefusesUnknownCells) {
  Ledger l(2);
  l.ensure_account(kAlice);
  EXPECT_EQ(l.set_balance(kAlice + 1, 0, Balance{1, 0}).code(), Error::UnknownAccount);
  EXPECT_EQ(l.set_balance(kAlice, 2, Balance{1, 0}).code(), Error::UnknownAsset);
  EXPECT_EQ(l.balance(kAlice, 0).total, 0);
}

TEST(SetBalance, BrokenCellsAreCaughtByTheInvariants) {
  Ledger l(1);
  l.ensure_account(kAlice);
  ASSERT_TRUE(l.set_balance(kAlice, 0, Balance{10, 0}).is_ok());
  EXPECT_FALSE(l.check_invariants().is_ok());  // no matching world entry
  ASSERT_TRUE(l.set_balance(kWorldAccount, 0, Balance{-10, 0}).is_ok());
  EXPECT_TRUE(l.check_invariants().is_ok());
  ASSERT_TRUE(l.set_balance(kAlice, 0, Balance{10, 11}).is_ok());
  EXPECT_FALSE(l.check_invariants().is_ok());  // holds more than it has
}

}  // namespace
}  // namespace glassbook::ledger
