// `glassbook serve`: the exchange behind its Backpack-compatible HTTP/WebSocket gateway, on a journal directory.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "app/passphrase.h"

namespace glassbook::app {

// web/dist of the source tree this binary was built from, when it holds a built interface; else "".
std::string default_web_dir();

struct ServeOptions {
  std::string data_dir;            // the journal directory (created if missing)
  std::string host = "127.0.0.1";  // listen address
  uint16_t port = 8080;            // 0: an ephemeral port
  size_t threads = 2;              // gateway I/O threads
  bool demo = false;               // demo configuration and keys; funded demo accounts on a new exchange
  std::string genesis;             // a real exchange: its genesis file (glassbook genesis init)
  std::string log_key;             // and its log key's sealed file (glassbook keys new --role log)
  PassphraseSource passphrase;     // the log key's passphrase
  uint32_t demo_accounts = 4;      // accounts funded for API users (their keys go to keys_out)
  std::string keys_out;            // where to write the URL and the demo API keys (JSON), once listening
  uint32_t traders = 0;            // simulated traders submitting signed orders (demo only)
  double trader_rate = 20;         // their orders per second, in total
  uint32_t oracle_sources = 5;     // demo oracle sources that sign prices (0: no oracle feeder)
  double oracle_interval = 1;      // seconds between the feeder's rounds
  uint64_t oracle_seed = 1;        // of the feeder's price walk
  double rate_per_key = 100;       // requests per second per API key (burst: twice that)
  double rate_per_ip = 2'000;      // requests per second per address (burst: twice that)
  size_t connections_per_address = 100;       // open connections one address may hold
  uint32_t ws_unsubscribed_timeout_s = 60;    // a WebSocket holding no subscription this long is closed (0: never)
  uint64_t checkpoint_every = 1'000;
  uint64_t snapshot_every = 1'000'000;  // records between snapshots (0: never)
  std::string web_dir = default_web_dir();  // the web interface's files (web/dist); empty: none served
  double seconds = 0;              // stop after this long; 0: run until SIGINT or SIGTERM
  // The demo only: witnesses the demo's genesis names (the same on every start of one journal: the
  // genesis is checked), each "<name> <http://host:port> <key>"
  // (key: base64 or hex Ed25519), and the cosignatures a checkpoint needs (0: all of them).
  std::vector<std::string> demo_witnesses;
  // Proof of liabilities (docs/proofs.md, "Publication"): seconds of command time between roots
  // (0: none, at most 60), and for a real exchange its sealed proof key (the genesis' proof_key).
  double proof_every_seconds = 60;
  std::string proof_key;
  PassphraseSource proof_passphrase;
  uint32_t demo_witness_quorum = 0;
};

// Returns the process exit code.
int run_serve(const ServeOptions& options);

}  // namespace glassbook::app
