// Building and describing shocks.
#include "stress/shock.h"

#include <fmt/format.h>

#include "stress/shock_text.h"

namespace glassbook::stress {

Shock uniform_shock(int64_t ppm) { return Shock{{Move{Move::Kind::AllIndex, 0, ppm}}}; }

std::string describe(const Move& move, const engine::ExchangeConfig& config) {
  const std::string symbol =
      move.asset < config.assets.size() ? config.assets[move.asset].symbol : fmt::format("asset {}", move.asset);
  switch (move.kind) {
    case Move::Kind::AllIndex: return "every index " + percent_text(move.ppm);
    case Move::Kind::Index: return symbol + " " + percent_text(move.ppm);
    case Move::Kind::RedemptionRate: return symbol + " redemption rate " + percent_text(move.ppm);
  }
  return "?";
}

std::string describe(const Shock& shock, const engine::ExchangeConfig& config) {
  std::string out;
  for (const Move& m : shock.moves) {
    if (!out.empty()) out += ", then ";
    out += describe(m, config);
  }
  return out.empty() ? "no move" : out;
}

}  // namespace glassbook::stress
