// `glassbook bench api`: signed orders through the HTTP gateway of an in-process exchange, against the Ed25519 verify rate.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>

namespace glassbook::app {

struct ApiBenchOptions {
  double seconds = 5;       // per phase
  uint32_t connections = 32;
  uint32_t accounts = 32;   // funded demo accounts: half sell, half buy
  uint32_t threads = 0;     // server I/O threads; 0: one per core
  std::string dir;          // the journal directory (a new directory under /tmp when empty)
  bool keep = false;        // keep the journal afterwards
  uint32_t group_commit_wait_us = 500;  // the sequencer's group_commit.max_wait (glassbook serve's)
  bool breakdown = true;    // time each stage of the order path (StageCosts) and print it
};

// Prints `ed25519 verify: N/s per core, C cores`, the CPU per order in each stage of the order path
// with group commits and engine batches per second, `api: N orders/s` with its target (0.8 x C x the
// verify rate), `api batch: N orders/s (M requests/s)`, latency percentiles at 25% and 50% of the
// saturation rate (open loop), the journal's statistics and the sent/received balance.
// Returns 0 when every request was answered, 1 otherwise (or when the exchange cannot start).
int run_api_bench(std::ostream& out, const ApiBenchOptions& options);

}  // namespace glassbook::app
