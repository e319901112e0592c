// `glassbook custodian` (custodian_command.h): keys, chain client and exchange client around
// custody::Custodian, and its log lines.
#include "app/custodian_command.h"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <set>

#include "app/custody_exchange.h"
#include "app/demo_accounts.h"
#include "app/genesis_command.h"
#include "app/http_client.h"
#include "app/keys_command.h"
#include "app/role_client.h"
#include "app/stop_signal.h"
#include "custody/custodian.h"
#include "custody/sim_chain_client.h"

namespace glassbook::app {

namespace {

int fail(const std::string& what) {
  fmt::print(stderr, "custodian: {}\n", what);
  return 1;
}

std::string describe(const custody::OpenWithdrawal& w) {
  return fmt::format("withdrawal {} of {} {} from account {} to {}", w.id, w.amount, w.asset, w.account, w.address);
}

// --cancel: one CancelWithdrawal, judged by the exchange.
int cancel_withdrawal(const CustodianCommandOptions& o, const crypto::KeyPair& key) {
  if (o.broadcast || !o.chain_url.empty()) return fail("--cancel sends one cancellation: without --broadcast and --chain");
  auto exchange = HttpClient::open(o.url, std::chrono::seconds(10));
  if (!exchange) return fail(fmt::format("--url {}: {}", o.url, exchange.status().message()));
  const custody::SubmitResult answer = judge_role_answer(
      (*exchange)->post("/api/v1/glassbook/command", timed_role_command_json(key, role_time_now_us(), engine::CancelWithdrawal{o.cancel_id})));
  if (answer.outcome != custody::SubmitOutcome::Accepted) return fail(fmt::format("withdrawal {} not cancelled: {}", o.cancel_id, answer.detail));
  fmt::print("custodian: cancelled withdrawal {}: its hold is released\n", o.cancel_id);
  return 0;
}

}  // namespace

int run_custodian(const CustodianCommandOptions& o) {
  block_stop_signals();
  if (o.demo == !o.key_file.empty()) return fail("give either --demo or --key FILE (with --genesis FILE)");
  if (!o.demo && o.genesis.empty()) return fail("--genesis FILE: the exchange's genesis, for its asset list");
  if (!o.broadcast && !o.wallet_key_file.empty()) return fail("--wallet-key is the broadcaster's: give --broadcast too");
  if (o.broadcast && !o.demo && o.wallet_key_file.empty()) return fail("--broadcast needs the wallet's key: --wallet-key FILE");
  auto key = o.demo ? Result<crypto::KeyPair>(demo_keys().custodian) : load_role_key(o.key_file, o.passphrase, "custodian");
  if (!key) return fail(key.status().message());
  auto config = o.demo ? Result<engine::ExchangeConfig>(demo_exchange_config(demo_keys())) : read_genesis_file(o.genesis);
  if (!config) return fail(fmt::format("--genesis {}: {}", o.genesis, config.status().message()));
  std::optional<crypto::KeyPair> wallet;
  if (o.broadcast) {
    auto w = o.demo ? Result<crypto::KeyPair>(crypto::KeyPair::from_seed(crypto::seed_from_label(kDemoHotWalletLabel)))
                    : load_role_key(o.wallet_key_file, o.wallet_passphrase);
    if (!w) return fail("--wallet-key: " + w.status().message());
    wallet = *w;
  }
  if (o.demo) fmt::print("custodian: DEMO: signing with the public demo custodian key{}\n", o.broadcast ? " and the public demo hot wallet" : "");
  if (o.cancel_id != 0) return cancel_withdrawal(o, *key);
  if (o.chain_url.empty()) return fail("--chain URL: the chain the withdrawals are paid on");

  auto chain_http = HttpClient::open(o.chain_url, std::chrono::seconds(10));
  if (!chain_http) return fail(fmt::format("--chain {}: {}", o.chain_url, chain_http.status().message()));
  auto exchange = HttpClient::open(o.url, std::chrono::seconds(10));
  if (!exchange) return fail(fmt::format("--url {}: {}", o.url, exchange.status().message()));
  HttpClient& chain_rpc = **chain_http;
  custody::SimChainClient chain([&chain_rpc](const std::string& request) -> Result<std::string> {
    auto r = chain_rpc.post("/", request);
    if (!r) return r.status();
    if (r->status != 200 && (r->body.empty() || r->body[0] != '{')) return Status(Error::Io, fmt::format("the chain answered {}: {}", r->status, r->body));
    return r->body;
  });
  auto info = chain.info();
  if (!info) return fail(fmt::format("--chain {}: {}", o.chain_url, info.status().message()));

  custody::CustodianOptions options;
  options.blockchain = o.blockchain.empty() ? info->name : o.blockchain;
  options.chain_id = info->chain_id;
  options.signer = crypto::base64_encode(key->public_key());
  for (const engine::AssetConfig& a : config->assets) options.assets.insert(a.symbol);
  options.fee = info->min_fee;
  options.max_amount = o.max_amount;
  auto created = custody::Custodian::create(chain, wallet, options);
  if (!created) return fail(created.status().message());
  custody::Custodian custodian = std::move(created).value();
  fmt::print("custodian: chain {} ({}) at {}, exchange {}, {}{}\n", info->chain_id, options.blockchain, o.chain_url, o.url,
             custodian.broadcaster() ? "approving and broadcasting from wallet " : "approving only", custodian.wallet_address());
  std::fflush(stdout);

  HttpClient& gateway = **exchange;
  const crypto::KeyPair signer = *key;
  auto post = [&](engine::CommandBody body) {
    return judge_role_answer(gateway.post("/api/v1/glassbook/command", timed_role_command_json(signer, role_time_now_us(), std::move(body))));
  };
  custody::SubmitApproval approve = [&](uint64_t id) { return post(engine::ApproveWithdrawal{id}); };
  custody::SubmitBroadcast record = [&](uint64_t id, const custody::TxId& tx) { return post(engine::BroadcastWithdrawal{id, tx}); };
  custody::AfterSend after_send;
  if (o.kill_after_send)
    after_send = [](uint64_t id, const custody::TxId& tx) {
      fmt::print("custodian: sent withdrawal {} as tx {}; killing itself before recording it (--test-kill-after-send)\n", id, tx);
      std::fflush(stdout);
      std::raise(SIGKILL);
    };

  uint64_t failures = 0;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    auto open = fetch_open_withdrawals(gateway);
    if (!open) {
      if (++failures <= 5 || failures % 100 == 0) fmt::print(stderr, "custodian: {}\n", open.status().message());
    } else {
      std::map<uint64_t, const custody::OpenWithdrawal*> by_id;
      for (const auto& w : *open) by_id[w.id] = &w;
      const custody::CustodianPass pass = custodian.pass(*open, approve, record, after_send);
      for (uint64_t id : pass.approved) fmt::print("custodian: approved {}\n", describe(*by_id.at(id)));
      for (const auto& [id, tx] : pass.broadcast) fmt::print("custodian: broadcast {} as tx {}\n", describe(*by_id.at(id)), tx);
      for (const auto& [id, tx] : pass.resent)
        fmt::print("custodian: sent again {} as tx {} (the chain no longer knew it: a reorg dropped it)\n", describe(*by_id.at(id)), tx);
      for (const auto& [id, why] : pass.refused) fmt::print(stderr, "custodian: NOT SIGNED: {}: {}\n", describe(*by_id.at(id)), why);
      if (!pass.stalled.empty() && (++failures <= 5 || failures % 100 == 0)) fmt::print(stderr, "custodian: retrying: {}\n", pass.stalled);
    }
    std::fflush(stdout);
    std::fflush(stderr);
    if (wait_for_next_pass(start, o.interval_seconds, o.seconds)) break;
  }
  fmt::print("custodian: stopped\n");
  return 0;
}

}  // namespace glassbook::app
