// Read-only queries of a perpetual market's funding state (for the gateway's view).
#include "engine/engine.h"

namespace glassbook::engine {

const PerpState* Engine::perp_state(MarketId m) const {
  return m < markets_.size() && markets_[m].is_perp() ? &markets_[m].perp : nullptr;
}

}  // namespace glassbook::engine
