// `glassbook custodian`: a custodian as a process of its own. It reads the exchange's open
// withdrawals, approves those that pass its checks (ApproveWithdrawal, signed with its custodian
// key), and, when it is the designated broadcaster holding the wallet key, sends each approved
// withdrawal's transfer on the simulated chain and records it (BroadcastWithdrawal).
#pragma once
#include <cstdint>
#include <string>

#include "app/passphrase.h"

namespace glassbook::app {

struct CustodianCommandOptions {
  std::string chain_url;  // the simulated chain's JSON-RPC (glassbook chain-sim)
  std::string url;        // the exchange's gateway
  bool demo = false;      // the demo's public custodian key, assets and hot wallet (demo/custody/hot-wallet)
  std::string key_file;   // otherwise: the sealed custodian key ...
  PassphraseSource passphrase;
  std::string genesis;    // ... and the exchange's genesis (its assets)
  bool broadcast = false;  // the one custodian that sends transfers (the others approve only)
  std::string wallet_key_file;  // with --broadcast, without --demo: the sealed key of the wallet paid from
  PassphraseSource wallet_passphrase;
  std::string blockchain;  // the exchange's name of the chain (default: the simulated chain's name)
  int64_t max_amount = 0;  // smallest units; a withdrawal above it is neither approved nor sent (0: none)
  // Non-zero: send CancelWithdrawal for this withdrawal, print the answer and exit (no chain needed).
  uint64_t cancel_id = 0;
  double interval_seconds = 1.0;
  double seconds = 0;      // stop after this long; 0: on SIGINT/SIGTERM
  // Test only: the process kills itself (SIGKILL) after the chain took a transfer and before the
  // exchange records it, the crash the idempotence must survive.
  bool kill_after_send = false;
};

// The demo's hot wallet: the public label its key derives from (scripts/run funds its address).
inline constexpr const char* kDemoHotWalletLabel = "demo/custody/hot-wallet";

// Exit status: 0 after a clean stop (or an accepted cancellation), 1 when it cannot start (or the
// exchange refused the cancellation).
int run_custodian(const CustodianCommandOptions& options);

}  // namespace glassbook::app
