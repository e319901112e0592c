// Workload 2 of shared/bench-workload.md: the full engine (ledger, holds, fees, matching) on one market.
#pragma once
#include <cstdint>
#include <ostream>
#include <vector>

#include "crypto/ed25519.h"
#include "engine/command.h"
#include "engine/config.h"

namespace glassbook::app {

struct EngineWorkloadOptions {
  uint64_t seed = 1;
  uint64_t commands = 5'000'000;
  uint32_t accounts = 2'000;
  uint32_t prefill_orders = 1'000;
};

// Generates the stream (untimed), applies it to a fresh engine (timed) and prints commands/s,
// trades/s, apply latency percentiles (one command in 16 sampled), peak memory and the state root.
// The last line is `engine: N commands/s`. Returns the commands/s figure.
double run_engine_workload(std::ostream& out, const EngineWorkloadOptions& options);

// The workload's stream on its own (for the journal benchmark): setup (registrations, deposits,
// pre-fill) then the timed commands, generated against `config` (the demo configuration with the
// workload's chain watcher, possibly with roles added). Account i's key is workload_key(i).
struct EngineStream {
  std::vector<engine::Command> commands;
  size_t setup = 0;  // commands before the timed part
};
crypto::KeyPair workload_key(uint32_t account_index);
crypto::KeyPair workload_watcher();
EngineStream generate_engine_stream(const EngineWorkloadOptions& options, const engine::ExchangeConfig& config);

}  // namespace glassbook::app
