// Test helpers for the proofs: random liability tables and a signed tree built over one.
#pragma once
#include <fmt/format.h>

#include <random>

#include "proofs/liabilities_tree.h"
#include "proofs/proof_types.h"

namespace glassbook::proofs::testing {

inline const crypto::KeyPair& exchange_key() {
  static const crypto::KeyPair k = crypto::KeyPair::from_seed(crypto::seed_from_label("test/proof-key"));
  return k;
}
inline Digest test_secret() {
  const crypto::Seed seed = exchange_key().seed();
  return proof_secret(seed);
}

// `count` customer accounts from 16 up, `assets` assets; about a fifth of the values are zero, the
// rest spread over the whole 64-bit range's low 50 bits (so that sums never wrap).
inline LiabilityTable random_table(size_t count, size_t assets, uint64_t seed) {
  std::mt19937_64 rng(seed);
  LiabilityTable t;
  t.snapshot_id = crypto::sha256(fmt::format("test snapshot {}", seed));
  t.checkpoint_seq = 1000 + seed;
  t.time = 1'700'000'000'000'000 + static_cast<int64_t>(seed);
  for (size_t x = 0; x < assets; ++x) t.assets.push_back(fmt::format("A{}", x));  // (GCC 12 -O3: a false -Wrestrict on "A" + to_string)
  for (size_t i = 0; i < count; ++i) {
    t.accounts.push_back(static_cast<AccountId>(16 + i));
    for (size_t x = 0; x < assets; ++x) t.values.push_back(rng() % 5 == 0 ? 0 : rng() >> 14);
  }
  return t;
}

struct SignedTree {
  LiabilityTable table;
  std::unique_ptr<LiabilitiesTree> tree;
  LiabilitiesRoot root;
};

inline SignedTree signed_tree(LiabilityTable table, TreeOptions options = {}) {
  SignedTree s;
  s.table = std::move(table);
  auto built = LiabilitiesTree::build(s.table, test_secret(), options);
  GB_ASSERT(built.is_ok());
  s.tree = std::make_unique<LiabilitiesTree>(std::move(built).value());
  s.root = s.tree->root(s.table);
  sign_root(s.root, exchange_key());
  return s;
}

}  // namespace glassbook::proofs::testing
