// The insurance fund's own floor: the fund is an account whose zero is its floor. When its equity
// above the floor (its collateral and its positions at mark) falls below the maintenance margin of
// the positions it took over, they are auto-deleveraged against the opposite side at the price that
// leaves its equity at the floor, so no price move, funding or fee can take it below the floor
// while it holds positions.
#include <fmt/format.h>

#include <algorithm>

#include "engine/engine.h"

namespace glassbook::engine {

namespace {

// Each step closes one whole position; the fund holds at most one per market.
constexpr int kMaxFundSteps = 64;

int64_t clamp64(__int128 v) { return static_cast<int64_t>(std::clamp<__int128>(v, INT64_MIN, INT64_MAX)); }

}  // namespace

void Engine::guard_fund_floor(const Command& c, const RiskPrices& prices) {
  if (kInsuranceAccount >= margin_.size() || margin_[kInsuranceAccount].positions.empty()) return;
  for (int step = 0; step < kMaxFundSteps; ++step) {
    const MarginSummary fund = margin_of(kInsuranceAccount, prices);
    if (!fund.has_positions || fund.frozen) return;  // nothing to close, or nothing to judge it by
    const __int128 above = fund.equity - config_.risk.insurance_floor;
    if (above >= fund.maintenance) return;
    if (step == 0) {
      Event started;
      started.kind = EventKind::LiquidationStarted;
      started.account = kInsuranceAccount;
      started.price = clamp64(above);
      started.quantity = clamp64(fund.maintenance);
      events_.push_back(started);
      // Ranked afresh at these prices: a queue left from an earlier command is not state a replay has.
      reset_adl_queues();
    }
    const PerpPosition* largest = largest_position(kInsuranceAccount, prices);
    const MarketId mid = largest->market;
    const int64_t lots = largest->lots;
    // Where closing all of it leaves the fund's equity at its floor (rounded toward the fund).
    const book::Ticks price = bankruptcy_ticks(mid, lots, above, *prices.mark[mid]);
    take_over(c, kInsuranceAccount, mid, lots, price, prices);
  }
}

}  // namespace glassbook::engine
