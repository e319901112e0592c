// The Backpack-compatible gateway: routes HTTP requests and WebSocket subscriptions to the view and the node.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "api/exchange_view.h"
#include "api/http_types.h"
#include "api/query_pool.h"
#include "api/rate_limiter.h"
#include "api/replay_guard.h"
#include "api/replica_positions.h"
#include "api/request_auth.h"
#include "api/request_params.h"
#include "api/static_files.h"
#include "api/stream_hub.h"
#include "core/stage_costs.h"
#include "journal/node.h"

namespace glassbook::api {

struct GatewayOptions {
  RateLimit per_ip{2'000, 4'000};  // every request from one address
  RateLimit per_key{100, 200};     // authenticated requests of one API key (cancels are exempt)
  // Milliseconds since the Unix epoch, for request windows. Empty: the system clock.
  std::function<int64_t()> now_ms;
  QueryPoolOptions queries;  // where every GET runs (query_pool.h)
  // The web interface, answered at every GET path outside /api/ and /wapi/ (none: those are 404s).
  std::shared_ptr<const StaticFiles> web;
  // Whether POST /api/v1/glassbook/command takes an account's own RegisterAccount (a sign-up signed
  // by the key it registers): an account's only way in on a real exchange, and how a key made in a
  // browser gets an account in the demo. A deployment that registers accounts some other way closes it.
  bool open_registration = true;
  // The exchange's witnesses (app/witness_feed.h), when genesis names any: the newest checkpoint with
  // the cosignature lines gathered for it (served by GET /api/v1/glassbook/checkpoint instead of the
  // bare note), and the witnesses' state as a JSON array (in the health answer). Empty: none.
  std::function<std::optional<std::string>()> cosigned_checkpoint;
  std::function<std::string()> witnesses_json;
  // The proof of liabilities (app/proof_publisher.h), when the node publishes it: the published roots
  // (GET /api/v1/glassbook/solvency) and an account's own inclusion proof, for the newest root or the
  // one at a checkpoint sequence or of a snapshot id (solvencyProofQuery). Empty: 404s.
  std::function<std::string()> solvency_json;
  std::function<Result<std::string>(AccountId account, std::optional<SeqNo> checkpoint_seq, std::optional<crypto::Digest> snapshot_id)>
      solvency_proof;
};

// Threads: handle() and the WebSocket callbacks run on the server's I/O threads, where requests are
// parsed, authenticated (Ed25519 verified here, never on the engine thread) and rate-limited. Every
// GET (a read: market data, balances, histories, proofs) goes on to the query pool and is
// authenticated and answered there, so reads never hold up orders and cancels.
// Accepted state changes go to Node::submit; their responses are sent from the Completion, on the
// journal thread, after on_durable has brought the view up to date with them.
class Gateway final : public HttpHandler, public WsHandler {
 public:
  // Where the journal's Merkle log is served as a C2SP tlog-tiles log: <prefix>checkpoint, <prefix>tile/...
  static constexpr std::string_view kLogPrefix = "/log/";

  Gateway(journal::Node& node, ExchangeView& view, StreamHub& hub, GatewayOptions options = {});

  void handle(HttpRequest request, Respond respond) override;

  void on_open(const std::shared_ptr<WsConnection>& connection) override;
  void on_message(const std::shared_ptr<WsConnection>& connection, std::string_view text) override;
  void on_close(const std::shared_ptr<WsConnection>& connection) override;

 private:
  struct Private;  // an authenticated request: its account, auth and parameters

  int64_t now_ms() const;
  void route(const HttpRequest& request, Respond& respond);
  bool is_web_path(const HttpRequest& request) const;
  void public_get(const HttpRequest& request, Respond& respond);
  void verifiable_get(const HttpRequest& request, Respond& respond);
  void tlog_get(const HttpRequest& request, Respond& respond);  // gateway_tlog.cpp
  void private_request(const HttpRequest& request, Respond& respond, std::string_view instruction);
  void query(const Private& p, std::string_view instruction, Respond& respond);
  void solvency_proof(const Private& p, Respond& respond);  // gateway_solvency.cpp
  void submit(const Private& p, std::string text, std::string_view instruction, Respond& respond, StageClock& stage);
  void role_command(const HttpRequest& request, Respond& respond);  // gateway_role.cpp
  // gateway_claims.cpp: GET /api/v1/glassbook/claims/estates and .../report; an account's own claims queries.
  void claims_get(std::string_view path, const Params& params, Respond& respond);
  // GET /api/v1/glassbook/claims/transfers: signed by the estate's claims agent key (no account).
  void claims_transfers(const HttpRequest& request, const Params& params, Respond& respond);
  void claims_query(AccountId account, const Params& params, std::string_view instruction, Respond& respond);
  void subscribe(const std::shared_ptr<WsConnection>& connection, std::string_view text);

  journal::Node& node_;
  ExchangeView& view_;
  StreamHub& hub_;
  GatewayOptions options_;
  RateLimiter ip_limiter_;
  RateLimiter key_limiter_;
  ReplayGuard replay_guard_;
  ReplicaPositions replicas_;  // the replicas seen on GET /api/v1/glassbook/records, for the health answer
  QueryPool queries_;  // last: destroyed first, running what is queued while the rest still lives
};

// The node's on_durable sink for a gateway: applies each durable command to the view and publishes
// the stream frames it caused to the hub's subscribers (journal thread).
class StreamFeed {
 public:
  StreamFeed(ExchangeView& view, StreamHub& hub) : view_(view), hub_(hub) {}
  void operator()(const engine::Command& command, std::span<const engine::Event> events);

 private:
  ExchangeView& view_;
  StreamHub& hub_;
  std::vector<StreamFrame> frames_;
};

}  // namespace glassbook::api
