// `glassbook role`: a role key's holder signs a deposit attestation or a configuration command with
// its signed time (engine::TimedRoleCommand) and posts it to a gateway.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "app/passphrase.h"
#include "crypto/ed25519.h"
#include "engine/command.h"

namespace glassbook::app {

struct RoleClientOptions {
  std::string url;          // http://host:port
  std::string key_file;     // the holder's sealed key file
  PassphraseSource passphrase;
  std::string demo_signer;  // instead of a key file: a public demo label (the demo exchange only)
};

struct RoleDepositOptions {
  uint32_t account = 0;
  uint16_t asset = 0;
  int64_t amount = 0;  // the asset's smallest units
  uint64_t deposit_id = 0;
};

// The body of POST /api/v1/glassbook/command for `inner` (one of engine::is_timed_role_kind) wrapped
// with `signed_time_us` and signed by `key`.
std::string timed_role_command_json(const crypto::KeyPair& key, int64_t signed_time_us, engine::CommandBody inner);

// Each prints the gateway's answer and returns 0 when it took the command, 1 when it refused it,
// 2 when it could not be asked.
int run_role_deposit(const RoleClientOptions& client, const RoleDepositOptions& deposit);
// The configuration is a genesis file (TOML) holding the whole proposed configuration.
int run_role_propose(const RoleClientOptions& client, uint64_t proposal_id, const std::string& config_file);
int run_role_approve(const RoleClientOptions& client, uint64_t proposal_id, const std::string& config_file);
int run_role_enact(const RoleClientOptions& client, uint64_t proposal_id);

// The custody commands an operator sends (docs/custody.md, "Wallets" and "Reconciliation").
struct RoleWalletOptions {
  std::string chain;
  uint16_t asset = 0;
  std::string address;
  std::string kind = "customer-hot";   // customer-hot, customer-cold or operational
  std::vector<std::string> signers;    // base64 custodian keys
  uint32_t threshold = 0;
};
int run_role_register_wallet(const RoleClientOptions& client, const RoleWalletOptions& wallet);
int run_role_reconcile(const RoleClientOptions& client);
int run_role_resolve_alert(const RoleClientOptions& client, uint64_t alert_id, const std::string& explanation);

}  // namespace glassbook::app
