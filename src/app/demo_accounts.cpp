// Demo keys and accounts: registration and chain-watcher deposits through the node, waited for.
#include "app/demo_accounts.h"

#include <fmt/format.h>

#include <map>

#include "app/demo_perpetuals.h"
#include "app/demo_submit.h"
#include "custody/sim_keys.h"
#include "engine/command.h"

namespace glassbook::app {
namespace {

// One funding per account and asset: no customer account is below kFirstCustomer, so the fund's
// id cannot collide with a customer's.
uint64_t funding_deposit_id(AccountId account, AssetId asset) { return (uint64_t{account} << 8) | asset; }

constexpr const char* kDemoLogLabel = "demo/log";
constexpr const char* kDemoWatcherLabel = "demo/chain-watcher";
constexpr const char* kDemoApiAccountLabel = "demo/api-account";
constexpr const char* kDemoCustodianLabel = "demo/custodian";
constexpr const char* kDemoProofLabel = "demo/proof";
std::string demo_oracle_label(int i) { return fmt::format("demo/oracle/{}", i); }

}  // namespace

DemoKeys demo_keys() {
  DemoKeys k{crypto::KeyPair::from_seed(crypto::seed_from_label(kDemoLogLabel)),
             crypto::KeyPair::from_seed(crypto::seed_from_label(kDemoWatcherLabel)),
             {},
             crypto::KeyPair::from_seed(crypto::seed_from_label(kDemoCustodianLabel)),
             crypto::KeyPair::from_seed(crypto::seed_from_label(kDemoProofLabel))};
  for (int i = 0; i < kDemoOracleSources; ++i)
    k.oracle_sources.push_back(crypto::KeyPair::from_seed(crypto::seed_from_label(demo_oracle_label(i))));
  return k;
}

std::vector<std::string> demo_key_labels() {
  std::vector<std::string> labels{kDemoLogLabel, kDemoWatcherLabel, kDemoCustodianLabel, kDemoProofLabel, "sim/watcher"};
  for (int i = 0; i < kDemoOracleSources; ++i) labels.push_back(demo_oracle_label(i));
  // The crash simulation's sources (src/sim/crash_scenario.cpp) number at most 16.
  for (int i = 0; i < 16; ++i) labels.push_back(fmt::format("sim/oracle/{}", i));
  for (uint32_t i = 0; i < kMaxDemoAccounts; ++i) labels.push_back(fmt::format("{}/{}", kDemoApiAccountLabel, i));
  return labels;
}

std::optional<std::string> demo_label_of(const crypto::PublicKey& key) {
  // About 10,000 key derivations: made once, on first use.
  static const std::map<crypto::PublicKey, std::string> by_key = [] {
    std::map<crypto::PublicKey, std::string> m;
    for (std::string& label : demo_key_labels()) m.emplace(crypto::KeyPair::from_seed(crypto::seed_from_label(label)).public_key(), std::move(label));
    return m;
  }();
  auto it = by_key.find(key);
  if (it == by_key.end()) return std::nullopt;
  return it->second;
}

engine::ExchangeConfig demo_exchange_config(const DemoKeys& keys) {
  engine::ExchangeConfig c = engine::demo_config(keys.watcher.public_key());
  c.log_key = keys.log.public_key();
  c.proof_key = keys.proof.public_key();
  c.operators = engine::RolePolicy{{keys.log.public_key()}, 1};
  // One custodian approves (the demo's withdrawals all wait for it: approval_above is 0) and broadcasts.
  c.custodians = engine::RolePolicy{{keys.custodian.public_key()}, 1};
  std::vector<crypto::PublicKey> sources;
  for (const auto& k : keys.oracle_sources) sources.push_back(k.public_key());
  add_demo_perpetuals(c, sources);
  return c;
}

DemoFunds default_demo_funds() { return {10 * 100'000'000LL, 1000 * 1'000'000'000LL, 1'000'000 * 1'000'000LL}; }

Result<std::vector<DemoAccount>> ensure_demo_accounts(journal::Node& node, const api::ExchangeView& view, const DemoKeys& keys,
                                                      uint32_t count, const std::string& label, const DemoFunds& funds) {
  std::vector<DemoAccount> out;
  for (uint32_t i = 0; i < count; ++i) {
    DemoAccount a;
    a.seed = crypto::seed_from_label(fmt::format("{}/{}", label, i));
    a.key = crypto::KeyPair::from_seed(a.seed);
    if (auto known = view.account_of(a.key.public_key())) {
      a.account = *known;
      out.push_back(a);
      continue;
    }
    if (auto s = submit_and_wait(node, a.key, engine::RegisterAccount{a.key.public_key()}); !s) return s;
    auto id = view.account_of(a.key.public_key());
    if (!id) return Status(Error::UnknownAccount, "a registered demo account is missing from the view");
    a.account = *id;
    a.registered_now = true;
    for (AssetId asset = 0; asset < funds.size(); ++asset) {
      if (funds[asset] <= 0) continue;
      const engine::Deposit d{a.account, asset, funds[asset], funding_deposit_id(a.account, asset)};
      if (auto s = submit_and_wait(node, keys.watcher, d); !s) return s;
    }
    out.push_back(a);
  }
  return out;
}

Status fund_insurance(journal::Node& node, const DemoKeys& keys, int64_t usdc) {
  if (usdc <= 0) return {};
  const engine::Deposit d{kInsuranceAccount, kDemoUsdc, usdc * 1'000'000, funding_deposit_id(kInsuranceAccount, kDemoUsdc)};
  Status s = submit_and_wait(node, keys.watcher, d);
  if (!s && s.code() == Error::DuplicateDeposit) return {};
  return s;
}

std::string demo_withdrawal_address(AccountId account) {
  return custody::address_of(crypto::KeyPair::from_seed(crypto::seed_from_label(fmt::format("demo/withdrawal/{}", account))).public_key());
}

Status allow_demo_withdrawal_addresses(journal::Node& node, const std::vector<DemoAccount>& accounts) {
  for (const DemoAccount& a : accounts) {
    if (!a.registered_now) continue;
    if (auto s = submit_and_wait(node, a.key, engine::AddWithdrawalAddress{a.account, demo_withdrawal_address(a.account)}); !s) return s;
  }
  return {};
}

}  // namespace glassbook::app
