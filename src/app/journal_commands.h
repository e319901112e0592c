// The journal's commands: `glassbook replay`, `checkpoint`, `proof` and `verify`.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace glassbook::app {

struct ReplayOptions {
  std::string dir;
  std::string checkpoint_file;  // an anchor held outside dir (with key): the journal must reproduce it
  std::string key;              // the log's verifier key (name+id+key) that signed the anchor
  std::vector<std::string> witness_keys;  // witnesses' keys (name+id+key, type 0x04) that must cosign the anchor
  std::optional<size_t> witness_quorum;   // cosignatures needed (default: every witness key given)
  bool from_snapshot = false;
  bool no_signatures = false;
  unsigned threads = 0;
  bool quiet = false;
};
// Audits a journal directory; prints progress, a summary and the first divergence. 0 when none.
int run_replay(const ReplayOptions& options);

// Prints the newest signed checkpoint of `dir` (or the one of `tree_size` records) and, on stderr,
// the verifier key that checks it.
int run_checkpoint(const std::string& dir, std::optional<uint64_t> tree_size);

// Prints an inclusion proof of record `seq` in the tree of `tree_size` records (default: the newest
// checkpoint's), and a consistency proof between two tree sizes.
int run_proof_inclusion(const std::string& dir, uint64_t seq, std::optional<uint64_t> tree_size);
int run_proof_consistency(const std::string& dir, uint64_t old_size, std::optional<uint64_t> new_size);

// Offline checks by anyone holding the files: a proof, signed checkpoint(s) and the log's verifier key.
int run_verify_inclusion(const std::string& checkpoint_file, const std::string& proof_file, const std::string& key,
                         const std::string& record_hash_hex);
int run_verify_consistency(const std::string& old_checkpoint_file, const std::string& new_checkpoint_file,
                           const std::string& proof_file, const std::string& key);

}  // namespace glassbook::app
