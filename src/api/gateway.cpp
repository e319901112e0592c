// The gateway's HTTP routing, its public market-data endpoints and Glassbook's verifiable endpoints.
#include "api/gateway.h"

#include <fmt/format.h>

#include <chrono>

#include "api/api_error.h"
#include "api/health.h"
#include "crypto/ed25519.h"
#include "journal/checkpoint.h"
#include "journal/proof_format.h"

namespace glassbook::api {
namespace {

struct PrivateRoute {
  std::string_view method, path, instruction;
};

// Backpack's private endpoints and the instruction each request signs.
constexpr PrivateRoute kPrivateRoutes[] = {
    {"GET", "/api/v1/capital", "balanceQuery"},
    {"GET", "/api/v1/orders", "orderQueryAll"},
    {"GET", "/api/v1/order", "orderQuery"},
    {"POST", "/api/v1/order", "orderExecute"},
    {"POST", "/api/v1/orders", "orderExecute"},
    {"DELETE", "/api/v1/order", "orderCancel"},
    {"DELETE", "/api/v1/orders", "orderCancelAll"},
    {"GET", "/wapi/v1/history/orders", "orderHistoryQueryAll"},
    {"GET", "/wapi/v1/history/fills", "fillHistoryQueryAll"},
    {"GET", "/wapi/v1/capital/deposits", "depositQueryAll"},
    {"GET", "/wapi/v1/capital/deposit/address", "depositAddressQuery"},
    {"GET", "/wapi/v1/capital/withdrawals", "withdrawalQueryAll"},
    {"GET", "/api/v1/position", "positionQuery"},
    {"GET", "/wapi/v1/history/funding", "fundingHistoryQueryAll"},
    {"GET", "/api/v1/capital/collateral", "collateralQuery"},
    {"POST", "/wapi/v1/capital/withdrawals", "withdraw"},
    {"POST", "/api/v1/glassbook/withdrawalAddresses", "withdrawalAddressAdd"},  // Glassbook's own: Backpack has none
    {"DELETE", "/api/v1/glassbook/withdrawalAddresses", "withdrawalAddressRemove"},
    {"GET", "/api/v1/glassbook/withdrawalAddresses", "withdrawalAddressQueryAll"},
    {"GET", "/api/v1/glassbook/solvency/proof", "solvencyProofQuery"},
    // An account's own claims (gateway_claims.cpp; docs/api.md, "Claims").
    {"GET", "/api/v1/glassbook/claims", "claimQueryAll"},
    {"GET", "/api/v1/glassbook/claims/kyc", "kycQueryAll"},
    {"GET", "/api/v1/glassbook/claims/distributions", "distributionHistoryQueryAll"},
    {"GET", "/api/v1/glassbook/claims/escrow", "escrowQueryAll"},
};

HttpResponse ok_json(std::string body) { return HttpResponse{200, std::move(body), "application/json"}; }
HttpResponse ok_text(std::string body) { return HttpResponse{200, std::move(body), "text/plain; charset=utf-8"}; }

HttpResponse from_result(Result<std::string> r) {
  if (!r) return error_response(r.status().code(), r.status().message());
  return ok_json(std::move(r).value());
}

Result<std::string_view> required(const Params& params, std::string_view key) {
  const std::string_view v = param(params, key);
  if (v.empty()) return Status(Error::InvalidArgument, fmt::format("missing parameter {}", key));
  return v;
}

}  // namespace

Gateway::Gateway(journal::Node& node, ExchangeView& view, StreamHub& hub, GatewayOptions options)
    : node_(node),
      view_(view),
      hub_(hub),
      options_(std::move(options)),
      ip_limiter_(options_.per_ip),
      key_limiter_(options_.per_key),
      queries_(options_.queries) {}

int64_t Gateway::now_ms() const {
  if (options_.now_ms) return options_.now_ms();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void Gateway::handle(HttpRequest request, Respond respond) {
  if (uint64_t wait = ip_limiter_.acquire(request.remote_ip, 1, static_cast<uint64_t>(now_ms()) * 1000); wait != 0)
    return respond(error_response("TOO_MANY_REQUESTS", fmt::format("rate limit for this address; retry in {} ms", (wait + 999) / 1000)));
  if (request.method != "GET") return route(request, respond);
  // A static file is already in memory: answered on this thread, never queued behind queries.
  if (is_web_path(request)) {
    if (const HttpResponse* file = options_.web->find(request.path)) return respond(*file);
    return respond(error_response("RESOURCE_NOT_FOUND", fmt::format("no file {}", request.path)));
  }
  queries_.post([this, request = std::move(request), respond = std::move(respond)](bool run) mutable {
    if (!run) return respond(error_response("TOO_MANY_REQUESTS", "too many queries waiting; retry later (orders and cancels are not queued behind them)"));
    route(request, respond);
  });
}

bool Gateway::is_web_path(const HttpRequest& request) const {
  return options_.web && !request.path.starts_with("/api/") && !request.path.starts_with("/wapi/") &&
         !request.path.starts_with(kLogPrefix);
}

void Gateway::route(const HttpRequest& request, Respond& respond) {
  for (const PrivateRoute& r : kPrivateRoutes)
    if (r.method == request.method && r.path == request.path) return private_request(request, respond, r.instruction);
  if (request.method == "POST" && request.path == "/api/v1/glassbook/command") return role_command(request, respond);
  if (request.method == "GET" && request.path.starts_with("/api/v1/glassbook/")) return verifiable_get(request, respond);
  if (request.method == "GET" && request.path.starts_with(kLogPrefix)) return tlog_get(request, respond);
  if (request.method == "GET") return public_get(request, respond);
  respond(error_response("RESOURCE_NOT_FOUND", fmt::format("no endpoint {} {}", request.method, request.path)));
}

void Gateway::public_get(const HttpRequest& request, Respond& respond) {
  auto params = params_from_query(request.query);
  if (!params) return respond(error_response(Error::InvalidArgument, params.status().message()));
  const std::string_view path = request.path;
  if (path == "/api/v1/assets") return respond(ok_json(view_.assets()));
  if (path == "/api/v1/markets") return respond(ok_json(view_.markets()));
  if (path == "/api/v1/tickers") return respond(ok_json(view_.tickers()));
  if (path == "/api/v1/status") return respond(ok_json(R"({"status":"Ok","message":null})"));
  if (path == "/api/v1/ping") return respond(ok_text("pong"));
  if (path == "/api/v1/time") return respond(ok_text(std::to_string(now_ms())));
  if (path == "/api/v1/markPrices") return respond(from_result(view_.mark_prices(param(*params, "symbol"))));
  if (path == "/api/v1/openInterest") return respond(from_result(view_.open_interest(param(*params, "symbol"))));
  if (path == "/api/v1/market" || path == "/api/v1/fundingRates") {
    auto symbol = required(*params, "symbol");
    if (!symbol) return respond(error_response(Error::InvalidArgument, symbol.status().message()));
    if (path == "/api/v1/market") return respond(from_result(view_.market(*symbol)));
    auto limit = number_param(*params, "limit", 100, 10'000);
    auto offset = number_param(*params, "offset", 0, UINT32_MAX);
    if (!limit || !offset) return respond(error_response(Error::InvalidArgument, (!limit ? limit.status() : offset.status()).message()));
    return respond(from_result(view_.funding_rates(*symbol, *limit, *offset)));
  }
  if (path == "/api/v1/ticker" || path == "/api/v1/depth" || path == "/api/v1/trades" || path == "/api/v1/klines") {
    auto symbol = required(*params, "symbol");
    if (!symbol) return respond(error_response(Error::InvalidArgument, symbol.status().message()));
    if (path == "/api/v1/ticker") return respond(from_result(view_.ticker(*symbol)));
    if (path == "/api/v1/depth") {
      auto limit = number_param(*params, "limit", ExchangeView::kDefaultDepthLimit, ExchangeView::kMaxDepthLimit);
      if (!limit) return respond(error_response(Error::InvalidArgument, limit.status().message()));
      return respond(from_result(view_.depth(*symbol, *limit)));
    }
    if (path == "/api/v1/trades") {
      auto limit = number_param(*params, "limit", 100, 1000);
      if (!limit) return respond(error_response(Error::InvalidArgument, limit.status().message()));
      return respond(from_result(view_.trades(*symbol, *limit)));
    }
    auto interval = required(*params, "interval");
    if (!interval) return respond(error_response(Error::InvalidArgument, interval.status().message()));
    auto start = number_param(*params, "startTime", 0, uint64_t{1} << 40);
    auto end = number_param(*params, "endTime", 0, uint64_t{1} << 40);
    if (!start || !end) return respond(error_response(Error::InvalidArgument, (!start ? start.status() : end.status()).message()));
    return respond(from_result(view_.klines(*symbol, *interval, static_cast<int64_t>(*start), static_cast<int64_t>(*end))));
  }
  respond(error_response("RESOURCE_NOT_FOUND", fmt::format("no endpoint GET {}", path)));
}

// Glassbook's own endpoints: the latest signed checkpoint, the key that verifies it, Merkle proofs
// over the journal, and the risk overview (docs/api.md).
void Gateway::verifiable_get(const HttpRequest& request, Respond& respond) {
  auto params = params_from_query(request.query);
  if (!params) return respond(error_response(Error::InvalidArgument, params.status().message()));
  const std::string_view path = request.path;
  if (path == "/api/v1/glassbook/health")
    return respond(health_response(node_, options_.witnesses_json ? options_.witnesses_json() : std::string(), replicas_.json(now_ms())));
  if (path == "/api/v1/glassbook/checkpoint") {
    auto note = options_.cosigned_checkpoint ? options_.cosigned_checkpoint() : std::nullopt;
    if (!note) note = node_.latest_checkpoint();
    if (!note) return respond(error_response("RESOURCE_NOT_FOUND", "no checkpoint yet"));
    return respond(ok_text(std::move(*note)));
  }
  if (path == "/api/v1/glassbook/verifier") {
    auto verifier = node_.log_verifier();
    if (!verifier) return respond(error_response("RESOURCE_NOT_FOUND", "this node signs no checkpoints"));
    return respond(ok_text(journal::encode_verifier_key(*verifier) + "\n"));
  }
  if (path == "/api/v1/glassbook/solvency") {
    if (!options_.solvency_json) return respond(error_response("RESOURCE_NOT_FOUND", "this exchange publishes no proof of liabilities"));
    return respond(ok_json(options_.solvency_json()));
  }
  if (path == "/api/v1/glassbook/risk") return respond(ok_json(view_.risk_overview()));
  if (path == "/api/v1/glassbook/insurance") return respond(from_result(view_.insurance_fund()));
  if (path == "/api/v1/glassbook/insurance/history") return respond(ok_json(view_.fund_history()));
  if (path == "/api/v1/glassbook/pendingDeposits") return respond(ok_json(view_.pending_deposits_json()));
  if (path == "/api/v1/glassbook/depositAddresses")
    return respond(from_result(view_.deposit_address_book(param(*params, "blockchain"))));
  if (path == "/api/v1/glassbook/proposals") return respond(ok_json(view_.proposals_json()));
  if (path == "/api/v1/glassbook/withdrawals") return respond(ok_json(view_.open_withdrawals_json()));
  if (path == "/api/v1/glassbook/reconciliation") return respond(ok_json(view_.reconciliation_json()));
  if (path == "/api/v1/glassbook/claims/estates" || path == "/api/v1/glassbook/claims/report") return claims_get(path, *params, respond);
  if (path == "/api/v1/glassbook/claims/transfers") return claims_transfers(request, *params, respond);
  const uint64_t size_now = node_.tree_size();
  if (path == "/api/v1/glassbook/proof/inclusion") {
    auto seq = number_param(*params, "seq", 0, UINT64_MAX);
    auto size = number_param(*params, "treeSize", size_now, UINT64_MAX);
    if (!seq || !size) return respond(error_response(Error::InvalidArgument, (!seq ? seq.status() : size.status()).message()));
    if (param(*params, "seq").empty()) return respond(error_response(Error::InvalidArgument, "missing parameter seq"));
    auto proof = node_.inclusion_proof(*seq, *size);
    if (!proof) return respond(error_response("RESOURCE_NOT_FOUND", proof.status().message()));
    return respond(ok_text(journal::encode_inclusion_proof(*proof)));
  }
  if (path == "/api/v1/glassbook/record") {
    if (param(*params, "seq").empty()) return respond(error_response(Error::InvalidArgument, "missing parameter seq"));
    auto seq = number_param(*params, "seq", 0, UINT64_MAX);
    if (!seq) return respond(error_response(Error::InvalidArgument, seq.status().message()));
    auto record = node_.record(*seq);
    if (!record) return respond(error_response("RESOURCE_NOT_FOUND", record.status().message()));
    // The record's bytes in base64 (one line): the client hashes them into the leaf of its inclusion proof.
    const auto* bytes = reinterpret_cast<const uint8_t*>(record->data());
    return respond(ok_text(crypto::base64_encode({bytes, record->size()}) + "\n"));
  }
  if (path == "/api/v1/glassbook/records") {
    // A replica following the journal (docs/journal.md, "Replicas"): the durable records from `from`
    // on, exactly as journaled, and the signed checkpoint that ends them when one does.
    if (param(*params, "from").empty()) return respond(error_response(Error::InvalidArgument, "missing parameter from"));
    auto from = number_param(*params, "from", 0, UINT64_MAX);
    if (!from) return respond(error_response(Error::InvalidArgument, from.status().message()));
    // The newest checkpoint the replica verified (default: it wants none ending at `from`).
    auto checkpointed = number_param(*params, "checkpointed", *from, *from);
    if (!checkpointed) return respond(error_response(Error::InvalidArgument, checkpointed.status().message()));
    // A named replica's position (it holds every record before `from`) is shown by the health endpoint.
    const std::string_view name = param(*params, "replica");
    if (!name.empty() && !ReplicaPositions::valid_name(name))
      return respond(error_response(Error::InvalidArgument, "replica: 1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'"));
    auto batch = node_.replication_batch(*from, *checkpointed);
    if (!batch) {
      if (batch.status().code() == Error::InvalidArgument) return respond(error_response(Error::InvalidArgument, batch.status().message()));
      return respond(error_response("SERVER_ERROR", batch.status().message()));
    }
    if (!name.empty()) replicas_.seen(name, *from, batch->durable, now_ms());
    return respond(HttpResponse{200, journal::encode_replication_batch(*batch), "application/octet-stream", "no-store"});
  }
  if (path == "/api/v1/glassbook/proof/consistency") {
    auto from = number_param(*params, "from", 0, UINT64_MAX);
    auto to = number_param(*params, "to", size_now, UINT64_MAX);
    if (!from || !to) return respond(error_response(Error::InvalidArgument, (!from ? from.status() : to.status()).message()));
    auto proof = node_.consistency_proof(*from, *to);
    if (!proof) return respond(error_response("RESOURCE_NOT_FOUND", proof.status().message()));
    return respond(ok_text(journal::encode_consistency_proof(*proof)));
  }
  respond(error_response("RESOURCE_NOT_FOUND", fmt::format("no endpoint GET {}", path)));
}

}  // namespace glassbook::api
