// Genesis for a new exchange: the demo's markets under keys that only their holders know.
#include "app/genesis_init.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "app/demo_accounts.h"
#include "app/genesis_command.h"
#include "core/decimal.h"
#include "crypto/key_file.h"
#include "crypto/sha256.h"
#include "engine/config_codec.h"
#include "engine/genesis_toml.h"

namespace glassbook::app {
namespace {

std::optional<crypto::PublicKey> key_from_text(const std::string& text) {
  if (auto k = crypto::public_key_from_base64(text)) return k;
  if (text.size() != 64) return std::nullopt;
  crypto::PublicKey k{};
  for (size_t i = 0; i < k.size(); ++i) {
    unsigned v = 0;
    for (char c : text.substr(2 * i, 2)) {
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<unsigned>(d);
    }
    k[i] = static_cast<uint8_t>(v);
  }
  return k;
}

// A public key given as text, or read (without its passphrase) from the key file at that path,
// which must have been made for `role`.
Result<crypto::PublicKey> public_key_of(const std::string& given, const std::string& role) {
  if (auto k = key_from_text(given)) return *k;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(given, ec))
    return Status(Error::InvalidArgument, fmt::format("{} key {}: neither a public key (base64 or 64 hex digits) nor a key file", role, given));
  auto bytes = crypto::read_key_file(given);
  if (!bytes) return bytes.status();
  auto info = crypto::key_file_info(*bytes);
  if (!info) return Status(info.code(), fmt::format("{}: {}", given, info.status().message()));
  if (info->role != role) return Status(Error::InvalidArgument, fmt::format("{} holds a {} key, given as a {} key", given, info->role, role));
  return info->public_key;
}

Result<crypto::PublicKey> real_key(const std::string& given, const std::string& role) {
  auto key = public_key_of(given, role);
  if (!key) return key;
  if (auto label = demo_label_of(*key))
    return Status(Error::Unauthorized, fmt::format("{} key {} is the public demo key \"{}\": anyone can sign with it; make one with `glassbook keys new`",
                                                   role, crypto::base64_encode(*key), *label));
  return key;
}

Result<engine::RolePolicy> policy(const std::vector<std::string>& given, uint32_t threshold, const std::string& role, bool required) {
  engine::RolePolicy p;
  if (given.empty()) {
    if (required) return Status(Error::InvalidArgument, fmt::format("at least one {} key is needed", role));
    if (threshold != 0) return Status(Error::InvalidArgument, fmt::format("a {} threshold without {} keys", role, role));
    return p;
  }
  for (const std::string& g : given) {
    auto k = real_key(g, role);
    if (!k) return k.status();
    if (p.contains(*k)) return Status(Error::InvalidArgument, fmt::format("{} key {} is given twice", role, crypto::base64_encode(*k)));
    p.keys.push_back(*k);
  }
  const auto n = static_cast<uint32_t>(p.keys.size());
  p.threshold = threshold == 0 ? n / 2 + 1 : threshold;
  if (p.threshold > n) return Status(Error::InvalidArgument, fmt::format("{} threshold {} exceeds the {} keys given", role, p.threshold, n));
  return p;
}

Result<engine::ExchangeConfig> build(const GenesisInitOptions& o) {
  // The demo's (or the given file's) assets, markets, risk parameters and groups are the template;
  // every key, every role and the governance come from the options.
  engine::ExchangeConfig c;
  if (o.markets.empty()) {
    c = demo_exchange_config(demo_keys());
  } else {
    auto from = read_genesis_file(o.markets);
    if (!from) return Status(from.code(), fmt::format("--markets {}: {}", o.markets, from.status().message()));
    c = std::move(from).value();
    c.operators = c.chain_watchers = c.oracle_sources = c.custodians = engine::RolePolicy{};
    c.governance = engine::GovernanceConfig{};
  }
  c.state_root_version = engine::kStateRootV2;  // a new exchange: the incremental state root
  auto log = real_key(o.log_key, "log");
  if (!log) return log.status();
  c.log_key = *log;
  // Never the template's (the demo's is a public label): only the one given, if any.
  c.proof_key = crypto::PublicKey{};
  if (!o.proof_key.empty()) {
    auto proof = real_key(o.proof_key, "proof");
    if (!proof) return proof.status();
    c.proof_key = *proof;
  }
  struct Role {
    engine::RolePolicy* slot;
    const std::vector<std::string>* given;
    uint32_t threshold;
    const char* name;
    bool required;
  };
  for (const Role& r : {Role{&c.operators, &o.operators, o.operators_threshold, "operator", true},
                        Role{&c.chain_watchers, &o.chain_watchers, o.chain_watchers_threshold, "chain-watcher", true},
                        Role{&c.oracle_sources, &o.oracle_sources, o.oracle_quorum, "oracle-source", true},
                        Role{&c.custodians, &o.custodians, o.custodians_threshold, "custodian", false}}) {
    auto p = policy(*r.given, r.threshold, r.name, r.required);
    if (!p) return p.status();
    *r.slot = std::move(p).value();
  }
  c.governance.config_timelock_us = static_cast<int64_t>(o.config_timelock_seconds * 1e6);
  for (const std::string& given : o.large_deposits) {
    const size_t eq = given.find('=');
    const std::string symbol = given.substr(0, eq);
    size_t asset = 0;
    while (asset < c.assets.size() && c.assets[asset].symbol != symbol) ++asset;
    if (eq == std::string::npos || asset == c.assets.size())
      return Status(Error::InvalidArgument, fmt::format("--large-deposit {}: expected SYMBOL=AMOUNT with a configured asset", given));
    auto amount = parse_decimal(given.substr(eq + 1), c.assets[asset].decimals);
    if (!amount || *amount <= 0)
      return Status(Error::InvalidArgument, fmt::format("--large-deposit {}: not a positive amount of {}", given, symbol));
    if (c.governance.large_deposit.size() <= asset) c.governance.large_deposit.resize(asset + 1, 0);
    c.governance.large_deposit[asset] = *amount;
  }
  if (auto v = engine::validate_config(c); !v) return v.status();
  return c;
}

}  // namespace

int run_genesis_init(const GenesisInitOptions& o) {
  auto config = build(o);
  if (!config) return fmt::print(stderr, "genesis init: {}\n", config.status().message()), 1;
  std::error_code ec;
  if (std::filesystem::exists(o.out, ec)) return fmt::print(stderr, "genesis init: {} already exists: refused\n", o.out), 1;
  const std::string text = fmt::format(
      "# Genesis of a new exchange (docs/operations.md): {}'s assets and markets under role keys\n"
      "# made with `glassbook keys new`. Review it, then check it with `glassbook genesis check`.\n{}",
      o.markets.empty() ? std::string("the demo") : o.markets, engine::genesis_to_toml(*config));
  {
    std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) return fmt::print(stderr, "genesis init: cannot write {}\n", o.out), 1;
  }
  const engine::ExchangeConfig& c = *config;
  fmt::print("genesis:      {} written\n", o.out);
  fmt::print("config hash:  {}\n", crypto::to_hex(crypto::sha256(engine::encode_config(c))));
  fmt::print("roles:        operators {} of {}, chain watchers {} of {}, oracle sources {} of {}, custodians {} of {}\n",
             c.operators.threshold, c.operators.keys.size(), c.chain_watchers.threshold, c.chain_watchers.keys.size(),
             c.oracle_sources.threshold, c.oracle_sources.keys.size(), c.custodians.threshold, c.custodians.keys.size());
  return 0;
}

}  // namespace glassbook::app
