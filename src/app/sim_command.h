// `glassbook sim`: the storage simulator over one seed or a range of seeds, one summary line each.
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>

namespace glassbook::app {

struct SimCommandOptions {
  uint64_t seed = 1;
  uint64_t seeds = 1;        // run seed, seed + 1, ..., seed + seeds - 1
  uint64_t commands = 2'000;
  std::string faults = "all";  // fault kinds (sim::parse_fault_kinds)
  uint32_t fault_per_mille = 80;
  bool require_every_fault = false;  // fail unless every kind asked for fired at least once in all
};

// Prints one line per seed (and a total line for several) on `out`. 0 when every seed passed (and,
// with require_every_fault, every kind fired), 1 otherwise, 2 on bad options.
int run_sim_command(std::ostream& out, const SimCommandOptions& options);

}  // namespace glassbook::app
