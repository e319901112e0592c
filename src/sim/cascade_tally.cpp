// Counting a cascade's events (cascade_tally.h).
#include "sim/cascade_tally.h"

namespace glassbook::sim {

void CascadeTally::add(std::span<const engine::Event> events) {
  using engine::EventKind;
  ++commands;
  this->events += events.size();
  for (const engine::Event& e : events) {
    switch (e.kind) {
      case EventKind::Rejected: ++rejected; break;
      case EventKind::LiquidationStarted: ++liquidations; break;
      case EventKind::Trade:
        ++trades;
        traded_quantity += e.quantity;
        break;
      case EventKind::PositionTakenOver:
        if (e.client_id == 0) {
          ++fund_takeovers;
          fund_quantity += e.quantity;
        } else {
          ++adl_takeovers;
          adl_quantity += e.quantity;
        }
        break;
      case EventKind::BadDebtCovered:
        ++bad_debts;
        bad_debt += e.quantity;
        break;
      case EventKind::OrderCancelled:
        if (e.cause == engine::CancelCause::Liquidation) ++liquidation_cancels;
        break;
      default: break;
    }
  }
}

}  // namespace glassbook::sim
