// Stress scenarios: a shock applied to a restored copy of the live engine, and grids of them.
#pragma once
#include <span>
#include <vector>

#include "core/result.h"
#include "engine/engine.h"
#include "stress/shock.h"
#include "stress/stress_report.h"

namespace glassbook::stress {

// Restores a copy of `live` from its snapshot, applies shock_commands(live, shock) to it and
// reports (stress_report.h). `live` is never changed. Refuses what shock_commands refuses, a
// snapshot that does not restore, and a shock command the copy rejects (naming it).
Result<StressReport> run_stress(const engine::Engine& live, const Shock& shock);

// The grid's moves of every index: -50, -30, -20, -10, -5, +5, +10, +20, +30 and +50%.
std::vector<int64_t> grid_ppm();

// One run_stress per grid point, each from the same live state, independently: the shock of a
// point is every index moved by it, followed by `extra` moves (depegs). In grid_ppm()'s order.
Result<std::vector<StressReport>> run_stress_grid(const engine::Engine& live, std::span<const Move> extra = {});

}  // namespace glassbook::stress
