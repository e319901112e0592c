// `glassbook chain-sim`: the deterministic simulated chain as a process of its own, serving JSON-RPC
// 2.0 over HTTP on 127.0.0.1 (docs/custody.md), its state kept in a file across restarts.
#pragma once
#include <cstdint>
#include <string>

namespace glassbook::app {

struct ChainSimOptions {
  uint16_t port = 8545;                   // on 127.0.0.1; 0: any free port
  std::string state_file = "chain-sim.state";
  std::string name = "sim";               // a new chain's name and seed (a state file keeps its own)
  uint64_t seed = 1;
  int64_t min_fee = 10;                   // smallest units of the transferred asset
  bool chain_given = false;               // --name, --seed or --min-fee was given: a state file must hold that chain
  double block_seconds = 0;               // mine a block this often; 0: only on sim_mine
  bool test_methods = true;               // sim_mine, sim_reorg, sim_faucet, sim_steal
  std::string ready_file;                 // "<url> <chain id> <height>\n" written here once listening
  double seconds = 0;                     // stop after this long; 0: on SIGINT/SIGTERM
};

// Exit status 0 after a clean stop, 1 when it cannot start (a state file that does not check, a port
// in use), 2 when a timed block could not be saved.
int run_chain_sim(const ChainSimOptions& options);

}  // namespace glassbook::app
