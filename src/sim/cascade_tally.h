// What a liquidation cascade did, counted from the engine's events.
#pragma once
#include <cstdint>
#include <span>

#include "engine/event.h"

namespace glassbook::sim {

struct CascadeTally {
  uint64_t commands = 0;
  uint64_t events = 0;
  uint64_t rejected = 0;
  uint64_t liquidations = 0;        // LiquidationStarted
  uint64_t trades = 0;              // fills through the book (during a cascade: the liquidations')
  int64_t traded_quantity = 0;      // base units
  uint64_t fund_takeovers = 0;      // PositionTakenOver by the insurance fund
  int64_t fund_quantity = 0;
  uint64_t adl_takeovers = 0;       // PositionTakenOver by auto-deleveraging
  int64_t adl_quantity = 0;
  uint64_t bad_debts = 0;           // BadDebtCovered
  int64_t bad_debt = 0;
  uint64_t liquidation_cancels = 0; // open orders cancelled by a liquidation

  // Counts one command's events.
  void add(std::span<const engine::Event> events);
};

}  // namespace glassbook::sim
