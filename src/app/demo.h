// `glassbook demo`: an in-process simulation of markets with makers and takers, every command signed.
#pragma once
#include <cstdint>

namespace glassbook::app {

struct DemoOptions {
  double seconds = 10;       // wall-clock bound of the run
  uint64_t max_commands = 2'000'000;
  uint32_t accounts = 300;
  uint64_t seed = 42;
  bool quiet = false;        // no progress lines
};

// Returns 0 when the run ended with the invariants holding.
int run_demo(const DemoOptions& options);

}  // namespace glassbook::app
