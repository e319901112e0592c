// bench api's per-stage breakdown: differences of the process-wide stage counters over one phase.
#include "app/bench/api_breakdown.h"

#include <fmt/format.h>

#include <algorithm>

namespace glassbook::app {

PipelineCounters read_pipeline_counters(const journal::SequencerStats& sequencer) { return {StageCosts::read(), sequencer}; }

void print_breakdown(std::ostream& out, const PipelineCounters& before, const PipelineCounters& after, uint64_t orders,
                     double seconds, double server_cpu_seconds) {
  const double per = 1.0 / static_cast<double>(std::max<uint64_t>(1, orders));
  double covered_us = 0;
  const double server_us = 1e6 * server_cpu_seconds * per;
  if (StageCosts::enabled()) {
    out << "  breakdown (us of CPU per order, each thread's own CPU clock):\n";
    for (size_t i = 0; i < kStageCount; ++i) {
      const double us = 1e-3 * static_cast<double>(after.stages.nanos[i] - before.stages.nanos[i]) * per;
      const uint64_t runs = after.stages.runs[i] - before.stages.runs[i];
      covered_us += us;
      out << fmt::format("    {:<20} {:7.1f} us  ({} runs)\n", stage_name(static_cast<Stage>(i)), us, runs);
    }
    out << fmt::format("    {:<20} {:7.1f} us  (server CPU per order {:.1f} us minus the stages: HTTP, TCP, wake-ups)\n", "rest",
                       server_us - covered_us, server_us);
  }
  const uint64_t commits = after.sequencer.sync_batches - before.sequencer.sync_batches;
  const uint64_t records = after.sequencer.records_synced - before.sequencer.records_synced;
  const uint64_t batches = after.sequencer.applied_batches - before.sequencer.applied_batches;
  const uint64_t applied = after.sequencer.applied - before.sequencer.applied;
  out << fmt::format("  group commits: {:.0f}/s, {:.1f} records per commit; engine batches: {:.0f}/s, {:.1f} commands per batch\n",
                     static_cast<double>(commits) / seconds, static_cast<double>(records) / static_cast<double>(std::max<uint64_t>(1, commits)),
                     static_cast<double>(batches) / seconds, static_cast<double>(applied) / static_cast<double>(std::max<uint64_t>(1, batches)));
}

}  // namespace glassbook::app
