// A shock as the exact oracle commands that deliver it to an engine, and the values it moves to.
#pragma once
#include <optional>
#include <vector>

#include "core/result.h"
#include "engine/command.h"
#include "engine/engine.h"
#include "stress/shock.h"

namespace glassbook::stress {

// The oracle path of a shock from an engine's state.
//
// Each move becomes one OracleReport from every key of config().oracle_sources, in the keys'
// order (signed at its command's timestamp, or 1 µs after the source's last report if later), quoting every asset the move changes at its new value: the current value (see `before`)
// x (1 + ppm/1e6), rounded down. Once every source has quoted it, the aggregate of an asset is
// exactly that value, so the next move starts from it. Command n (1-based) carries seq
// last_seq() + n and timestamp last_timestamp() + n, and its signer's public key; it is not
// signed (the engine does not check signatures: the gateway does). Anyone can reproduce the path
// by signing each body with its source's key and sequencing the commands at those numbers.
struct ShockPlan {
  Timestamp start = 0;                      // the first command's timestamp
  std::vector<engine::Command> commands;
  // By asset: the oracle aggregate (Engine::oracle_aggregate_at: an index price or a redemption
  // rate) at `start` before the shock, and once the whole path is delivered. nullopt for assets the
  // oracle does not price, or whose index is frozen and which the shock does not move.
  std::vector<std::optional<int64_t>> before;
  std::vector<std::optional<int64_t>> after;
};

// Refuses (nothing is applied anywhere) a shock without moves, a move of -100% or worse or whose
// value would overflow or reach zero (InvalidArgument), an unknown asset (UnknownAsset), an asset
// of the wrong valuation for its kind of move (InvalidArgument), a configuration without oracle
// sources or an update over kMaxOracleQuotes assets (InvalidArgument), and a moved asset whose
// aggregate is frozen at `start` (IndexFrozen).
Result<ShockPlan> shock_commands(const engine::Engine& engine, const Shock& shock);

}  // namespace glassbook::stress
