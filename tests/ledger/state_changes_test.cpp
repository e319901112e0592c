// The ledger's state marks: every write of a cell, and every new account or asset, marks its
// account for the state root to rehash; a refused operation marks nothing it did not change.
#include <gtest/gtest.h>

#include <algorithm>

#include "ledger/ledger.h"
#include "ledger_fixture.h"

namespace glassbook::ledger {
namespace {

using testing::funded;
using testing::kAlice;
using testing::kBob;

std::vector<AccountId> taken(const Ledger& l) {
  std::vector<AccountId> ids;
  l.take_state_changes(ids);
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(StateChanges, NewAccountsAreMarked) {
  Ledger l(2);
  std::vector<AccountId> all;
  for (AccountId a = 0; a < kFirstCustomer; ++a) all.push_back(a);
  EXPECT_EQ(taken(l), all);
  l.ensure_account(kBob);
  EXPECT_EQ(taken(l), (std::vector<AccountId>{kAlice, kBob}));
  EXPECT_TRUE(taken(l).empty()) << "taken once";
}

TEST(StateChanges, EverySetterMarksTheAccountsItWrites) {
  Ledger l = funded();
  taken(l);
  l.set_margin_asset(1);
  ASSERT_TRUE(l.transfer(kAlice, kBob, 0, 10).is_ok());
  EXPECT_EQ(taken(l), (std::vector<AccountId>{kAlice, kBob}));
  ASSERT_TRUE(l.hold(kAlice, 0, 5).is_ok());
  EXPECT_EQ(taken(l), (std::vector<AccountId>{kAlice}));
  ASSERT_TRUE(l.transfer_held(kAlice, kBob, 0, 2).is_ok());
  EXPECT_EQ(taken(l), (std::vector<AccountId>{kAlice, kBob}));
  ASSERT_TRUE(l.release(kAlice, 0, 3).is_ok());
  EXPECT_EQ(taken(l), (std::vector<AccountId>{kAlice}));
  ASSERT_TRUE(l.settle_margin(kBob, kAlice, 4).is_ok());
  EXPECT_EQ(taken(l), (std::vector<AccountId>{kAlice, kBob}));
  ASSERT_TRUE(l.set_balance(kBob, 1, Balance{0, 0}).is_ok());
  EXPECT_EQ(taken(l), (std::vector<AccountId>{kBob}));
}

TEST(StateChanges, RefusedOperationsMarkNothing) {
  Ledger l = funded();
  taken(l);
  EXPECT_FALSE(l.transfer(kBob, kAlice, 0, 10).is_ok());  // bob has nothing
  EXPECT_FALSE(l.hold(kBob, 0, 1).is_ok());
  EXPECT_FALSE(l.release(kAlice, 0, 1).is_ok());
  EXPECT_TRUE(taken(l).empty());
}

TEST(StateChanges, ANewAssetMarksEveryAccount) {
  Ledger l = funded();
  taken(l);
  l.grow_assets(3);
  EXPECT_EQ(taken(l).size(), l.account_count());
}

}  // namespace
}  // namespace glassbook::ledger
