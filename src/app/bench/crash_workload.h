// `glassbook bench crash`: a -30% flash crash over many leveraged accounts; how long the whole
// liquidation cascade takes, from the first oracle update to the last liquidation.
#pragma once
#include <cstdint>
#include <ostream>

namespace glassbook::app {

struct CrashBenchOptions {
  uint32_t accounts = 1'000'000;
  int32_t shock_ppm = -300'000;
  int steps = 10;
  uint64_t seed = 7;
};

// Builds the population (untimed), then times the oracle path's commands. Prints the tally, the
// line `cascade: N s` and the commands and events per second during the cascade. Returns 0 when
// the engine's invariants hold afterwards.
int run_crash_bench(std::ostream& out, const CrashBenchOptions& options);

}  // namespace glassbook::app
