// `glassbook bench journal`: group-commit append rate and durability wait, replay with and without
// signature checks, and recovery of a long journal from snapshot + tail.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace glassbook::app {

struct JournalBenchOptions {
  uint64_t seed = 1;
  uint64_t append_records = 200'000;    // submitted through a node (sequencer + group commit)
  uint64_t records = 10'000'000;        // the long journal replayed and recovered
  uint64_t verify_records = 100'000;    // signed records replayed with signature checks
  std::string dir;                      // where the journals go (a new directory under /tmp when empty)
  bool keep = false;                    // keep the journals afterwards
  // The state root at these numbers of accounts (state_root_workload.h); none when empty.
  std::vector<uint64_t> root_accounts = {1'000'000, 10'000'000};
  int root_batches = 20;                // batches of 1,000 records, one root after each
  bool state_root_only = false;         // only the state root figures
};

// Prints one line per figure, among them `append: N records/s`, `tiles: N ns per record appended`, `replay: N records/s`,
// `replay+verify: N records/s`, `recovery: ...` and `state root: N ms at A accounts`. Returns 0 when every replay found no
// divergence.
int run_journal_bench(std::ostream& out, const JournalBenchOptions& options);

}  // namespace glassbook::app
