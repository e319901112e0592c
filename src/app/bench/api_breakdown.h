// bench api's breakdown of one phase: time per order in each stage of the order path, group commits and engine batches.
#pragma once
#include <ostream>

#include "core/stage_costs.h"
#include "journal/sequencer.h"

namespace glassbook::app {

// The process-wide stage counters and the sequencer's statistics at one moment.
struct PipelineCounters {
  StageTotals stages;
  journal::SequencerStats sequencer;
};

PipelineCounters read_pipeline_counters(const journal::SequencerStats& sequencer);

// Prints one line per stage (µs per answered order, spent between `before` and `after`), the rest
// of the server's CPU per order that no stage covers (HTTP and TCP, thread wake-ups), group commits
// per second with records per commit, and engine batches per second with commands per batch.
void print_breakdown(std::ostream& out, const PipelineCounters& before, const PipelineCounters& after, uint64_t orders,
                     double seconds, double server_cpu_seconds);

}  // namespace glassbook::app
