// `glassbook genesis init`: a genesis file for a new exchange from its role holders' public keys.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace glassbook::app {

struct GenesisInitOptions {
  std::string out;
  std::string log_key;
  std::string proof_key;  // optional: the key that signs published liabilities roots (docs/proofs.md)  // each key: base64, 64 hex digits, or the path of its key file
  std::vector<std::string> operators;
  uint32_t operators_threshold = 0;  // 0: a majority
  std::vector<std::string> chain_watchers;
  uint32_t chain_watchers_threshold = 0;
  std::vector<std::string> oracle_sources;
  uint32_t oracle_quorum = 0;
  std::vector<std::string> custodians;
  uint32_t custodians_threshold = 0;
  double config_timelock_seconds = 24 * 3600;  // an approved change waits this long (governance)
  std::vector<std::string> large_deposits;     // "SYMBOL=AMOUNT" in whole units; one watcher up to it
  // A genesis file whose assets, markets, risk parameters and groups are the template ("": the
  // demo's); its keys, roles and governance are never used.
  std::string markets;
};

// Writes the demo's (or the --markets file's) assets, markets and risk parameters with the given role keys, refusing any key
// that a demo label derives (app/demo_accounts.h), a key given twice in one role, and an existing
// file. Prints the configuration hash. Returns the exit code.
int run_genesis_init(const GenesisInitOptions& options);

}  // namespace glassbook::app
