// `glassbook claims report`: replays a journal, then prints one estate's report.
#include "app/claims_report_command.h"

#include <iostream>
#include <map>

#include "app/journal_state.h"
#include "engine/claims_report.h"

namespace glassbook::app {

int run_claims_report(std::ostream& out, const std::string& dir, uint16_t estate) {
  // From genesis: the report is of the journal's own history, not of a snapshot's word for it. The
  // traded figures are the transfer records the replay produces, folded as the gateway's view folds them.
  std::map<MarketId, engine::TradedTotals> traded;
  auto state = load_journal_state(dir, true, std::nullopt, [&](const engine::Command& c, std::span<const engine::Event> events) {
    for (const engine::Event& e : events)
      if (e.kind == engine::EventKind::ClaimTransferred) engine::count_transfer(traded, engine::claim_transfer_of(c, e));
  });
  if (!state) {
    std::cerr << "glassbook claims report: " << state.status().to_string() << "\n";
    return 1;
  }
  const engine::Engine& e = *state.value().engine;
  auto report = engine::estate_report(e, estate, traded);
  if (!report) {
    std::cerr << "glassbook claims report: " << report.status().to_string() << "\n";
    return 1;
  }
  out << "state after seq " << e.last_seq() << "\n" << engine::format_estate_report(report.value(), e.config());
  return 0;
}

}  // namespace glassbook::app
