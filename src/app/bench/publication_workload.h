// `glassbook bench publication`: the engine thread's apply latency with and without a liabilities
// tree being built from a copy of its state on other threads, as a serving node publishes one.
#pragma once
#include <cstdint>
#include <ostream>

namespace glassbook::app {

struct PublicationBenchOptions {
  uint64_t seed = 1;
  uint64_t commands = 2'000'000;  // timed commands: the first half without a build, the second with
  uint32_t accounts = 200'000;    // registered and funded accounts: leaves of the tree
  unsigned threads = 2;           // threads building the tree
};

// Applies the engine workload's stream (workload 2) on this thread: its first half alone, then its
// second half while another thread restores the state copied after the first half and builds its
// liabilities tree, again and again until the second half ends. Prints both halves' apply latency
// percentiles (one command in 16 sampled), what the copy cost the engine thread, and the builds.
// Returns 0, or 1 when a build fails.
int run_publication_bench(std::ostream& out, const PublicationBenchOptions& o);

}  // namespace glassbook::app
