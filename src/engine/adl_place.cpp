// An account's place in the auto-deleveraging queue of its position's side, as a liquidation would
// take it at the given prices (for the account's own view: GET /api/v1/position's adlRank).
#include "core/assert.h"
#include "engine/engine.h"

namespace glassbook::engine {

// Walks the very queue a liquidation would build (adl_queue), so the place shown is the one the
// engine would act on, ties and unranked positions included. O(n log n) in the side's holders at
// worst: a query for the account's own positions, answered off the engine thread by the view.
std::optional<Engine::AdlPlace> Engine::adl_place(AccountId a, MarketId m, const RiskPrices& prices) const {
  if (m >= markets_.size() || !markets_[m].is_perp() || m >= prices.mark.size() || !prices.mark[m]) return std::nullopt;
  const PerpPosition* p = position(a, m);
  if (p == nullptr || p->lots == 0) return std::nullopt;
  const int64_t dir = p->lots > 0 ? 1 : -1;
  risk::AdlQueue queue = adl_queue(m, dir, prices);
  AdlPlace place;
  bool found = false;
  for (; !queue.empty(); queue.pop()) {
    ++place.of;
    if (!found && queue.front() == a) {
      place.rank = place.of;
      found = true;
    }
  }
  GB_ASSERT(found);  // every position of the side is in its queue, ranked or not
  return place;
}

}  // namespace glassbook::engine
