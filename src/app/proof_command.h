// `glassbook proof build|verify|audit`: the proof of liabilities from the command line (docs/proofs.md).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/passphrase.h"

namespace glassbook::app {

// Where the exchange's proof key comes from: its sealed key file, or the demo's public label.
struct ProofKeyOptions {
  std::string key_file;
  PassphraseSource passphrase;
  bool demo = false;
};

struct ProofBuildOptions {
  std::string dir;                      // journal directory
  std::optional<uint64_t> at_seq;       // the state after this record (default: the newest)
  std::string out_root;                 // the signed root's JSON
  std::vector<uint32_t> accounts;       // accounts whose proofs to write
  std::string proofs_dir;               // where: proof-<account>.json
  unsigned depth = 0;                   // 0: the smallest that holds every account
  unsigned threads = 2;
  ProofKeyOptions key;
};
int run_proof_build(const ProofBuildOptions& o);

// Checks a user's proof against a signed root; `exchange_key` (base64), when given, must have signed it.
int run_proof_verify(const std::string& proof_file, const std::string& root_file, const std::string& exchange_key);

// Replays `dir` to the root's checkpoint, rebuilds the tree and compares it with the root byte for
// byte, then the root's sums with the ledger's customer liabilities.
int run_proof_audit(const std::string& dir, const std::string& root_file, const ProofKeyOptions& key);

// Writes the newest liabilities root the journal published (PublishLiabilitiesRoot) at or before
// record `at_seq` (default: the end), as the JSON `proof verify` and `proof audit` read: replayed
// from genesis, the root taken from the engine's state (its symbols and key from the configuration).
int run_proof_published(const std::string& dir, std::optional<uint64_t> at_seq, const std::string& out_root);

// The demo exchange's proof key label (public, like the demo's other keys).
inline constexpr const char* kDemoProofLabel = "demo/proof";

}  // namespace glassbook::app
