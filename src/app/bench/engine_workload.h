// Workload 2 of shared/bench-workload.md: the full engine (ledger, holds, fees, matching) on one market.
#pragma once
#include <cstdint>
#include <ostream>

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

}  // namespace glassbook::app
