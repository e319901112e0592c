// Backpack REST JSON of perpetuals: market fields, mark prices, funding, open interest, positions, collateral.
#pragma once
#include <optional>
#include <span>

#include "api/backpack_json.h"
#include "engine/engine.h"
#include "engine/risk_state.h"

namespace glassbook::api {

// A perpetual's prices at some time (margin-asset units per whole base unit; nullopt: frozen).
struct MarkFigures {
  std::optional<int64_t> mark, index;
  int64_t funding_rate = 0;    // predicted rate of the current interval, 1e-9
  Timestamp next_funding = 0;  // µs
};

// One open position as the view computes it from the shadow engine and its track.
struct PositionFigures {
  AccountId account = 0;
  uint64_t id = 0;
  int64_t quantity = 0;          // signed base units
  int64_t cost = 0;              // signed entry cost, margin-asset units
  int64_t entry_price = 0;
  std::optional<int64_t> mark;   // nullopt: frozen (then PnL, liquidation and fractions are null/0)
  int64_t exposure = 0;          // base units of the worst case with open orders (>= 0)
  __int128 exposure_notional = 0;
  __int128 unrealized = 0;
  PositionTrack track;           // realized PnL, funding and fees since it opened
  std::optional<int64_t> break_even;
  std::optional<int64_t> liquidation;  // 0: none (equity stays above maintenance at any price)
  int64_t imf_ppm = 0, mmf_ppm = 0;    // initial and maintenance margin as fractions of the notional
  // Its place in its side's auto-deleveraging queue (1: taken first); only in the account's own
  // GET /api/v1/position, never on streams (it walks the side's queue).
  std::optional<engine::Engine::AdlPlace> adl;
};

// One asset of an account's collateral.
struct CollateralLine {
  AssetId asset = 0;
  std::optional<int64_t> price;  // margin-asset units per whole unit; nullopt: not valued or frozen
  __int128 notional = 0;         // total balance x price (margin-asset units)
  __int128 value = 0;            // what counts as margin: free balance x price x weight
};

// Inside the market object: the price filter's band around the mark, and the perpetual's fields.
void write_mark_price_band(JsonWriter& w, const engine::MarketConfig& c);
void write_perp_market_fields(JsonWriter& w, const MarketView& m);
void write_mark_price(JsonWriter& w, const MarketView& m, const MarkFigures& f);
void write_open_interest(JsonWriter& w, const MarketView& m, int64_t open_interest, Timestamp now);
void write_funding_rate(JsonWriter& w, const MarketView& m, const FundingRateRecord& r);
void write_funding_payment(JsonWriter& w, const MarketView& m, AccountId account, const FundingPaymentRecord& p);
void write_position(JsonWriter& w, const MarketView& m, const PositionFigures& p);
// The insurance fund's own figures, inside its object (GET /api/v1/glassbook/insurance): its
// margin-asset balance, its floor, its equity (collateral at weighted value and positions at mark;
// null while a price is frozen) and the maintenance margin of its positions.
void write_insurance_figures(JsonWriter& w, const engine::ExchangeConfig& config, __int128 balance,
                             const engine::MarginSummary& s);
void write_collateral(JsonWriter& w, const engine::ExchangeConfig& config, const ledger::Ledger& ledger, AccountId account,
                      const engine::MarginSummary& s, __int128 unrealized, std::span<const CollateralLine> lines);

}  // namespace glassbook::api
