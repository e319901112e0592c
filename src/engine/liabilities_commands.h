// The published liabilities root as a journaled command: the exchange's proof key signs the root of
// the liabilities tree built from one checkpointed state (docs/proofs.md, "Publication").
#pragma once
#include <cstdint>
#include <vector>

#include "core/ids.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace glassbook::engine {

// One liabilities root (docs/proofs.md, "What the tree commits to"), journaled so that the next
// checkpoint, and its witnesses, cover it. Signed (the command's signature) by the configured proof
// key; `root_signature` is the same key's signature over the root's own signed bytes (the JSON root
// `glassbook proof verify` reads), kept so that the root can be served from the journal alone. The
// asset symbols are the configuration's, in asset order.
struct PublishLiabilitiesRoot {
  crypto::Digest snapshot_id{};  // the state root at checkpoint_seq: the one the journal's checkpoint there carries
  SeqNo checkpoint_seq = 0;      // the last command of the state the tree was built from
  crypto::Digest hash{};         // the tree's root hash
  std::vector<unsigned __int128> sums;  // per asset, in the configuration's asset order
  uint8_t depth = 0;             // 1..32
  Timestamp time = 0;            // the last command's time at checkpoint_seq (µs)
  crypto::Signature root_signature{};
  bool operator==(const PublishLiabilitiesRoot&) const = default;
};

inline constexpr size_t kMaxLiabilityAssets = 1024;  // proofs::kMaxAssets
inline constexpr uint8_t kMaxLiabilitiesDepth = 32;  // proofs::kMaxDepth

}  // namespace glassbook::engine
