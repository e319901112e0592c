// Role commands from the command line: load the key, wrap the command with the time, sign, post.
#include "app/role_client.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "app/genesis_command.h"
#include "app/http_client.h"
#include "app/keys_command.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "engine/command.h"
#include "engine/config_codec.h"

namespace glassbook::app {
namespace {

Result<crypto::KeyPair> signer_of(const RoleClientOptions& o) {
  if (!o.demo_signer.empty() == !o.key_file.empty())
    return Status(Error::InvalidArgument, "give either --key FILE or --demo-signer LABEL");
  if (!o.demo_signer.empty()) return crypto::KeyPair::from_seed(crypto::seed_from_label(o.demo_signer));
  return load_role_key(o.key_file, o.passphrase);
}

int post(const RoleClientOptions& o, engine::CommandBody inner) {
  auto key = signer_of(o);
  if (!key) return fmt::print(stderr, "role: {}\n", key.status().message()), 2;
  const int64_t now_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string json = timed_role_command_json(*key, now_us, std::move(inner));
  auto client = HttpClient::open(o.url, std::chrono::seconds(10));
  if (!client) return fmt::print(stderr, "role: {}\n", client.status().message()), 2;
  auto r = (*client)->post("/api/v1/glassbook/command", json);
  if (!r) return fmt::print(stderr, "role: {}\n", r.status().message()), 2;
  fmt::print("{} {}\n", r->status, r->body);
  return r->status == 200 ? 0 : 1;
}

Result<std::shared_ptr<const engine::ExchangeConfig>> config_from(const std::string& file) {
  auto c = read_genesis_file(file);
  if (!c) return Status(c.code(), fmt::format("{}: {}", file, c.status().message()));
  return std::make_shared<const engine::ExchangeConfig>(std::move(c).value());
}

}  // namespace

std::string timed_role_command_json(const crypto::KeyPair& key, int64_t signed_time_us, engine::CommandBody inner) {
  const std::string bytes = engine::signing_bytes(engine::timed(signed_time_us, std::move(inner)));
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  return fmt::format(R"({{"command":"{}","signer":"{}","signature":"{}"}})", crypto::base64_encode({data, bytes.size()}),
                     crypto::base64_encode(key.public_key()), crypto::base64_encode(key.sign(bytes)));
}

int run_role_deposit(const RoleClientOptions& client, const RoleDepositOptions& d) {
  return post(client, engine::Deposit{d.account, d.asset, d.amount, d.deposit_id});
}

int run_role_propose(const RoleClientOptions& client, uint64_t proposal_id, const std::string& config_file) {
  auto config = config_from(config_file);
  if (!config) return fmt::print(stderr, "role propose: {}\n", config.status().message()), 2;
  return post(client, engine::ProposeConfig{proposal_id, *config});
}

int run_role_approve(const RoleClientOptions& client, uint64_t proposal_id, const std::string& config_file) {
  auto config = config_from(config_file);
  if (!config) return fmt::print(stderr, "role approve: {}\n", config.status().message()), 2;
  // The approval names the hash of what its signer read: it can only ever count for that configuration.
  return post(client, engine::ApproveConfig{proposal_id, crypto::sha256(engine::encode_config(**config))});
}

int run_role_enact(const RoleClientOptions& client, uint64_t proposal_id) {
  return post(client, engine::EnactConfig{proposal_id});
}

int run_role_register_wallet(const RoleClientOptions& client, const RoleWalletOptions& o) {
  engine::RegisterWallet w{o.chain, o.asset, o.address, engine::WalletKind::CustomerHot, {}, o.threshold};
  if (o.kind == "customer-cold") w.kind = engine::WalletKind::CustomerCold;
  else if (o.kind == "operational") w.kind = engine::WalletKind::Operational;
  else if (o.kind != "customer-hot") return fmt::print(stderr, "role: --kind is customer-hot, customer-cold or operational, not {}\n", o.kind), 2;
  for (const std::string& k : o.signers) {
    auto key = crypto::public_key_from_base64(k);
    if (!key) return fmt::print(stderr, "role: --signer {}: not a base64 Ed25519 public key\n", k), 2;
    w.signers.push_back(*key);
  }
  return post(client, w);
}

int run_role_reconcile(const RoleClientOptions& client) { return post(client, engine::Reconcile{}); }

int run_role_resolve_alert(const RoleClientOptions& client, uint64_t alert_id, const std::string& explanation) {
  return post(client, engine::ResolveReconciliationAlert{alert_id, explanation});
}

}  // namespace glassbook::app
