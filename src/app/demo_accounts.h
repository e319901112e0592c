// The demo exchange's keys, configuration and funded accounts (public, label-derived keys: demo only).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/exchange_view.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "engine/config.h"
#include "journal/node.h"

namespace glassbook::app {

struct DemoKeys {
  crypto::KeyPair log;      // signs genesis and checkpoints
  crypto::KeyPair watcher;  // the chain watcher that attests demo deposits
  std::vector<crypto::KeyPair> oracle_sources;  // "demo/oracle/<i>": each signs its own index prices
  crypto::KeyPair custodian;  // "demo/custodian": approves and broadcasts demo withdrawals (1 of 1)
  crypto::KeyPair proof;      // "demo/proof": signs liabilities roots
};
DemoKeys demo_keys();

// Every label a demo or simulation key derives from (crypto::seed_from_label): the role keys (log,
// chain watcher, oracle sources), the crash simulation's, and the API accounts `serve --demo` can
// fund. Their secrets are public: a real exchange must hold none of their public keys.
inline constexpr uint32_t kMaxDemoAccounts = 10'000;
std::vector<std::string> demo_key_labels();
// The label whose key this is, if it is a demo key.
std::optional<std::string> demo_label_of(const crypto::PublicKey& key);
// demo_config with the log key, the proof key, an operator set (the log key, 1 of 1), the custodian (1 of 1), and the perpetuals and risk
// parameters of add_demo_perpetuals (demo_perpetuals.h) with the demo oracle sources.
engine::ExchangeConfig demo_exchange_config(const DemoKeys& keys);

struct DemoAccount {
  AccountId account = 0;
  crypto::Seed seed{};
  crypto::KeyPair key = crypto::KeyPair::from_seed(crypto::Seed{});
  bool registered_now = false;  // registered by this call (not found already)
};

// The simulated chain's address a demo account may withdraw to: the address of the public label
// "demo/withdrawal/<account>"'s key (docs/custody.md, "Trying it by hand").
std::string demo_withdrawal_address(AccountId account);
// Puts each newly registered account's demo_withdrawal_address on its allow-list (AddWithdrawalAddress
// signed by the account's key), so that a demo withdrawal has somewhere to go. Waits until durable.
Status allow_demo_withdrawal_addresses(journal::Node& node, const std::vector<DemoAccount>& accounts);

// What each demo account is credited with, by asset (BTC, SOL, USDC; smallest units; 0: nothing).
using DemoFunds = std::vector<int64_t>;
// 10 BTC, 1000 SOL and 1,000,000 USDC.
DemoFunds default_demo_funds();

// The accounts whose keys derive from "<label>/<i>" for i < count: registers those the exchange
// does not know yet and credits each with `funds` through the chain watcher. Waits until all of it
// is durable and in the view.
Result<std::vector<DemoAccount>> ensure_demo_accounts(journal::Node& node, const api::ExchangeView& view, const DemoKeys& keys,
                                                      uint32_t count, const std::string& label = "demo/api-account",
                                                      const DemoFunds& funds = default_demo_funds());

// The insurance fund's capital: the chain watcher attests a deposit of `usdc` whole USDC to the
// fund's account (kInsuranceAccount), once per exchange (its deposit id is fixed: a second attempt
// is refused as a duplicate, which counts as done). Waits until it is durable.
Status fund_insurance(journal::Node& node, const DemoKeys& keys, int64_t usdc);

}  // namespace glassbook::app
