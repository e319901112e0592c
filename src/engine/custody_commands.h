// The commands of the exchange's own wallets and their reconciliation (docs/custody.md, "Wallets"
// and "Reconciliation"): operators register wallets and resolve alerts, chain watchers report the
// wallets' balances on chain.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.h"
#include "crypto/ed25519.h"

namespace glassbook::engine {

// Customer wallets hold customers' assets only (hot: pays withdrawals; cold: offline reserve);
// operational wallets hold the exchange's own money only.
enum class WalletKind : uint8_t { CustomerHot = 0, CustomerCold = 1, Operational = 2 };
inline bool is_customer_wallet(WalletKind k) { return k != WalletKind::Operational; }
const char* wallet_kind_name(WalletKind k);

inline constexpr size_t kMaxWalletSigners = 16;
inline constexpr size_t kMaxExplanationBytes = 1024;

// Registers one on-chain wallet of the exchange with the custodians' keys that sign for it, m of n.
// Operators only, in a timed role command; it takes effect once `operators.threshold` distinct
// operators sent the same record (each a command of its own).
struct RegisterWallet {
  std::string chain;    // as deposit addresses name it ("sim", "Ethereum")
  AssetId asset = 0;
  std::string address;  // as the chain prints it
  WalletKind kind = WalletKind::CustomerHot;
  std::vector<crypto::PublicKey> signers;  // 1..kMaxWalletSigners distinct keys
  uint32_t threshold = 0;                  // 1..signers.size()
  bool operator==(const RegisterWallet&) const = default;
};

// A chain watcher's report of a registered wallet's balance of its asset after block `height`.
// Timed role command only; counted once `chain_watchers.threshold` distinct watchers reported the
// same balance at the same height, and only when newer than the wallet's last observed height.
struct ObserveWalletBalance {
  std::string chain;
  std::string address;
  uint64_t height = 0;
  int64_t balance = 0;  // >= 0, the asset's smallest units
};

// Runs the reconciliation now (on demand). An operator, in a timed role command.
struct Reconcile {};

// Resolves an open reconciliation alert with the operators' explanation; it takes effect once
// `operators.threshold` distinct operators sent the same alert id and text. Timed role command only.
struct ResolveReconciliationAlert {
  uint64_t alert_id = 0;
  std::string explanation;  // 1..kMaxExplanationBytes of printable text
};

}  // namespace glassbook::engine
