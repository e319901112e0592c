// `glassbook serve`: recovery, the node, the view, the gateway and the server, and their orderly stop.
#include "app/serve.h"

#include <fmt/format.h>

#include <csignal>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>

#include "app/demo_oracle.h"
#include "app/demo_traders.h"
#include "app/exchange_server.h"
#include "app/stop_signal.h"
#include "crypto/ed25519.h"

namespace glassbook::app {
namespace {

Status write_keys_file(const std::string& path, const std::string& url, const std::vector<DemoAccount>& accounts) {
  std::string json = fmt::format(R"({{"url":"{}","ws":"{}/","accounts":[)", url, "ws" + url.substr(4));
  for (size_t i = 0; i < accounts.size(); ++i) {
    const DemoAccount& a = accounts[i];
    json += fmt::format(R"({}{{"account":{},"apiKey":"{}","secret":"{}"}})", i ? "," : "", a.account,
                        crypto::base64_encode(a.key.public_key()), crypto::base64_encode(a.seed));
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

// Blocks until SIGINT/SIGTERM or `seconds` (when > 0) have passed.

}  // namespace

int run_serve(const ServeOptions& o) {
  // Signals are taken by wait_for_stop only: block them before any thread starts.
  block_stop_signals();

  if (!o.demo) {
    fmt::print(stderr, "serve: only the demo exchange can be served for now: pass --demo\n");
    return 2;
  }
  ExchangeServerOptions eo;
  eo.data_dir = o.data_dir;
  eo.checkpoint_every = o.checkpoint_every;
  eo.demo_accounts = o.demo_accounts;
  eo.gateway.per_key = api::RateLimit{o.rate_per_key, 2 * o.rate_per_key};
  eo.gateway.per_ip = api::RateLimit{o.rate_per_ip, 2 * o.rate_per_ip};
  eo.server.address = o.host;
  eo.server.port = o.port;
  eo.server.threads = o.threads;
  eo.server.max_connections_per_address = o.connections_per_address;
  eo.server.ws_unsubscribed_timeout = std::chrono::seconds(o.ws_unsubscribed_timeout_s);
  auto started = ExchangeServer::start(eo);
  if (!started) return fmt::print(stderr, "serve: {}\n", started.status().to_string()), 1;
  ExchangeServer& ex = **started;
  const auto& rec = ex.recovery();
  fmt::print("journal {}: {} records{}\n", o.data_dir, rec.records, rec.created ? " (new exchange)" : "");
  const std::string url = ex.url();
  fmt::print("listening on {} (REST) and {}/ (WebSocket)\n", url, "ws" + url.substr(4));
  for (const DemoAccount& a : ex.accounts())
    fmt::print("  demo account {}: apiKey {} secret {}\n", a.account, crypto::base64_encode(a.key.public_key()), crypto::base64_encode(a.seed));
  if (!o.keys_out.empty()) {
    if (auto s = write_keys_file(o.keys_out, url, ex.accounts()); !s) return fmt::print(stderr, "serve: {}\n", s.to_string()), 1;
  }
  std::fflush(stdout);

  // The feeder first: its first round is durable before any trader places a perpetual order.
  std::optional<DemoOracle> oracle;
  if (o.oracle_sources > 0) oracle.emplace(ex.node(), ex.keys(), DemoOracleOptions{o.oracle_interval, o.oracle_sources, o.oracle_seed});
  std::optional<DemoTraders> traders;
  if (o.traders > 0) {
    // The in-process feeder's reference, or with an outside feeder (`glassbook oracle-feed`) the
    // index the exchange itself computed from the reports it took.
    ReferencePrice reference = [&ex](AssetId asset) { return ex.view().index_price(asset).value_or(0); };
    if (oracle) reference = [&oracle](AssetId asset) { return oracle->reference(asset); };
    traders.emplace(ex.node(), ex.view(), ex.keys(), o.traders, o.trader_rate, std::move(reference));
  }

  wait_for_stop(o.seconds);
  fmt::print("stopping\n");
  if (traders) traders->stop();
  if (oracle) oracle->stop();
  ex.stop();
  if (oracle) {
    const auto c = oracle->counts();
    fmt::print("oracle feeder: {} updates submitted, {} applied, {} refused\n", c.submitted, c.applied, c.refused);
  }
  if (traders) traders->print_summary();
  const auto stats = ex.node().stats();
  fmt::print("stopped: {} commands applied, {} group commits\n", stats.applied, stats.sync_batches);
  return 0;
}

}  // namespace glassbook::app
