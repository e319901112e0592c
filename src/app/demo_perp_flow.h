// The simulated traders' perpetual orders: makers quoting around the index, takers crossing, positions kept modest.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <vector>

#include "app/demo_accounts.h"
#include "engine/command.h"
#include "journal/sequencer.h"

namespace glassbook::app {

// Where the traders read the price they quote a perpetual around: its base asset's index as the
// oracle feeder publishes it (margin-asset units per whole unit; 0: not known yet).
using ReferencePrice = std::function<int64_t(AssetId asset)>;

// Produces the perpetual half of the demo's order flow on BTC_PERP and SOL_PERP. Even-numbered
// accounts make markets (post-only quotes 1 to 15 bp from the index, a cancel-all now and then), odd
// ones take (IOC limits 10 bp through the index, or market orders). Each account keeps its position
// in each market within 1 to 3 times its margin deposit in notional (2 to 6 times over both, by
// account), judged from the PositionChanged events of its own flow; the engine's margin rules are
// the hard limit. Refusals are expected and handled: INSUFFICIENT_MARGIN turns the account to
// reducing orders for a while, INDEX_FROZEN and MARKET_PAUSED quiet the market for a second,
// PRICE_OUT_OF_BAND and the rest are only counted.
class PerpOrderFlow {
 public:
  // `margin` is what each account deposited (margin-asset units).
  PerpOrderFlow(std::vector<DemoAccount> accounts, int64_t margin, ReferencePrice reference, uint64_t seed);

  struct Order {
    const DemoAccount* signer = nullptr;
    MarketId market = 0;
    engine::CommandBody body;
  };
  // The next perpetual command into `out`; false when none can be placed now (no index yet,
  // markets quiet). (An out-parameter: GCC 12 sees false uninitialized reads in an optional variant.)
  bool next(Order& out);
  // What the flow learns from an order's events: submit the order with this completion. It holds
  // the flow's shared state, so it may run after the flow is gone.
  journal::Completion completion(const Order& order) const;

  struct Stats {
    uint64_t orders = 0;     // perpetual commands answered
    uint64_t trades = 0;     // trades in them
    uint64_t positions = 0;  // accounts of the flow with a position now (as last seen)
    std::map<Error, uint64_t> refused;
  };
  Stats stats() const;

 private:
  struct Market {
    MarketId id;
    AssetId base;
    int64_t tick, lot, unit;  // unit: one whole base unit
    int max_lots;
  };
  struct Tracker;  // positions, cool-downs and counts (journal thread writes, trader thread reads)

  int64_t cap(size_t account_index, const Market& m, int64_t index) const;  // base units

  std::vector<DemoAccount> accounts_;
  int64_t margin_;
  ReferencePrice reference_;
  std::vector<Market> markets_;
  std::mt19937_64 rng_;
  std::vector<uint32_t> quotes_;  // maker steps per account (a cancel-all every 20th)
  std::shared_ptr<Tracker> tracker_;
};

}  // namespace glassbook::app
