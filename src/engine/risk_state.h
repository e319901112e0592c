// The risk engine's state inside the engine: oracle samples, perpetual positions, funding and
// basis accumulators, circuit breakers and group reduce-only deadlines. All of it is in the
// snapshot and the state root (risk_codec.cpp).
#pragma once
#include <boost/container/small_vector.hpp>

#include <cstdint>
#include <optional>
#include <vector>

#include "core/checked.h"
#include "core/ids.h"
#include "engine/config.h"
#include "risk/circuit_breaker.h"
#include "risk/clock_sample.h"
#include "risk/funding.h"
#include "risk/mark_price.h"
#include "risk/oracle.h"

namespace glassbook::engine {

// Margin-asset value of `lots` of a market at `price` per whole base unit, rounded toward zero.
inline __int128 lots_value(const MarketConfig& cfg, int base_decimals, int64_t lots, int64_t price) {
  return div_toward_zero(static_cast<__int128>(lots) * cfg.lot_size * price, pow10(base_decimals));
}

inline int64_t sign_of(int64_t v) { return v > 0 ? 1 : (v < 0 ? -1 : 0); }

// One account's position in one perpetual, and the lots its open orders there could add.
// Invariants: the entry lives while lots, open_buy or open_sell is non-zero; cost has the sign of
// lots (zero when flat); the clearing account's margin-asset balance equals minus the sum of every
// cost (risk_invariants in invariants.cpp).
struct PerpPosition {
  MarketId market = 0;
  int64_t lots = 0;       // signed: > 0 long, < 0 short
  int64_t cost = 0;       // signed entry cost in margin-asset units (what opening it was worth)
  int64_t open_buy = 0;   // lots of this account's open buy orders in the market
  int64_t open_sell = 0;  // lots of its open sell orders

  bool empty() const { return lots == 0 && open_buy == 0 && open_sell == 0; }
  bool operator==(const PerpPosition&) const = default;
};

// An account's perpetual book of positions (cross margin), sorted by market. Most accounts hold
// one position: it lives inline, so that sweeps over many accounts read one array, not one heap
// block per account.
struct MarginAccount {
  boost::container::small_vector<PerpPosition, 1> positions;

  const PerpPosition* find(MarketId m) const {
    for (const auto& p : positions)
      if (p.market == m) return &p;
    return nullptr;
  }
};

// A perpetual market's funding and mark inputs.
struct PerpState {
  risk::BasisAverage basis;         // average of (mid - index), one sample per second
  risk::PremiumAccumulator premium; // premium samples since the last funding, one per second
  risk::ClockSample basis_now;      // the (mid - index) standing since the last oracle update
  risk::ClockSample premium_now;    // the premium standing since the last oracle update
  Timestamp next_funding = 0;       // 0 until the first oracle update
  int64_t last_funding_rate = 0;    // 1e-9
};

// Prices for one command, computed once at its start from the oracle samples and its timestamp.
// nullopt: frozen (too few fresh sources), or not valued.
struct RiskPrices {
  Timestamp now = 0;
  std::vector<std::optional<int64_t>> asset;  // margin-asset units per whole unit
  std::vector<std::optional<int64_t>> mark;   // perpetuals only
};

// What an account's margin looks like at some prices (risk_margin.cpp).
struct MarginSummary {
  __int128 equity = 0;       // collateral (weighted, held funds excluded) + unrealized PnL at mark
  __int128 maintenance = 0;  // tiered maintenance margin of the positions at mark
  __int128 initial = 0;      // tiered initial margin of the worst case of positions and open orders
  __int128 notional = 0;     // gross position notional at mark
  bool frozen = false;       // a price it depends on is frozen: it cannot be judged now
  bool has_positions = false;
};

}  // namespace glassbook::engine
