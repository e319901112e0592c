// `glassbook serve`: recovery, the node, the view, the gateway and the server, and their orderly stop.
#include "app/serve.h"

#include <fmt/format.h>

#include <algorithm>
#include <csignal>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>

#include "app/demo_oracle.h"
#include "app/demo_traders.h"
#include "app/exchange_server.h"
#include "app/genesis_command.h"
#include "app/keys_command.h"
#include "app/stop_signal.h"
#include "crypto/ed25519.h"

namespace glassbook::app {
namespace {

Status write_keys_file(const std::string& path, const std::string& url, const std::vector<DemoAccount>& accounts) {
  std::string json = fmt::format(R"({{"url":"{}","ws":"{}/","accounts":[)", url, "ws" + url.substr(4));
  for (size_t i = 0; i < accounts.size(); ++i) {
    const DemoAccount& a = accounts[i];
    json += fmt::format(R"({}{{"account":{},"apiKey":"{}","secret":"{}","withdrawalAddress":"{}"}})", i ? "," : "", a.account,
                        crypto::base64_encode(a.key.public_key()), crypto::base64_encode(a.seed), demo_withdrawal_address(a.account));
  }
  json += "]}\n";
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << json;
    if (!out) return Status(Error::Io, "cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status(Error::Io, fmt::format("cannot rename {}: {}", tmp, ec.message()));
  return {};
}

// Blocks until SIGINT/SIGTERM, `seconds` (when > 0) have passed, or the node has stopped itself;
// returns the node's health (checked every 200 ms).
Status wait_for_stop_or_failure(const journal::Node& node, double seconds) {
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    double tick = 0.2;
    if (seconds > 0) {
      const double left = seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (left <= 0) return node.health();
      tick = std::min(tick, left);
    }
    if (wait_for_stop(tick)) return node.health();
    if (Status health = node.health(); !health) return health;
  }
}

}  // namespace

std::string default_web_dir() {
  const std::filesystem::path dist = std::filesystem::path(GLASSBOOK_SOURCE_DIR) / "web" / "dist";
  std::error_code ec;
  return std::filesystem::exists(dist / "index.html", ec) ? dist.string() : std::string();
}

int run_serve(const ServeOptions& o) {
  // Signals are taken by wait_for_stop only: block them before any thread starts.
  block_stop_signals();

  ExchangeServerOptions eo;
  if (o.demo == !o.genesis.empty() || o.genesis.empty() != o.log_key.empty()) {
    fmt::print(stderr, "serve: either --demo, or --genesis FILE with --log-key FILE (docs/operations.md)\n");
    return 2;
  }
  if (o.demo) {
    fmt::print(stderr,
               "serve: DEMO EXCHANGE. Its log, operator, chain-watcher and oracle keys derive from public labels:\n"
               "       anyone can sign deposits, prices and checkpoints for it. Never hold real funds here.\n");
  } else {
    auto genesis = read_genesis_file(o.genesis);
    if (!genesis) return fmt::print(stderr, "serve: {}: {}\n", o.genesis, genesis.status().message()), 1;
    auto log_key = load_role_key(o.log_key, o.passphrase, "log");
    if (!log_key) return fmt::print(stderr, "serve: log key: {}\n", log_key.status().message()), 1;
    if (log_key->public_key() != genesis->log_key)
      return fmt::print(stderr, "serve: {} is not the log key {} names\n", o.log_key, o.genesis), 1;
    eo.genesis = std::move(genesis).value();
    eo.log_key = std::move(log_key).value();
    if (!o.proof_key.empty()) {
      auto proof_key = load_role_key(o.proof_key, o.proof_passphrase, "proof");
      if (!proof_key) return fmt::print(stderr, "serve: proof key: {}\n", proof_key.status().message()), 1;
      eo.proof_key = std::move(proof_key).value();
    } else if (o.proof_every_seconds > 0 && eo.genesis->proof_key != crypto::PublicKey{}) {
      fmt::print(stderr, "serve: the genesis names a proof key: --proof-key FILE (or --proof-every-seconds 0 to publish no proof of liabilities)\n");
      return 2;
    }
  }
  // A real exchange without a proof key publishes nothing (its genesis may name none).
  if (!o.demo_witnesses.empty() && !o.demo) {
    fmt::print(stderr, "serve: --demo-witness is for the demo; a real exchange names its witnesses in its genesis file\n");
    return 2;
  }
  for (const std::string& spec : o.demo_witnesses) {
    const size_t a = spec.find(' '), b = a == std::string::npos ? a : spec.find(' ', a + 1);
    std::optional<crypto::PublicKey> key;
    if (b != std::string::npos) key = crypto::public_key_from_base64(spec.substr(b + 1));
    if (!key) return fmt::print(stderr, "serve: --demo-witness '{}': expected \"<name> <http://host:port> <base64 key>\"\n", spec), 2;
    eo.demo_witnesses.witnesses.push_back({spec.substr(0, a), spec.substr(a + 1, b - a - 1), *key});
  }
  if (!o.demo_witnesses.empty())
    eo.demo_witnesses.quorum = o.demo_witness_quorum ? o.demo_witness_quorum : static_cast<uint32_t>(o.demo_witnesses.size());
  eo.data_dir = o.data_dir;
  eo.proof_every_seconds = o.demo || eo.proof_key ? o.proof_every_seconds : 0;
  eo.checkpoint_every = o.checkpoint_every;
  eo.snapshot_every = o.snapshot_every;
  eo.demo_accounts = o.demo ? o.demo_accounts : 0;
  eo.gateway.per_key = api::RateLimit{o.rate_per_key, 2 * o.rate_per_key};
  eo.gateway.per_ip = api::RateLimit{o.rate_per_ip, 2 * o.rate_per_ip};
  eo.server.address = o.host;
  eo.server.port = o.port;
  eo.server.threads = o.threads;
  eo.server.max_connections_per_address = o.connections_per_address;
  eo.server.ws_unsubscribed_timeout = std::chrono::seconds(o.ws_unsubscribed_timeout_s);
  if (!o.web_dir.empty()) {
    auto web = api::StaticFiles::load(o.web_dir);
    if (!web) return fmt::print(stderr, "serve: {} (build it with `node web/build.mjs`, or pass --web \"\")\n", web.status().message()), 1;
    eo.gateway.web = std::make_shared<const api::StaticFiles>(std::move(web).value());
  }
  auto started = ExchangeServer::start(eo);
  if (!started) return fmt::print(stderr, "serve: {}\n", started.status().to_string()), 1;
  ExchangeServer& ex = **started;
  const auto& rec = ex.recovery();
  fmt::print("journal {}: {} records{}\n", o.data_dir, rec.records, rec.created ? " (new exchange)" : "");
  if (rec.snapshot_seq) fmt::print("recovered from the snapshot after seq {}, then {} records replayed\n", *rec.snapshot_seq, rec.replayed);
  if (!rec.truncated.empty()) fmt::print("journal: {} ({})\n", rec.truncated, rec.tail_damage);
  if (!rec.checkpoint_log_damage.empty()) fmt::print("checkpoints: {}\n", rec.checkpoint_log_damage);
  for (const std::string& skipped : rec.skipped_snapshots) fmt::print("snapshot skipped: {}\n", skipped);
  for (const std::string& tile : rec.repaired_tiles) fmt::print("merkle tile: {}\n", tile);
  if (WitnessFeed* feed = ex.witness_feed()) {
    fmt::print("witnesses (from genesis): each checkpoint needs {} cosignature(s)\n", feed->quorum());
    for (const auto& w : feed->witnesses()) fmt::print("  witness {} at {}\n", w.name, w.url);
  }
  if (ex.proof_publisher()) fmt::print("proof of liabilities: a signed root every {} s, GET {}/api/v1/glassbook/solvency\n", o.proof_every_seconds, ex.url());
  const std::string url = ex.url();
  fmt::print("listening on {} (REST) and {}/ (WebSocket)\n", url, "ws" + url.substr(4));
  if (eo.gateway.web) fmt::print("web interface on {}/ ({} files from {})\n", url, eo.gateway.web->size(), o.web_dir);
  for (const DemoAccount& a : ex.accounts())
    fmt::print("  demo account {}: apiKey {} secret {} withdrawal address (sim) {}\n", a.account, crypto::base64_encode(a.key.public_key()),
               crypto::base64_encode(a.seed), demo_withdrawal_address(a.account));
  if (!o.keys_out.empty()) {
    if (auto s = write_keys_file(o.keys_out, url, ex.accounts()); !s) return fmt::print(stderr, "serve: {}\n", s.to_string()), 1;
  }
  std::fflush(stdout);

  // The feeder first: its first round is durable before any trader places a perpetual order.
  std::optional<DemoOracle> oracle;
  if (o.demo && o.oracle_sources > 0) oracle.emplace(ex.node(), ex.keys(), DemoOracleOptions{o.oracle_interval, o.oracle_sources, o.oracle_seed});
  std::optional<DemoTraders> traders;
  if (o.demo && o.traders > 0) {
    // The in-process feeder's reference, or with an outside feeder (`glassbook oracle-feed`) the
    // index the exchange itself computed from the reports it took.
    ReferencePrice reference = [&ex](AssetId asset) { return ex.view().index_price(asset).value_or(0); };
    if (oracle) reference = [&oracle](AssetId asset) { return oracle->reference(asset); };
    traders.emplace(ex.node(), ex.view(), ex.keys(), o.traders, o.trader_rate, std::move(reference));
  }

  // Until a stop signal, the time limit, or the node stopping itself (fail-stop after a failed
  // write): then the server closes and the exit status says so.
  Status health = wait_for_stop_or_failure(ex.node(), o.seconds);
  if (!health) fmt::print(stderr, "serve: {}\n", health.message());
  fmt::print("stopping\n");
  if (traders) traders->stop();
  if (oracle) oracle->stop();
  ex.stop();
  // Stopping closes the journal's files: a failure there (a write-back error close reports) is
  // still a failed run.
  if (health)
    if (health = ex.node().health(); !health) fmt::print(stderr, "serve: {}\n", health.message());
  if (oracle) {
    const auto c = oracle->counts();
    fmt::print("oracle feeder: {} updates submitted, {} applied, {} refused\n", c.submitted, c.applied, c.refused);
  }
  if (traders) traders->print_summary();
  const auto stats = ex.node().stats();
  fmt::print("stopped: {} commands applied, {} group commits\n", stats.applied, stats.sync_batches);
  return health ? 0 : 1;
}

}  // namespace glassbook::app
