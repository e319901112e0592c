// What a stress scenario did to a copy of the live engine: every figure and exactly what it means.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "crypto/sha256.h"
#include "engine/command.h"
#include "stress/group_losses.h"
#include "stress/shock.h"

namespace glassbook::stress {

// One asset's oracle aggregate before the shock and after its whole path (index price in margin-asset
// units per whole unit, or redemption rate in 1e-9).
struct AssetMoveReport {
  AssetId asset = 0;
  int64_t before = 0;
  int64_t after = 0;
  bool rate = false;  // a redemption rate, not a price
};

// A perpetual's mark before the shock (the live engine's at the shock's start) and after its whole
// path (the copy's after the last command), in margin-asset units per whole base unit. The mark
// follows the index within the market's mark cap plus the funding term (risk/mark_price.h), so a
// -50% index shock shows a mark shock of about -50%, never one held back by an unmoved book.
struct MarkMoveReport {
  MarketId market = 0;
  int64_t before = 0;
  int64_t after = 0;
};

// An account the copy still holds with negative equity after the shock. There should be none: an
// account without positions is made whole by the fund (BadDebtCovered); one still holding positions
// with negative equity means the waterfall could not finish (a frozen price, the step limit).
struct NegativeEquity {
  AccountId account = 0;
  int64_t equity = 0;  // < 0, Engine::margin_of at the copy's prices after the last command
  bool has_positions = false;
};

// Amounts are in the margin asset's smallest units unless said otherwise; quantities are base units
// summed over markets. Everything from `events` on is derived from the events the copy emitted while
// it applied the shock's commands, and from the copy's state after the last one; the cover-2 figures
// come from the live state revalued at the shocked prices.
struct StressReport {
  Shock shock;
  std::string description;                // describe(shock)
  std::vector<engine::Command> commands;  // the oracle updates applied, in order (shock_commands)
  std::vector<AssetMoveReport> moves;     // every asset the shock moved
  std::vector<MarkMoveReport> marks;      // every perpetual with a mark before and after

  uint64_t events = 0;                    // events of all the commands together
  std::vector<AccountId> liquidated;      // distinct accounts with a LiquidationStarted event, ascending
  uint64_t liquidations = 0;              // LiquidationStarted events (an account may be liquidated twice)
  uint64_t orders_cancelled = 0;          // OrderCancelled events with cause Liquidation: the liquidated
                                          // accounts' open orders and the unfilled rest of liquidation orders
  uint64_t book_fills = 0;                // Trade events: liquidation orders filled by resting orders (only
                                          // liquidations trade on an oracle update)
  int64_t book_quantity = 0;              // their quantity
  int64_t book_notional = 0;              // their price x quantity, rounded down per fill
  uint64_t fund_takeovers = 0;            // PositionTakenOver with client_id 0: the insurance fund took it
  int64_t fund_takeover_quantity = 0;
  int64_t fund_takeover_notional = 0;     // at the bankruptcy price, rounded down per event
  uint64_t adl_events = 0;                // PositionTakenOver with client_id 1: auto-deleveraging
  std::vector<AccountId> adl_counterparties;  // distinct deleveraged accounts, ascending
  int64_t adl_quantity = 0;
  int64_t adl_notional = 0;               // at the bankruptcy price, rounded down per event
  uint64_t bad_debt_events = 0;           // BadDebtCovered events
  int64_t bad_debt = 0;                   // their sum: margin debt the insurance fund paid
  uint64_t funding_payments = 0;          // FundingPaid events (an oracle update may close an interval)

  std::vector<NegativeEquity> negative_equity;  // customers left below zero equity (should be empty)

  // The insurance fund (kInsuranceAccount): its margin-asset ledger balance before (live) and after
  // (the copy), and its equity (margin_of: balance, collateral and the positions it took over at
  // mark) at the live prices at the shock's start and at the copy's prices after the last command.
  int64_t fund_balance_before = 0;
  int64_t fund_balance_after = 0;
  int64_t fund_equity_before = 0;
  int64_t fund_equity_after = 0;
  int64_t fund_positions_before = 0;      // open positions of the fund (count of markets)
  int64_t fund_positions_after = 0;

  // Cover 2: on the live state revalued at the shocked prices (shocked_prices: instant, before any
  // liquidation), the two largest group losses (group_losses), their sum, and whether the fund's
  // equity before the shock covers that sum.
  std::vector<GroupLoss> largest_group_losses;  // at most two, largest first
  int64_t cover2 = 0;
  bool cover2_covered = true;

  crypto::Digest state_root_before{};     // the live engine's
  crypto::Digest state_root_after{};      // the copy's after the last command
  std::string invariant_violation;        // check_invariants() of the copy at the end; empty when they hold
};

}  // namespace glassbook::stress
