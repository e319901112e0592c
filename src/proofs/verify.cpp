// Verifying an inclusion proof against a signed root (verify.h).
#include "proofs/verify.h"

#include <fmt/format.h>

#include <limits>

#include "proofs/proof_json.h"

namespace glassbook::proofs {

ProofStatus verify_root(const LiabilitiesRoot& root, const std::optional<crypto::PublicKey>& exchange_key) {
  if (root.version != kFormatVersion) return proof_fail(ProofError::UnsupportedVersion, fmt::format("root format {}", root.version));
  if (root.depth == 0 || root.depth > kMaxDepth)
    return proof_fail(ProofError::ValueOutOfRange, fmt::format("depth {}: 1 to {}", root.depth, kMaxDepth));
  if (root.sums.size() != root.assets.size() || root.assets.empty())
    return proof_fail(ProofError::AssetCountMismatch, fmt::format("{} sums for {} assets", root.sums.size(), root.assets.size()));
  if (!root_signature_valid(root)) return proof_fail(ProofError::RootNotSigned, "the root's signature does not check under its public key");
  if (exchange_key && *exchange_key != root.public_key)
    return proof_fail(ProofError::WrongExchangeKey, "the root is signed by another key than the exchange's");
  return {};
}

ProofStatus verify_inclusion(const InclusionProof& p, const LiabilitiesRoot& root, const std::optional<crypto::PublicKey>& exchange_key) {
  if (auto s = verify_root(root, exchange_key); !s.ok()) return s;
  return verify_path(p, root);
}

ProofStatus verify_path(const InclusionProof& p, const LiabilitiesRoot& root) {
  if (p.version != kFormatVersion) return proof_fail(ProofError::UnsupportedVersion, fmt::format("proof format {}", p.version));
  if (p.root != root.hash || p.snapshot_id != root.snapshot_id || p.depth != root.depth)
    return proof_fail(ProofError::RootMismatch, "the proof is about another root (its hash, snapshot id or depth differ from the signed root's)");
  const size_t n = root.assets.size();
  if (p.values.size() != n) return proof_fail(ProofError::AssetCountMismatch, fmt::format("{} values for {} assets", p.values.size(), n));
  if (p.path.size() != root.depth)
    return proof_fail(ProofError::PathLength, fmt::format("a path of {} steps for a tree of depth {}", p.path.size(), root.depth));
  if (p.index >= (uint64_t{1} << root.depth))
    return proof_fail(ProofError::IndexOutOfRange, fmt::format("leaf index {} in a tree of 2^{} leaves", p.index, root.depth));
  // One per thread: fetching the algorithm and making a context cost more than the MAC itself.
  thread_local Hmac h;
  if (user_commitment(h, p.user_key, p.snapshot_id, p.account) != p.uc)
    return proof_fail(ProofError::UserCommitmentMismatch, fmt::format("uc is not the commitment of account {} under its key", p.account));
  Digest node = leaf_hash(p.snapshot_id, p.uc, p.index, p.values);
  if (node != p.leaf_hash)
    return proof_fail(ProofError::LeafHashMismatch,
                      "the leaf hash is not the leaf of the account's data (an internal node presented as a leaf?)");

  std::vector<U128> sums(p.values.begin(), p.values.end()), total(n);
  uint64_t at = p.index;
  for (unsigned level = 0; level < root.depth; ++level) {
    const PathStep& step = p.path[level];
    if (step.sums.size() != n)
      return proof_fail(ProofError::AssetCountMismatch, fmt::format("path step {}: {} sums for {} assets", level, step.sums.size(), n));
    for (size_t x = 0; x < n; ++x) {
      if (level == 0 && step.sums[x] > std::numeric_limits<uint64_t>::max())
        return proof_fail(ProofError::ValueOutOfRange, fmt::format("the sibling leaf's {} is above 2^64 - 1", root.assets[x]));
      total[x] = sums[x] + step.sums[x];
      if (total[x] < sums[x])
        return proof_fail(ProofError::SumOverflow, fmt::format("level {}: the {} sum wraps 2^128", level + 1, root.assets[x]));
    }
    const bool right = (at & 1) != 0;
    node = right ? node_hash(static_cast<uint8_t>(level + 1), step.hash, step.sums, node, sums)
                 : node_hash(static_cast<uint8_t>(level + 1), node, sums, step.hash, step.sums);
    sums.swap(total);
    at >>= 1;
  }
  for (size_t x = 0; x < n; ++x)
    if (sums[x] != root.sums[x])
      return proof_fail(ProofError::SumNotChildrenSum,
                        fmt::format("the root's {} sum {} is not the sum of its children's, {}", root.assets[x],
                                    u128_to_string(root.sums[x]), u128_to_string(sums[x])));
  if (node != root.hash) return proof_fail(ProofError::RootHashMismatch, "the path does not lead to the root's hash");
  return {};
}

}  // namespace glassbook::proofs
