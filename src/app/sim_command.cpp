// run_sim_command: seeds in order, a line each, and the faults fired over all of them.
#include "app/sim_command.h"

#include <fmt/format.h>

#include <array>
#include <ostream>

#include "sim/storage_simulator.h"

namespace glassbook::app {

int run_sim_command(std::ostream& out, const SimCommandOptions& o) {
  sim::StorageSimOptions so;
  std::string error;
  if (!sim::parse_fault_kinds(o.faults, so.faults, error)) {
    out << "sim: " << error << "\n";
    return 2;
  }
  if (o.seeds == 0 || o.commands == 0 || o.fault_per_mille > 1000) {
    out << "sim: --seeds and --commands must be at least 1, --fault-rate at most 1000\n";
    return 2;
  }
  so.commands = o.commands;
  so.fault_per_mille = o.fault_per_mille;
  std::array<uint64_t, sim::kFaultKinds> fired{};
  uint64_t failed = 0, commands = 0;
  double seconds = 0;
  for (uint64_t i = 0; i < o.seeds; ++i) {
    so.seed = o.seed + i;
    const sim::StorageSimResult r = sim::run_storage_sim(so);
    out << r.line() << "\n" << std::flush;
    for (size_t k = 0; k < sim::kFaultKinds; ++k) fired[k] += r.faults[k];
    failed += r.ok ? 0 : 1;
    commands += r.commands;
    seconds += r.seconds;
  }
  std::string missing;
  for (size_t k = 0; k < sim::kFaultKinds; ++k)
    if (so.faults[k] && fired[k] == 0) missing += fmt::format("{}{}", missing.empty() ? "" : ", ", sim::fault_kind_name(static_cast<sim::FaultKind>(k)));
  if (o.seeds > 1) {
    std::string faults_text;
    for (size_t k = 0; k < sim::kFaultKinds; ++k)
      faults_text += fmt::format("{}{}={}", k ? " " : "", sim::fault_kind_name(static_cast<sim::FaultKind>(k)), fired[k]);
    out << fmt::format("sim: {} seeds from {}, {} failed, faults {}, {:.0f} simulated commands/s\n", o.seeds, o.seed, failed,
                       faults_text, seconds > 0 ? static_cast<double>(commands) / seconds : 0.0);
  }
  if (o.require_every_fault && !missing.empty()) {
    out << "sim: no fault of these kinds fired: " << missing << " (more seeds or commands, or a higher --fault-rate)\n";
    return 1;
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace glassbook::app
