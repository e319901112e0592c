// `glassbook bench custody`: the reconciliation of the ledger with the exchange's wallets at a
// million accounts and 20 assets, timed per reconciliation, against a full recount of the ledger.
#pragma once
#include <cstdint>
#include <ostream>

namespace glassbook::app {

struct CustodyBenchOptions {
  uint64_t accounts = 1'000'000;
  uint32_t assets = 20;
  uint32_t reconciliations = 1'000;
};

// Builds an engine with `assets` assets, `accounts` customers each holding a deposit of one asset,
// one customer hot wallet an asset registered and observed; then times `reconciliations` Reconcile
// commands (the engine's whole path: a timed role command, the figures of every asset, its events)
// and prints their mean and longest, the figures alone, and one full recount of the customer totals
// for comparison. Checks that every asset reconciles with no discrepancy; returns 0 when it does.
int run_custody_bench(std::ostream& out, const CustodyBenchOptions& options);

}  // namespace glassbook::app
