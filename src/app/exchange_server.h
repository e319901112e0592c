// The exchange (the demo or a real one) served over HTTP/WebSocket: node, view, stream feed, gateway and server, owned together.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/witness_feed.h"
#include "api/exchange_view.h"
#include "api/gateway.h"
#include "api/http_server.h"
#include "api/stream_hub.h"
#include "app/demo_accounts.h"
#include "app/proof_publisher.h"
#include "journal/node.h"

namespace glassbook::app {

// The sequencer of a serving exchange: group commit at the intake on, so that under load a batch
// waits up to 500 us for 64 commands and one fdatasync covers many records (docs/bench.md, "Group
// commit"); at low load nothing waits.
inline journal::SequencerOptions serving_sequencer_options() {
  journal::SequencerOptions o;
  o.group_commit.max_wait = std::chrono::microseconds(500);
  o.group_commit.target_records = 64;
  return o;
}

struct ExchangeServerOptions {
  std::string data_dir;  // the journal directory (created if missing)
  api::ServerOptions server;
  api::GatewayOptions gateway;
  journal::SequencerOptions sequencer = serving_sequencer_options();
  uint64_t checkpoint_every = 1'000;
  uint64_t snapshot_every = 1'000'000;  // records between snapshots (0: never)
  uint32_t demo_accounts = 4;  // funded API accounts ("demo/api-account/<i>")
  int64_t insurance_capital = 1'000'000;  // whole USDC deposited to the insurance fund on a new exchange
  // A real exchange: its genesis configuration and its log key (loaded from its sealed key file).
  // Both set: nothing is funded, no account is made and no demo key is used. Both unset: the demo.
  std::optional<engine::ExchangeConfig> genesis;
  std::optional<crypto::KeyPair> log_key;
  // The demo only (a real exchange names its witnesses in its genesis file): the witnesses the demo's
  // genesis names. Part of the genesis, so a demo journal restarts only with the same ones.
  engine::WitnessPolicy demo_witnesses;
  // Proof of liabilities (docs/proofs.md, "Publication"): a root built and journaled every this many
  // seconds of command time (at most 60; 0: none), signed by the proof key (the demo's "demo/proof";
  // a real exchange's loaded from its sealed key file, which must be the genesis' proof_key; without
  // one, nothing is published).
  double proof_every_seconds = 60;
  std::optional<crypto::KeyPair> proof_key;
  size_t proof_trees_kept = 4;
};

// Recovers (or creates) the exchange in data_dir and serves it. The demo (no genesis given) also
// funds its insurance fund (a new exchange) and its demo accounts.
// Stop order (stop() or destruction): the server (no new requests), then the node (every accepted
// command made durable and answered), then the rest.
class ExchangeServer {
 public:
  static Result<std::unique_ptr<ExchangeServer>> start(ExchangeServerOptions options);
  ~ExchangeServer();
  void stop();

  std::string url() const;  // http://address:port
  journal::Node& node() { return *node_; }
  const api::ExchangeView& view() const { return *view_; }
  const DemoKeys& keys() const { return keys_; }
  const std::vector<DemoAccount>& accounts() const { return accounts_; }
  const journal::NodeRecovery& recovery() const { return node_->recovery(); }
  // The client that sends each checkpoint to the witnesses genesis names; null when it names none.
  WitnessFeed* witness_feed() { return witness_feed_.get(); }
  // What publishes the liabilities roots; null when none are published.
  ProofPublisher* proof_publisher() { return proof_publisher_.get(); }

 private:
  ExchangeServer() = default;

  DemoKeys keys_;  // the demo's public keys; empty (never derived) for a real exchange
  std::string address_;
  api::StreamHub hub_;
  std::unique_ptr<api::ExchangeView> view_;
  std::unique_ptr<api::StreamFeed> feed_;
  std::unique_ptr<ProofPublisher> proof_publisher_;  // before the node: the node's hooks call it
  std::unique_ptr<journal::Node> node_;
  std::unique_ptr<api::Gateway> gateway_;
  std::unique_ptr<api::HttpServer> server_;
  std::unique_ptr<WitnessFeed> witness_feed_;  // when genesis names witnesses
  std::vector<DemoAccount> accounts_;
  bool stopped_ = false;
};

}  // namespace glassbook::app
