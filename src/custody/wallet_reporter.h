// The chain watcher's reports of the exchange's registered wallets' balances (the engine's
// ObserveWalletBalance), free of keys and HTTP: each wallet's balance at the height the watcher has
// read up to, for every wallet the exchange does not hold at that height or later.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "custody/chain.h"
#include "custody/chain_watcher.h"

namespace glassbook::custody {

// A wallet as the exchange lists it (GET /api/v1/glassbook/reconciliation).
struct WatchedWallet {
  Address address;
  std::string asset;
  std::optional<uint64_t> observed_height;  // the exchange's newest observation, if any
};

struct WalletReport {
  Address address;
  std::string asset;
  uint64_t height = 0;
  int64_t balance = 0;
};

using SubmitBalance = std::function<SubmitResult(const WalletReport& report)>;

struct BalancePass {
  std::vector<WalletReport> accepted;
  std::vector<std::pair<WalletReport, std::string>> refused;  // with why
  std::string stalled;  // non-empty: a report could not be delivered; the rest wait for the next pass
};

// Reports every wallet's balance after block `height` (all at the same height, so that the exchange
// reconciles an asset once its wallets are all in), skipping a wallet already observed at `height`
// or later. A chain error stops the pass and reports nothing more.
Result<BalancePass> report_wallet_balances(Chain& chain, const std::vector<WatchedWallet>& wallets, uint64_t height,
                                           const SubmitBalance& submit);

}  // namespace glassbook::custody
