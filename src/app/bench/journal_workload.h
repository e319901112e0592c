// `glassbook bench journal`: group-commit append rate and durability wait, replay with and without
// signature checks, and recovery of a long journal from snapshot + tail.
#pragma once
#include <cstdint>
#include <ostream>
#include <string>

namespace glassbook::app {

struct JournalBenchOptions {
  uint64_t seed = 1;
  uint64_t append_records = 200'000;    // submitted through a node (sequencer + group commit)
  uint64_t records = 10'000'000;        // the long journal replayed and recovered
  uint64_t verify_records = 100'000;    // signed records replayed with signature checks
  std::string dir;                      // where the journals go (a new directory under /tmp when empty)
  bool keep = false;                    // keep the journals afterwards
};

// Prints one line per figure, among them `append: N records/s`, `tiles: N ns per record appended`, `replay: N records/s`,
// `replay+verify: N records/s` and `recovery: ...`. Returns 0 when every replay found no divergence.
int run_journal_bench(std::ostream& out, const JournalBenchOptions& options);

}  // namespace glassbook::app
