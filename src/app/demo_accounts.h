// The demo exchange's keys, configuration and funded accounts (public, label-derived keys: demo only).
#pragma once
#include <cstdint>
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
};
DemoKeys demo_keys();
// demo_config with the log key and an operator set (the log key, 1 of 1).
engine::ExchangeConfig demo_exchange_config(const DemoKeys& keys);

struct DemoAccount {
  AccountId account = 0;
  crypto::Seed seed{};
  crypto::KeyPair key = crypto::KeyPair::from_seed(crypto::Seed{});
};

// The accounts whose keys derive from "<label>/<i>" for i < count: registers those the exchange
// does not know yet and credits each with 10 BTC, 1000 SOL and 1,000,000 USDC through the chain
// watcher. Waits until all of it is durable and in the view.
Result<std::vector<DemoAccount>> ensure_demo_accounts(journal::Node& node, const api::ExchangeView& view, const DemoKeys& keys,
                                                      uint32_t count, const std::string& label = "demo/api-account");

}  // namespace glassbook::app
