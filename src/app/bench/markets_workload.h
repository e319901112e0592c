// Workload 3 of shared/bench-workload.md (`glassbook bench markets`): the full engine over 100 spot
// and 100 perpetual markets whose activity follows a Pareto distribution, 1,000,000 accounts.
#pragma once
#include <cstdint>
#include <ostream>

namespace glassbook::app {

struct MarketsWorkloadOptions {
  uint64_t seed = 1;
  uint64_t commands = 10'000'000;  // the timed stream, oracle updates included
  uint32_t accounts = 1'000'000;
  uint32_t spot_markets = 100;
  uint32_t perp_markets = 100;
  uint32_t prefill_orders = 1'000;    // resting orders per market before the timed part (and the level it holds)
  uint32_t command_rate = 100'000;    // simulated commands per second: the timestamps' pace
  std::ostream* progress = nullptr;   // a line per tenth of the long phases, when set
};

// Sets up the exchange (untimed), generates the stream in chunks (untimed) and applies each chunk to
// a fresh engine (timed). Prints the seed, the core count, the mix, refusals, trades/s, apply
// latency (one command in 16), the oracle updates, peak memory, the state root, the time to compute
// it and the invariant check; the last line is `markets: N commands/s`. Returns 0 when the state
// root equals the generator's engine's and the invariants hold.
int run_markets_workload(std::ostream& out, const MarketsWorkloadOptions& options);

}  // namespace glassbook::app
