// How `glassbook stress` prints its reports: a readable table, or JSON.
#pragma once
#include <span>
#include <string>

#include "engine/config.h"
#include "stress/stress_report.h"

namespace glassbook::app {

// One report as labelled lines; amounts in the margin asset's whole units.
std::string stress_table(const stress::StressReport& report, const engine::ExchangeConfig& config);
// A grid as one row per shock.
std::string stress_grid_table(std::span<const stress::StressReport> reports, const engine::ExchangeConfig& config);

// One report as a JSON object: amounts as decimal strings in the margin asset's whole units,
// quantities as integers in base units, accounts by id, state roots in hex.
std::string stress_json(const stress::StressReport& report, const engine::ExchangeConfig& config);
// {"grid": [report, ...]}.
std::string stress_grid_json(std::span<const stress::StressReport> reports, const engine::ExchangeConfig& config);

}  // namespace glassbook::app
