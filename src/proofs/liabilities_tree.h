// The liabilities tree (format v1): a Merkle sum tree of fixed depth over every customer account of
// one state, leaves ordered by their per-snapshot commitment, padded with keyed random leaves; built
// on two threads, then asked for the root and for any account's inclusion proof.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"
#include "proofs/liabilities.h"
#include "proofs/proof_types.h"

namespace glassbook::proofs {

struct TreeOptions {
  unsigned depth = 0;    // 0: the smallest depth whose 2^depth leaves hold every account (at least 1)
  unsigned threads = 2;  // 1 or 2: the machines have two cores; each level is split in halves
};

class LiabilitiesTree {
 public:
  // Builds the tree of `table` under the exchange's proof secret. Refuses (InvalidArgument) a depth
  // too small for the accounts or above kMaxDepth, and (Overflow) a sum that would wrap 2^128.
  static Result<LiabilitiesTree> build(const LiabilityTable& table, const Digest& secret, TreeOptions options = {});

  unsigned depth() const { return depth_; }
  const Digest& root_hash() const { return hashes_.back()[0]; }
  std::span<const U128> root_sums() const { return {sums_.back().data(), asset_count_}; }
  const Digest& snapshot_id() const { return snapshot_id_; }
  size_t account_count() const { return accounts_.size(); }

  // The unsigned root: every field but key and signature (sign_root signs it).
  LiabilitiesRoot root(const LiabilityTable& table) const;
  // The inclusion proof of an account; nullopt when it is not in the tree.
  std::optional<InclusionProof> proof(AccountId account) const;

 private:
  LiabilitiesTree() = default;
  unsigned depth_ = 0;
  size_t asset_count_ = 0;
  Digest snapshot_id_{};
  Digest secret_{};
  std::vector<AccountId> accounts_;         // ascending, as in the table
  std::vector<uint32_t> index_of_row_;      // the leaf index of each account row
  std::vector<uint64_t> leaf_values_;       // 2^depth x asset_count (padding: zeros)
  std::vector<std::vector<Digest>> hashes_;  // hashes_[l]: the nodes of height l (0: leaves)
  std::vector<std::vector<U128>> sums_;      // sums_[l] for l >= 1 (sums_[0] stays empty)
};

}  // namespace glassbook::proofs
