// Ledger test helpers: two customer accounts, alice funded with 1,000 units of asset 0 from the world.
#pragma once
#include <gtest/gtest.h>

#include "ledger/ledger.h"

namespace glassbook::ledger::testing {

inline constexpr AccountId kAlice = kFirstCustomer;
inline constexpr AccountId kBob = kFirstCustomer + 1;

inline Ledger funded() {
  Ledger l(2);
  l.ensure_account(kBob);
  EXPECT_TRUE(l.transfer(kWorldAccount, kAlice, 0, 1'000).is_ok());
  return l;
}

}  // namespace glassbook::ledger::testing
