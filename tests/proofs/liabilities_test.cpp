// Liabilities read from a real engine (spot holds, perpetual PnL at mark), and the audit of a root
// against a copy of the state.
#include <gtest/gtest.h>

#include "../engine/perp_fixture.h"
#include "proofs/audit.h"
#include "proofs/verify.h"

namespace glassbook::proofs {
namespace {

using engine::testing::BTC;
using engine::testing::kPerp;
using engine::testing::PerpExchange;
using engine::testing::USDC;
using engine::testing::usd;
using engine::testing::btc;

const crypto::KeyPair& proof_key() {
  static const crypto::KeyPair k = crypto::KeyPair::from_seed(crypto::seed_from_label("test/exchange-proof"));
  return k;
}

uint64_t value_of(const LiabilityTable& t, AccountId a, AssetId x) {
  for (size_t i = 0; i < t.accounts.size(); ++i)
    if (t.accounts[i] == a) return t.row(i)[x];
  ADD_FAILURE() << "account " << a << " is not in the table";
  return 0;
}

class Liabilities : public ::testing::Test {
 protected:
  void SetUp() override {
    x.oracle(usd(60'000));
    x.funded("alice", 20'000);
    x.funded("bob", 20'000);
    x.trader("carol");
    x.open("dave");  // nothing at all
    x.perp("alice", engine::Side::Sell, usd(60'000), btc(1) / 10);
    x.perp_market("bob", engine::Side::Buy, btc(1) / 10);
    ASSERT_EQ(x.lots("bob"), 100);
    x.order("carol", engine::Side::Buy, usd(50'000), btc(1));  // rests: holds 50,000 USDC
    x.advance(1'000'000);
    x.oracle(usd(62'000));
  }
  PerpExchange x;
};

TEST_F(Liabilities, EveryCustomerAccountAndNoSystemAccount) {
  auto t = customer_liabilities(x.engine());
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  ASSERT_FALSE(t->accounts.empty());
  EXPECT_EQ(t->accounts.front(), kFirstCustomer);
  EXPECT_EQ(t->accounts.size(), x.engine().ledger().account_count() - kFirstCustomer);
  EXPECT_EQ(value_of(*t, x.id("dave"), USDC), 0u);
  EXPECT_EQ(t->snapshot_id, x.engine().state_root());
  EXPECT_EQ(t->checkpoint_seq, x.engine().last_seq());
}

TEST_F(Liabilities, SpotBalancesCountWhatOpenOrdersHold) {
  auto t = customer_liabilities(x.engine());
  ASSERT_TRUE(t.is_ok());
  ASSERT_GT(x.balance("carol", USDC).held, 0);
  EXPECT_EQ(value_of(*t, x.id("carol"), USDC), static_cast<uint64_t>(x.usdc("carol")));
  EXPECT_EQ(value_of(*t, x.id("carol"), BTC), static_cast<uint64_t>(x.balance("carol", BTC).total));
}

TEST_F(Liabilities, PerpetualPositionsAreValuedAtMark) {
  auto t = customer_liabilities(x.engine());
  ASSERT_TRUE(t.is_ok());
  const uint64_t bob = value_of(*t, x.id("bob"), USDC), alice = value_of(*t, x.id("alice"), USDC);
  EXPECT_GT(bob, static_cast<uint64_t>(x.usdc("bob")));      // long, the price rose: a gain
  EXPECT_LT(alice, static_cast<uint64_t>(x.usdc("alice")));  // short: the same loss
  EXPECT_EQ(bob + alice, static_cast<uint64_t>(x.usdc("bob") + x.usdc("alice")));
}

TEST_F(Liabilities, AuditOfACopyOfTheStateMatchesAndEachProofVerifies) {
  auto built = build_liabilities(x.engine(), proof_key());
  ASSERT_TRUE(built.is_ok()) << built.status().to_string();
  auto copy = engine::Engine::restore(x.engine().snapshot());
  ASSERT_TRUE(copy.is_ok());
  const ProofStatus audit = audit_root(**copy, proof_key(), built->root);
  EXPECT_TRUE(audit.ok()) << audit.to_string();
  for (AccountId a : built->table.accounts)
    EXPECT_TRUE(verify_inclusion(*built->tree->proof(a), built->root, proof_key().public_key()).ok()) << a;
}

TEST_F(Liabilities, AuditRefusesAForgedSumAnotherStateAndAnotherSecret) {
  auto built = build_liabilities(x.engine(), proof_key());
  ASSERT_TRUE(built.is_ok());
  auto forged = built->root;
  forged.sums[USDC] -= 1;  // one unit of liabilities hidden, signed by the exchange
  sign_root(forged, proof_key());
  EXPECT_EQ(audit_root(x.engine(), proof_key(), forged).code, ProofError::AuditMismatch);
  EXPECT_EQ(ledger_liabilities_match(x.engine(), forged).code, ProofError::AuditMismatch);
  EXPECT_TRUE(ledger_liabilities_match(x.engine(), built->root).ok());

  const auto other_key = crypto::KeyPair::from_seed(crypto::seed_from_label("test/other-proof"));
  EXPECT_EQ(audit_root(x.engine(), other_key, built->root).code, ProofError::WrongExchangeKey);

  x.deposit("dave", USDC, usd(5));  // the state moves on
  EXPECT_EQ(audit_root(x.engine(), proof_key(), built->root).code, ProofError::AuditMismatch);
}

}  // namespace
}  // namespace glassbook::proofs
