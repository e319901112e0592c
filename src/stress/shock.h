// A stress shock: a path of oracle price moves (every index, one index, one redemption rate), in ppm.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "engine/config.h"

namespace glassbook::stress {

// One move of the oracle path. `ppm` is the relative change: the new value is the current
// aggregate x (1 + ppm / 1e6), rounded down (-300000 is -30%). It must be above -1e6 (-100%).
struct Move {
  enum class Kind : uint8_t {
    AllIndex,        // every Index-valued asset (`asset` is ignored)
    Index,           // the Index-valued asset `asset`
    RedemptionRate,  // the redemption rate of the Redemption-valued asset `asset` (a depeg)
  };
  Kind kind = Kind::AllIndex;
  AssetId asset = 0;
  int64_t ppm = 0;

  bool operator==(const Move&) const = default;
};

// Moves apply in order; each starts from the values the previous ones left.
struct Shock {
  std::vector<Move> moves;

  bool operator==(const Shock&) const = default;
};

// Every index-valued asset moved by `ppm`.
Shock uniform_shock(int64_t ppm);

// "BTC -30%", "all index -30%, WBTC rate -20%": for reports.
std::string describe(const Move& move, const engine::ExchangeConfig& config);
std::string describe(const Shock& shock, const engine::ExchangeConfig& config);

}  // namespace glassbook::stress
