// The change log: one command's first values per cell, and the invariants checked over them only.
#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "ledger_fixture.h"

namespace glassbook::ledger {
namespace {

using testing::funded;
using testing::kAlice;
using testing::kBob;

TEST(ChangeLog, OffByDefaultAndRecordsNothing) {
  Ledger l = funded();
  EXPECT_FALSE(l.logging_changes());
  EXPECT_TRUE(l.changes().empty());
}

TEST(ChangeLog, RecordsEachCellOnceWithItsFirstValue) {
  Ledger l = funded();
  l.log_changes(true);
  ASSERT_TRUE(l.transfer(kAlice, kBob, 0, 100).is_ok());
  ASSERT_TRUE(l.hold(kAlice, 0, 50).is_ok());
  ASSERT_TRUE(l.transfer_held(kAlice, kBob, 0, 50).is_ok());
  ASSERT_EQ(l.changes().size(), 2u);
  EXPECT_EQ(l.changes()[0].account, kAlice);
  EXPECT_EQ(l.changes()[0].before.total, 1'000);
  EXPECT_EQ(l.changes()[0].before.held, 0);
  EXPECT_EQ(l.changes()[1].account, kBob);
  EXPECT_EQ(l.changes()[1].before.total, 0);
  EXPECT_TRUE(l.check_changes().is_ok());
  // A new command starts a new log.
  l.begin_changes();
  EXPECT_TRUE(l.changes().empty());
  ASSERT_TRUE(l.transfer(kBob, kAlice, 0, 10).is_ok());
  ASSERT_EQ(l.changes().size(), 2u);
  EXPECT_EQ(l.changes()[0].before.total, 150);
  EXPECT_TRUE(l.check_changes().is_ok());
}

TEST(ChangeLog, RefusedOperationsLogNothing) {
  Ledger l = funded();
  l.log_changes(true);
  EXPECT_FALSE(l.transfer(kBob, kAlice, 0, 1).is_ok());
  EXPECT_FALSE(l.release(kAlice, 0, 1).is_ok());
  EXPECT_TRUE(l.changes().empty());
}

TEST(ChangeLog, FindsOneSidedChangesAndBrokenCells) {
  Ledger l = funded();
  l.log_changes(true);
  ASSERT_TRUE(l.transfer(kAlice, kBob, 0, 100).is_ok());
  // A cell written outside double entry: the logged changes no longer sum to zero.
  ASSERT_TRUE(l.set_balance(kBob, 0, Balance{101, 0}).is_ok());
  const Status one_sided = l.check_changes();
  EXPECT_FALSE(one_sided.is_ok());
  EXPECT_NE(one_sided.message().find("do not sum to zero"), std::string::npos) << one_sided.message();

  l.begin_changes();
  ASSERT_TRUE(l.set_balance(kBob, 0, Balance{100, 0}).is_ok());
  ASSERT_TRUE(l.set_balance(kBob, 1, Balance{0, 5}).is_ok());  // held beyond total
  const Status held = l.check_changes();
  EXPECT_FALSE(held.is_ok());
  EXPECT_NE(held.message().find("held outside"), std::string::npos) << held.message();
}

TEST(ChangeLog, SurvivesNewAssetsAndAccounts) {
  Ledger l = funded();
  l.log_changes(true);
  ASSERT_TRUE(l.transfer(kAlice, kBob, 0, 100).is_ok());
  l.grow_assets(3);
  l.ensure_account(kBob + 5);
  ASSERT_TRUE(l.transfer(kAlice, kBob, 0, 100).is_ok());       // already logged: not again
  ASSERT_TRUE(l.transfer(kWorldAccount, kBob + 5, 2, 7).is_ok());
  EXPECT_EQ(l.changes().size(), 4u);
  EXPECT_TRUE(l.check_changes().is_ok());
}

}  // namespace
}  // namespace glassbook::ledger
