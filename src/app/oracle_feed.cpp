// The oracle feeder process (oracle_feed.h): sign, post, count.
#include "app/oracle_feed.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "app/demo_accounts.h"
#include "app/demo_perpetuals.h"
#include "app/demo_price_walk.h"
#include "app/http_client.h"
#include "app/stop_signal.h"
#include "crypto/ed25519.h"

namespace glassbook::app {

namespace {

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string report_json(const crypto::KeyPair& key, const engine::OracleReport& report) {
  const std::string bytes = engine::signing_bytes(report);
  const auto* data = reinterpret_cast<const uint8_t*>(bytes.data());
  return fmt::format(R"({{"command":"{}","signer":"{}","signature":"{}"}})", crypto::base64_encode({data, bytes.size()}),
                     crypto::base64_encode(key.public_key()), crypto::base64_encode(key.sign(bytes)));
}

}  // namespace

int run_oracle_feed(const OracleFeedOptions& o) {
  block_stop_signals();
  auto client = HttpClient::open(o.url, std::chrono::seconds(5));
  if (!client) return fmt::print(stderr, "oracle-feed: {}\n", client.status().message()), 2;
  const DemoKeys keys = demo_keys();
  const size_t sources = std::min<size_t>(o.sources, keys.oracle_sources.size());
  PriceWalk walk(demo_oracle_assets(), static_cast<int>(sources), o.interval_seconds, sources > kDemoOracleQuorum, o.seed);
  fmt::print("oracle-feed: {} sources (quorum {}) posting to {} every {:g} s, seed {}\n", sources, kDemoOracleQuorum, o.url,
             o.interval_seconds, o.seed);
  std::fflush(stdout);

  uint64_t sent = 0, accepted = 0, refused = 0, unreachable = 0, rounds = 0;
  int64_t last_time = 0;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    for (auto& [source, update] : walk.next_round()) {
      // Each report carries this machine's time, strictly increasing: the engine refuses one that
      // is not later than the source's last, or too far from its own clock.
      last_time = std::max(now_us(), last_time + 1);
      const engine::OracleReport report{last_time, update.quotes};
      ++sent;
      auto r = (*client)->post("/api/v1/glassbook/command", report_json(keys.oracle_sources[source], report));
      if (!r) {
        if (++unreachable <= 5 || unreachable % 100 == 0) fmt::print(stderr, "oracle-feed: {}\n", r.status().message());
        continue;
      }
      if (r->status == 200) {
        ++accepted;
      } else if (++refused <= 5 || refused % 100 == 0) {
        fmt::print(stderr, "oracle-feed: source {} refused ({}): {}\n", source, r->status, r->body);
      }
    }
    ++rounds;
    if (!o.quiet) {
      fmt::print("round {}: BTC {:.2f}, SOL {:.4f} USDC; {} accepted, {} refused, {} unreachable\n", rounds,
                 walk.reference(0) / 1e6, walk.reference(1) / 1e6, accepted, refused, unreachable);
      std::fflush(stdout);
    }
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o.seconds > 0 && elapsed >= o.seconds) break;
    if (wait_for_stop(o.interval_seconds)) break;
  }
  fmt::print("oracle-feed: {} reports sent, {} accepted, {} refused, {} not delivered\n", sent, accepted, refused, unreachable);
  return accepted > 0 ? 0 : 1;
}

}  // namespace glassbook::app
