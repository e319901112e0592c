// The user's verifier: an inclusion proof checked against a signed root, step by step, each fault
// with its own code (docs/proofs.md, "Verifying").
#pragma once
#include <optional>

#include "crypto/ed25519.h"
#include "proofs/proof_error.h"
#include "proofs/proof_types.h"

namespace glassbook::proofs {

// Checks, in this order: the root's signature (and, when given, that `exchange_key` made it); that
// the proof is about this root; one value per asset; a path as long as the depth and an index below
// 2^depth; uc recomputed from k_u; the leaf recomputed from the account's data; every step's sums in
// range and their additions not wrapping 2^128; the root's sums equal to its children's; the hash
// reached equal to the root's.
ProofStatus verify_inclusion(const InclusionProof& proof, const LiabilitiesRoot& root,
                             const std::optional<crypto::PublicKey>& exchange_key = std::nullopt);

// The same checks but the root's: for many proofs against one root already checked by verify_root.
ProofStatus verify_path(const InclusionProof& proof, const LiabilitiesRoot& checked_root);

// Only the root: version, signature (and key), one sum per asset, a depth within 1..kMaxDepth.
ProofStatus verify_root(const LiabilitiesRoot& root, const std::optional<crypto::PublicKey>& exchange_key = std::nullopt);

}  // namespace glassbook::proofs
