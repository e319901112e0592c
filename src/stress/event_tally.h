// Counts a stress copy's events into a report: liquidations, book fills, fund takeovers, ADL, bad debt.
#pragma once
#include <span>

#include "engine/engine.h"
#include "stress/stress_report.h"

namespace glassbook::stress {

// Adds the figures of `events` (one command's) to `report` (the fields from `events` to
// `funding_payments`); `config` gives the decimals for notionals. Distinct-account lists stay
// sorted and unique.
void tally_events(std::span<const engine::Event> events, const engine::ExchangeConfig& config, StressReport& report);

}  // namespace glassbook::stress
