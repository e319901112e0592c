// The liabilities tree: every account of a random 100,000-account state verifies, sums and shape.
#include <gtest/gtest.h>

#include <set>

#include "proof_fixture.h"
#include "proofs/verify.h"

namespace glassbook::proofs {
namespace {

using testing::random_table;
using testing::signed_tree;

TEST(LiabilitiesTree, EveryAccountOfARandom100kStateVerifies) {
  auto s = signed_tree(random_table(100'000, 3, 1));
  EXPECT_EQ(s.tree->depth(), 17u);  // 2^17 = 131,072 leaves: the smallest that hold 100,000
  ASSERT_TRUE(verify_root(s.root, testing::exchange_key().public_key()).ok());
  for (AccountId a : s.table.accounts) {
    auto p = s.tree->proof(a);
    ASSERT_TRUE(p.has_value()) << a;
    const ProofStatus st = verify_path(*p, s.root);  // the root's signature checked once, above
    ASSERT_TRUE(st.ok()) << "account " << a << ": " << st.to_string();
  }
}

TEST(LiabilitiesTree, RootSumsAreTheTablesTotals) {
  auto s = signed_tree(random_table(5'000, 4, 2));
  for (size_t x = 0; x < 4; ++x) {
    U128 total = 0;
    for (size_t i = 0; i < s.table.accounts.size(); ++i) total += s.table.row(i)[x];
    EXPECT_EQ(s.root.sums[x], total) << x;
  }
}

TEST(LiabilitiesTree, OneAndTwoThreadsBuildTheSameTree) {
  const auto table = random_table(20'000, 2, 3);
  TreeOptions one;
  one.threads = 1;
  auto a = signed_tree(table, one), b = signed_tree(table);
  EXPECT_EQ(a.root.hash, b.root.hash);
  EXPECT_EQ(a.root.sums, b.root.sums);
  EXPECT_EQ(a.root.signature, b.root.signature);
}

TEST(LiabilitiesTree, ZeroBalanceAccountsAreIncludedAndTheDepthIsTheOnePublished) {
  auto table = random_table(100, 2, 4);
  std::fill(table.values.begin(), table.values.begin() + 2, 0);  // account 16 holds nothing
  TreeOptions o;
  o.depth = 12;
  auto s = signed_tree(table, o);
  EXPECT_EQ(s.root.depth, 12u);
  auto p = s.tree->proof(16);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->values, (std::vector<uint64_t>{0, 0}));
  EXPECT_EQ(p->path.size(), 12u);
  EXPECT_TRUE(verify_inclusion(*p, s.root).ok());
  EXPECT_FALSE(s.tree->proof(16 + 100).has_value());  // not an account of this state
}

TEST(LiabilitiesTree, LeavesAreOrderedByCommitmentAndUnlinkableAcrossSnapshots) {
  auto s = signed_tree(random_table(300, 1, 5));
  std::vector<std::pair<uint64_t, Digest>> by_index;
  for (AccountId a : s.table.accounts) by_index.emplace_back(s.tree->proof(a)->index, s.tree->proof(a)->uc);
  std::sort(by_index.begin(), by_index.end());
  for (size_t i = 1; i < by_index.size(); ++i) EXPECT_LT(by_index[i - 1].second, by_index[i].second);
  // The same account in another snapshot: the same k_u, another uc.
  auto other = signed_tree(random_table(300, 1, 6));
  EXPECT_EQ(s.tree->proof(20)->user_key, other.tree->proof(20)->user_key);
  EXPECT_NE(s.tree->proof(20)->uc, other.tree->proof(20)->uc);
}

TEST(LiabilitiesTree, PaddingLeavesCarryZeroSumsAndDistinctHashes) {
  auto s = signed_tree(random_table(3, 1, 7));  // depth 2: one padding leaf
  auto p = s.tree->proof(16);
  std::set<Digest> seen{p->leaf_hash};
  for (const auto& step : p->path) EXPECT_TRUE(seen.insert(step.hash).second);
  U128 total = 0;
  for (size_t i = 0; i < 3; ++i) total += s.table.row(i)[0];
  EXPECT_EQ(s.root.sums[0], total);
}

TEST(LiabilitiesTree, RefusesADepthTooSmallOrTooLarge) {
  const auto table = random_table(100, 1, 8);
  TreeOptions o;
  o.depth = 6;  // 64 leaves
  auto small = LiabilitiesTree::build(table, testing::test_secret(), o);
  EXPECT_EQ(small.code(), Error::InvalidArgument);
  o.depth = kMaxDepth + 1;
  EXPECT_EQ(LiabilitiesTree::build(table, testing::test_secret(), o).code(), Error::InvalidArgument);
}

}  // namespace
}  // namespace glassbook::proofs
