// What the exchange owes each customer account, per asset, read from an engine (never changing it):
// the values of the liabilities tree's leaves (docs/proofs.md, "Values").
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "crypto/sha256.h"
#include "engine/engine.h"

namespace glassbook::proofs {

// One state's liabilities: for each customer account (ids from kFirstCustomer, ascending), one value
// per asset, in `values` row by row.
struct LiabilityTable {
  crypto::Digest snapshot_id{};  // the engine's state root: the state these values come from
  SeqNo checkpoint_seq = 0;      // the last command applied
  Timestamp time = 0;            // its time
  std::vector<std::string> assets;
  std::vector<AccountId> accounts;
  std::vector<uint64_t> values;

  size_t asset_count() const { return assets.size(); }
  const uint64_t* row(size_t i) const { return values.data() + i * assets.size(); }
};

// Every customer account's net equity per asset, clamped at zero: its total balance (what open
// orders hold included) and, in the margin asset, its perpetual positions' unrealized PnL at the mark
// of the engine's last time (a frozen mark counts none: the position at its entry cost). Accounts
// with nothing are included. Refuses (Overflow) a value above 2^64 - 1.
Result<LiabilityTable> customer_liabilities(const engine::Engine& engine);

}  // namespace glassbook::proofs
