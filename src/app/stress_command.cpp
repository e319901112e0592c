// `glassbook stress`: parses the shock, loads the journal's live state, runs the scenario(s) and prints them.
#include "app/stress_command.h"

#include <fmt/format.h>

#include <cstdio>

#include "app/journal_state.h"
#include "app/stress_output.h"
#include "stress/run_stress.h"
#include "stress/shock_text.h"

namespace glassbook::app {

namespace {

int refuse(const std::string& what) {
  fmt::print(stderr, "glassbook stress: {}\n", what);
  return 1;
}

}  // namespace

int run_stress_command(const StressOptions& o) {
  if (o.grid && !o.shock.empty()) return refuse("--shock and --grid exclude each other (the grid moves every index itself)");
  int64_t ppm = -300'000;
  if (!o.shock.empty()) {
    auto parsed = stress::parse_percent(o.shock);
    if (!parsed) return refuse("--shock: " + parsed.status().message());
    ppm = *parsed;
  }
  auto state = load_journal_state(o.dir, o.from_genesis);
  if (!state) return refuse(state.status().to_string());
  const engine::Engine& live = *state->engine;
  const auto& config = live.config();
  std::vector<stress::Move> depegs;
  for (const std::string& text : o.depegs) {
    auto move = stress::parse_depeg(text, config);
    if (!move) return refuse("--depeg: " + move.status().message());
    depegs.push_back(*move);
  }
  fmt::print(stderr, "live state of {}: {}, {} records applied, up to seq {}\n", o.dir,
             state->snapshot_seq ? fmt::format("snapshot at seq {}", *state->snapshot_seq) : std::string("from genesis"),
             state->records_applied, live.last_seq());

  if (o.grid) {
    auto grid = stress::run_stress_grid(live, depegs);
    if (!grid) return refuse(grid.status().to_string());
    fmt::print("{}", o.json ? stress_grid_json(*grid, config) : stress_grid_table(*grid, config));
    return 0;
  }
  stress::Shock shock;
  if (!o.shock.empty() || depegs.empty()) shock = stress::uniform_shock(ppm);
  shock.moves.insert(shock.moves.end(), depegs.begin(), depegs.end());
  auto report = stress::run_stress(live, shock);
  if (!report) return refuse(report.status().to_string());
  fmt::print("{}", o.json ? stress_json(*report, config) : stress_table(*report, config));
  return 0;
}

}  // namespace glassbook::app
