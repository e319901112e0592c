// Text forms of Merkle inclusion and consistency proofs, for users to carry around and verify offline against checkpoints.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/sha256.h"
#include "journal/checkpoint.h"

namespace glassbook::journal {

// Inclusion proof (RFC 9162 2.1.3: the audit path of leaf `index` in the tree of the first
// `tree-size` leaves; hashes from the leaf's sibling up to the root's child):
//
//   glassbook/inclusion-proof/v1
//   index <N>
//   tree-size <N>
//   leaf-hash <hex>
//   proof <hex>          zero or more, in order
//
// Consistency proof (RFC 9162 2.1.4: the tree of old-size leaves is a prefix of the tree of new-size):
//
//   glassbook/consistency-proof/v1
//   old-size <N>
//   new-size <N>
//   proof <hex>          zero or more, in order
//
// Every line ends in "\n" (no "\r", no blank line, nothing after the last line); the lines come in
// exactly this order with one space after the keyword; numbers follow the tree-size rule
// (parse_canonical_decimal); hashes are 64 lowercase hex digits. Parsing also requires index <
// tree-size, old-size <= new-size, and at most kMaxProofHashes proof lines. A leaf hash is RFC
// 6962's SHA-256(0x00 || leaf); for the journal, the record_hash of the record.

inline constexpr std::string_view kInclusionProofTag = "glassbook/inclusion-proof/v1";
inline constexpr std::string_view kConsistencyProofTag = "glassbook/consistency-proof/v1";
// Proofs in a tree of fewer than 2^64 leaves have at most 64 (inclusion) or 65 (consistency) hashes.
inline constexpr size_t kMaxProofHashes = 128;
inline constexpr size_t kMaxProofTextBytes = 16 * 1024;  // longer texts are refused before parsing

struct InclusionProof {
  uint64_t index = 0;
  uint64_t tree_size = 0;
  crypto::Digest leaf_hash{};
  std::vector<crypto::Digest> path;

  bool operator==(const InclusionProof&) const = default;
};

struct ConsistencyProof {
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  std::vector<crypto::Digest> path;

  bool operator==(const ConsistencyProof&) const = default;
};

std::string encode_inclusion_proof(const InclusionProof& proof);
std::string encode_consistency_proof(const ConsistencyProof& proof);
// Strict inverses of the encoders; InvalidArgument naming the line and what is wrong.
Result<InclusionProof> parse_inclusion_proof(std::string_view text);
Result<ConsistencyProof> parse_consistency_proof(std::string_view text);

// The checkpoint is trusted (verify_checkpoint first). InvalidArgument when the proof is for a
// different tree size than the checkpoint's, or does not lead to its root. This shows that the
// proof's own leaf hash is in the tree: a user holding a record checks it against that record
// with the overload below.
Status check_inclusion(const InclusionProof& proof, const Checkpoint& checkpoint);
// Also InvalidArgument unless the proof's leaf hash is expected_leaf_hash.
Status check_inclusion(const InclusionProof& proof, const Checkpoint& checkpoint, const crypto::Digest& expected_leaf_hash);
// Both checkpoints trusted. InvalidArgument when their origins differ, the sizes are not theirs, or
// the proof does not show the old tree to be a prefix of the new one.
Status check_consistency(const ConsistencyProof& proof, const Checkpoint& old_checkpoint,
                         const Checkpoint& new_checkpoint);

// Parse, then check.
Status verify_inclusion_text(std::string_view proof_text, const Checkpoint& checkpoint);
Status verify_inclusion_text(std::string_view proof_text, const Checkpoint& checkpoint,
                             const crypto::Digest& expected_leaf_hash);
Status verify_consistency_text(std::string_view proof_text, const Checkpoint& old_checkpoint,
                               const Checkpoint& new_checkpoint);

}  // namespace glassbook::journal
