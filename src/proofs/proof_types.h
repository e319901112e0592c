// The signed liabilities root and one account's inclusion proof (format v1), as values.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "crypto/ed25519.h"
#include "proofs/por_format.h"

namespace glassbook::proofs {

// What the exchange publishes at a checkpoint. The signature covers every other field
// (root_signing_bytes); a later format adds the reserve report's hash to the same message.
struct LiabilitiesRoot {
  uint32_t version = kFormatVersion;
  Digest hash{};
  std::vector<std::string> assets;  // the symbols, in the order of every values and sums list
  std::vector<U128> sums;           // per asset: the root's total (the sum of its children's)
  unsigned depth = 0;
  Digest snapshot_id{};   // the engine's state root at the checkpoint
  SeqNo checkpoint_seq = 0;
  Timestamp time = 0;     // microseconds since the Unix epoch: the last command's time
  crypto::PublicKey public_key{};
  crypto::Signature signature{};
};

// One step up from a node to its parent: the sibling's hash and sums.
struct PathStep {
  Digest hash{};
  std::vector<U128> sums;
};

struct InclusionProof {
  uint32_t version = kFormatVersion;
  Digest snapshot_id{};
  Digest root{};
  unsigned depth = 0;
  AccountId account = 0;
  Digest user_key{};  // k_u: only this account is shown it
  Digest uc{};
  uint64_t index = 0;
  std::vector<uint64_t> values;
  Digest leaf_hash{};
  std::vector<PathStep> path;  // from the leaf's sibling up to the root's children
};

// The bytes the exchange signs: kRootTag, then every field but the key and signature (docs/proofs.md).
std::string root_signing_bytes(const LiabilitiesRoot& r);
void sign_root(LiabilitiesRoot& r, const crypto::KeyPair& key);
bool root_signature_valid(const LiabilitiesRoot& r);

}  // namespace glassbook::proofs
