// The live engine's prices revalued at a shock's final oracle values, without applying anything.
#pragma once
#include "engine/engine.h"
#include "stress/shock_commands.h"

namespace glassbook::stress {

// Engine::prices_at(plan.start) with every moved value replaced: an Index asset takes its final
// value; a Redemption asset is revalued as prices_at does (final rate x its underlying's final
// value / 1e9, rounded down); each perpetual's mark is scaled by the factor its base's value moved
// by (mark x after / before, rounded down). The basis, funding and last-trade parts of the mark are
// not recomputed: these are the prices of an instant shock, before anyone trades on it.
engine::RiskPrices shocked_prices(const engine::Engine& engine, const ShockPlan& plan);

}  // namespace glassbook::stress
