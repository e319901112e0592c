// Issued assets: only the asset's issuer may go below zero in it, by what it issued; every other
// account, and the issuer in every other asset, obeys the ordinary rules.
#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "ledger_fixture.h"

namespace glassbook::ledger {
namespace {

using testing::funded;
using testing::kAlice;
using testing::kBob;

constexpr AssetId kClaim = 1;

TEST(Issuer, IssuesBelowZeroAndTakesBack) {
  Ledger l = funded();
  l.set_issuer(kClaim, kClaimsIssuerAccount);
  ASSERT_TRUE(l.transfer(kClaimsIssuerAccount, kAlice, kClaim, 500).is_ok());
  EXPECT_EQ(l.balance(kClaimsIssuerAccount, kClaim).total, -500);
  EXPECT_TRUE(l.check_invariants().is_ok()) << l.check_invariants().to_string();
  ASSERT_TRUE(l.transfer(kAlice, kClaimsIssuerAccount, kClaim, 200).is_ok());
  EXPECT_EQ(l.balance(kClaimsIssuerAccount, kClaim).total, -300);
  EXPECT_TRUE(l.check_invariants().is_ok());
}

TEST(Issuer, OnlyTheIssuerAndOnlyInItsAsset) {
  Ledger l = funded();
  l.set_issuer(kClaim, kClaimsIssuerAccount);
  // Before set_issuer, and for any other account or asset, there is nothing to spend.
  EXPECT_EQ(l.transfer(kClaimsIssuerAccount, kAlice, 0, 1).code(), Error::InsufficientFunds);
  EXPECT_EQ(l.transfer(kBob, kAlice, kClaim, 1).code(), Error::InsufficientFunds);
  Ledger other = funded();
  EXPECT_EQ(other.transfer(kClaimsIssuerAccount, kAlice, kClaim, 1).code(), Error::InsufficientFunds);
}

TEST(Issuer, AnIssuerHoldingOrOwningItsAssetBreaksTheInvariants) {
  Ledger l = funded();
  l.set_issuer(kClaim, kClaimsIssuerAccount);
  ASSERT_TRUE(l.set_balance(kClaimsIssuerAccount, kClaim, Balance{5, 0}).is_ok());
  ASSERT_TRUE(l.set_balance(kAlice, kClaim, Balance{-5, 0}).is_ok());
  EXPECT_FALSE(l.check_invariants().is_ok()) << "the issuer owns some of what it issues";
  ASSERT_TRUE(l.set_balance(kClaimsIssuerAccount, kClaim, Balance{-5, 1}).is_ok());
  ASSERT_TRUE(l.set_balance(kAlice, kClaim, Balance{5, 0}).is_ok());
  EXPECT_FALSE(l.check_invariants().is_ok()) << "the issuer holds funds";
}

}  // namespace
}  // namespace glassbook::ledger
