// The genesis commands: check a genesis file and print its hash and summary, or print the demo's.
#include "app/genesis_command.h"

#include <fmt/format.h>

#include <fstream>
#include <iterator>

#include "app/demo_accounts.h"
#include "crypto/sha256.h"
#include "engine/config_codec.h"
#include "engine/genesis_toml.h"

namespace glassbook::app {

namespace {

int refuse(const std::string& path, const std::string& why) {
  fmt::print(stderr, "glassbook genesis check: {}: {}\n", path, why);
  return 1;
}

std::string role_summary(const engine::RolePolicy& r) {
  return r.keys.empty() ? "none" : fmt::format("{} of {}", r.threshold, r.keys.size());
}

}  // namespace

Result<engine::ExchangeConfig> read_genesis_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(Error::Io, "cannot be opened");
  // Reads one byte past the limit, so that an oversized file (or a device that never ends) is refused.
  std::string text(engine::kMaxGenesisBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Status(Error::Io, "cannot be read");
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > engine::kMaxGenesisBytes)
    return Status(Error::InvalidArgument, fmt::format("larger than 1 MiB ({} bytes at most): refused unread", engine::kMaxGenesisBytes));
  return engine::parse_genesis_toml(text);
}

int run_genesis_check(const std::string& path) {
  auto config = read_genesis_file(path);
  if (!config) return refuse(path, config.status().message());
  const engine::ExchangeConfig& c = *config;

  std::string assets, markets, groups;
  for (const auto& a : c.assets) assets += (assets.empty() ? "" : ", ") + a.symbol;
  for (const auto& m : c.markets)
    markets += fmt::format("{}{} {}", markets.empty() ? "" : ", ", m.symbol, m.kind == engine::MarketKind::Perpetual ? "perpetual" : "spot");
  for (const auto& g : c.groups) groups += (groups.empty() ? "" : ", ") + g.name;
  fmt::print("genesis:      {} is valid\n", path);
  fmt::print("config hash:  {} (SHA-256 of the canonical configuration bytes)\n", crypto::to_hex(crypto::sha256(engine::encode_config(c))));
  fmt::print("log key:      {}\n", crypto::base64_encode(c.log_key));
  fmt::print("assets:       {} ({})\n", c.assets.size(), assets);
  fmt::print("markets:      {} ({})\n", c.markets.size(), markets);
  fmt::print("roles:        operators {}, chain watchers {}, oracle sources {}, custodians {}\n", role_summary(c.operators),
             role_summary(c.chain_watchers), role_summary(c.oracle_sources), role_summary(c.custodians));
  fmt::print("groups:       {}{}\n", c.groups.size(), groups.empty() ? "" : " (" + groups + ")");
  return 0;
}

int run_genesis_demo() {
  fmt::print("{}", engine::genesis_to_toml(demo_exchange_config(demo_keys())));
  return 0;
}

}  // namespace glassbook::app
