// The gateway's authenticated requests: signature check, queries from the view, state changes through the node.
#include <fmt/format.h>

#include "api/api_error.h"
#include "api/gateway.h"
#include "api/withdrawal_address_json.h"
#include "core/stage_costs.h"
#include "engine/request_translate.h"

namespace glassbook::api {

struct Gateway::Private {
  AccountId account = 0;
  RequestAuth auth;
  Params params;                    // a single request's parameters
  std::vector<Params> batch;        // POST /api/v1/orders: one entry per order
  bool is_batch = false;
};

namespace {

HttpResponse respond_with(Result<std::string> r) {
  if (!r) return error_response(r.status().code(), r.status().message());
  return HttpResponse{200, std::move(r).value(), "application/json"};
}

// Adds the journal seq of the command that produced an order to its JSON object, so that its
// owner can ask for the inclusion proof of exactly that record.
std::string with_seq(std::string order_json, SeqNo seq) {
  if (order_json.size() < 2 || order_json.front() != '{') return order_json;
  return fmt::format("{{\"journalSeq\":{}{}{}", seq, order_json.size() > 2 ? "," : "", std::string_view(order_json).substr(1));
}

bool is_cancel(std::string_view instruction) { return instruction == "orderCancel" || instruction == "orderCancelAll"; }

}  // namespace

void Gateway::private_request(const HttpRequest& request, Respond& respond, std::string_view instruction) {
  StageClock stage(Stage::Parse);
  const int64_t now = now_ms();
  auto auth = read_auth(request, now);
  if (!auth) return respond(error_response(auth.status().code(), auth.status().message()));

  Private p;
  p.auth = *auth;
  p.is_batch = request.method == "POST" && request.path == "/api/v1/orders";
  std::string text;
  if (p.is_batch) {
    auto batch = params_from_json_array(request.body);
    if (!batch) return respond(error_response(Error::InvalidArgument, batch.status().message()));
    p.batch = std::move(batch).value();
    std::vector<std::vector<engine::TextParam>> orders;
    for (const Params& o : p.batch) orders.push_back(text_params(o));
    text = engine::build_batch_text(instruction, orders, p.auth.timestamp_ms, p.auth.window_ms);
  } else {
    auto params = request.method == "GET" ? params_from_query(request.query) : params_from_json(request.body);
    if (!params) return respond(error_response(Error::InvalidArgument, params.status().message()));
    p.params = std::move(params).value();
    text = engine::build_request_text(instruction, text_params(p.params), p.auth.timestamp_ms, p.auth.window_ms);
  }

  auto account = view_.account_of(p.auth.key);
  if (!account) return respond(error_response("UNAUTHORIZED", "unknown API key"));
  p.account = *account;
  stage.next(Stage::Verify);
  if (!signature_matches(p.auth, text))
    return respond(error_response("INVALID_SIGNATURE", fmt::format("the signature does not match the request (instruction {})", instruction)));
  stage.next(Stage::Checks);
  const bool changes_state =
      instruction == "orderExecute" || is_cancel(instruction) || instruction == "withdraw" || instruction == "withdrawalAddressAdd" ||
      instruction == "withdrawalAddressRemove";
  // A state change is checked for replay before the account's rate limit is charged: replays of one
  // captured request must cost the attacker, never lock its owner out.
  if (changes_state) {
    if (auto s = replay_guard_.first_use(p.auth.signature, p.auth.timestamp_ms + p.auth.window_ms, now); !s)
      return respond(error_response(s.code(), s.message()));
    // The guard remembers what this process saw; the engine remembers every request sequenced inside
    // its window, those from before a restart included (and refuses a replay itself if one gets by).
    if (view_.request_sequenced(p.auth.key, text)) return respond(error_response(Error::DuplicateRequest, ""));
  }
  // Cancels are never rate-limited per key: in a flash crash users must always be able to cancel.
  if (!is_cancel(instruction)) {
    const std::string_view key(reinterpret_cast<const char*>(p.auth.key.data()), p.auth.key.size());
    if (uint64_t wait = key_limiter_.acquire(key, 1, static_cast<uint64_t>(now) * 1000); wait != 0) {
      if (changes_state) replay_guard_.release(p.auth.signature);  // not sequenced: the client may retry it
      return respond(error_response("TOO_MANY_REQUESTS", fmt::format("rate limit for this API key; retry in {} ms", (wait + 999) / 1000)));
    }
  }

  if (changes_state) return submit(p, std::move(text), instruction, respond, stage);
  stage.stop();
  query(p, instruction, respond);
}

void Gateway::query(const Private& p, std::string_view instruction, Respond& respond) {
  const Params& q = p.params;
  const std::string_view symbol = param(q, "symbol");
  auto limit = number_param(q, "limit", 100, 1000);
  auto offset = number_param(q, "offset", 0, UINT32_MAX);
  if (!limit || !offset) return respond(error_response(Error::InvalidArgument, (!limit ? limit.status() : offset.status()).message()));
  if (instruction == "solvencyProofQuery") return solvency_proof(p, respond);
  if (instruction == "claimQueryAll" || instruction == "kycQueryAll" || instruction == "distributionHistoryQueryAll" || instruction == "escrowQueryAll")
    return claims_query(p.account, q, instruction, respond);
  if (instruction == "balanceQuery") return respond(respond_with(view_.capital(p.account)));
  if (instruction == "orderQueryAll") return respond(respond_with(view_.open_orders(p.account, symbol)));
  if (instruction == "orderHistoryQueryAll") return respond(respond_with(view_.order_history(p.account, symbol, *limit, *offset)));
  if (instruction == "fillHistoryQueryAll")
    return respond(respond_with(view_.fills(p.account, symbol, *limit, *offset, param(q, "fillType"))));
  if (instruction == "positionQuery") return respond(respond_with(view_.positions(p.account, symbol)));
  if (instruction == "fundingHistoryQueryAll") return respond(respond_with(view_.funding_payments(p.account, symbol, *limit, *offset)));
  if (instruction == "collateralQuery") return respond(respond_with(view_.collateral(p.account)));
  if (instruction == "depositQueryAll") {
    // Backpack's from and to: ms since the epoch, inclusive.
    auto from = number_param(q, "from", 0, INT64_MAX);
    auto to = number_param(q, "to", 0, INT64_MAX);
    if (!from || !to) return respond(error_response(Error::InvalidArgument, (!from ? from.status() : to.status()).message()));
    if (*to != 0 && *from > *to) return respond(error_response(Error::InvalidArgument, "from must not be after to"));
    return respond(respond_with(view_.deposits(p.account, *limit, *offset, static_cast<int64_t>(*from), static_cast<int64_t>(*to))));
  }
  if (instruction == "depositAddressQuery")
    return respond(respond_with(view_.deposit_address(p.account, param(q, "blockchain"), symbol)));
  if (instruction == "withdrawalAddressQueryAll") return respond(HttpResponse{200, view_.withdrawal_addresses(p.account, now_ms() * 1000), "application/json"});
  if (instruction == "withdrawalQueryAll") return respond(HttpResponse{200, view_.withdrawals(p.account, *limit, *offset), "application/json"});
  if (instruction == "orderQuery") {
    std::optional<OrderId> id;
    std::optional<uint32_t> client_id;
    if (!param(q, "orderId").empty()) {
      auto v = number_param(q, "orderId", 0, UINT64_MAX);
      if (!v) return respond(error_response(Error::InvalidArgument, v.status().message()));
      id = *v;
    }
    if (!param(q, "clientId").empty()) {
      auto v = number_param(q, "clientId", 0, UINT32_MAX);
      if (!v) return respond(error_response(Error::InvalidArgument, v.status().message()));
      client_id = static_cast<uint32_t>(*v);
    }
    if (!id && !client_id) return respond(error_response(Error::InvalidArgument, "orderId or clientId is required"));
    return respond(respond_with(view_.order(p.account, symbol, id, client_id)));
  }
  respond(error_response("INVALID_CLIENT_REQUEST", fmt::format("unsupported instruction {}", instruction)));
}

namespace {

// 64 lowercase hex digits; nullopt otherwise.
std::optional<crypto::Digest> digest_from_hex(std::string_view s) {
  if (s.size() != 64) return std::nullopt;
  crypto::Digest d{};
  for (size_t i = 0; i < 64; ++i) {
    const char c = s[i];
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) return std::nullopt;
    d[i / 2] = static_cast<uint8_t>(i % 2 ? (d[i / 2] | v) : v << 4);
  }
  return d;
}

}  // namespace

// The signer's own inclusion proof (docs/api.md): the account is the API key's, never a parameter,
// so no key can read another account's proof; an `account` parameter naming another is refused.
void Gateway::solvency_proof(const Private& p, Respond& respond) {
  if (!options_.solvency_proof) return respond(error_response("RESOURCE_NOT_FOUND", "this exchange publishes no proof of liabilities"));
  const Params& q = p.params;
  if (!param(q, "account").empty()) {
    auto named = number_param(q, "account", 0, UINT32_MAX);
    if (!named) return respond(error_response(Error::InvalidArgument, named.status().message()));
    if (*named != p.account)
      return respond(error_response("UNAUTHORIZED", fmt::format("an API key reads only its own account's proof (account {}), not account {}", p.account, *named)));
  }
  std::optional<SeqNo> seq;
  std::optional<crypto::Digest> snapshot_id;
  if (!param(q, "checkpointSeq").empty()) {
    auto v = number_param(q, "checkpointSeq", 0, UINT64_MAX);
    if (!v) return respond(error_response(Error::InvalidArgument, v.status().message()));
    seq = *v;
  }
  if (!param(q, "snapshotId").empty()) {
    snapshot_id = digest_from_hex(param(q, "snapshotId"));
    if (!snapshot_id) return respond(error_response(Error::InvalidArgument, "snapshotId must be 64 lowercase hex digits"));
  }
  respond(respond_with(options_.solvency_proof(p.account, seq, snapshot_id)));
}

void Gateway::submit(const Private& p, std::string text, std::string_view instruction, Respond& respond, StageClock& stage) {
  // The same checks the engine makes, on this thread, so bad requests get a precise answer and
  // never reach the journal. Whatever is refused here was not sequenced: the guard forgets it.
  auto refuse = [&](HttpResponse response) {
    replay_guard_.release(p.auth.signature);
    respond(std::move(response));
  };
  auto parsed = engine::parse_request_text(text);
  if (!parsed) return refuse(error_response(Error::InvalidArgument, parsed.status().message()));
  auto bodies = engine::translate_request(*parsed, *view_.config(), p.account);
  if (!bodies) return refuse(error_response(bodies.status().code(), bodies.status().message()));
  const bool allow_listing = instruction == "withdrawalAddressAdd";
  const bool delisting = instruction == "withdrawalAddressRemove";
  const std::string address(allow_listing || delisting ? param(p.params, "address") : "");
  const std::string blockchain(allow_listing ? param(p.params, "blockchain") : "");
  if (allow_listing)
    if (auto s = view_.check_withdrawal_address(p.account, address, blockchain); !s) return refuse(error_response(s.code(), s.message()));
  if (delisting)
    if (auto s = view_.check_withdrawal_address_removal(p.account, address); !s) return refuse(error_response(s.code(), s.message()));

  journal::Submission sub;
  sub.body = engine::SignedRequest{text};
  sub.signer = p.auth.key;
  sub.signature = p.auth.signature;
  sub.signed_bytes = std::move(text);
  sub.kind = static_cast<uint8_t>(sub.body.index());
  sub.lane = journal::lane_of(sub.body);

  const AccountId account = p.account;
  const bool cancel_all = instruction == "orderCancelAll";
  const bool batch = p.is_batch;
  ExchangeView& view = view_;
  auto done = [&view, respond, account, cancel_all, batch, address, blockchain](SeqNo seq, Timestamp at, std::span<const engine::Event> events) {
    // Runs on the journal thread once the command is durable and the view has applied it.
    if (!batch && !cancel_all) {
      for (const engine::Event& e : events) {
        if (e.kind == engine::EventKind::Rejected) return respond(error_response(e.error, e.message));
        if (e.kind == engine::EventKind::WithdrawalAddressAdded)  // POST /api/v1/glassbook/withdrawalAddresses
          return respond(HttpResponse{200, withdrawal_address_answer(seq, address, blockchain, at, e.price), "application/json"});
        if (e.kind == engine::EventKind::WithdrawalAddressRemoved)  // DELETE /api/v1/glassbook/withdrawalAddresses
          return respond(HttpResponse{200, withdrawal_address_removed_answer(seq, address, at), "application/json"});
        if (e.kind == engine::EventKind::WithdrawalRequested) {  // POST /wapi/v1/capital/withdrawals
          auto withdrawal = view.withdrawal(account, e.order_id);
          if (!withdrawal) return respond(error_response(withdrawal.status().code(), withdrawal.status().message()));
          return respond(HttpResponse{200, with_seq(std::move(withdrawal).value(), seq), "application/json"});
        }
        if (e.kind == engine::EventKind::OrderAccepted || e.kind == engine::EventKind::TriggerAccepted ||
            e.kind == engine::EventKind::OrderCancelled) {
          auto order = view.order_by_id(account, e.order_id);
          if (!order) return respond(error_response(order.status().code(), order.status().message()));
          return respond(HttpResponse{200, with_seq(std::move(order).value(), seq), "application/json"});
        }
      }
      return respond(error_response("SERVER_ERROR", "the command produced no order or withdrawal"));
    }
    // A batch: one entry per order, in order (each order's events start with OrderAccepted or
    // Rejected). Cancel all: every order it cancelled.
    std::string body = "[";
    size_t entries = 0;
    for (const engine::Event& e : events) {
      // What fired trigger orders did comes after every order of the batch, and a take-profit or
      // stop-loss an order's fill made is that order's, not an entry of its own.
      if (e.kind == engine::EventKind::TriggerFired) break;
      if (e.kind == engine::EventKind::TriggerAccepted && e.maker_order_id != 0) continue;
      std::string entry;
      if (e.kind == engine::EventKind::Rejected) {
        if (cancel_all) return respond(error_response(e.error, e.message));
        entry = error_body(backpack_code(e.error), e.message.empty() ? default_message(e.error) : std::string_view(e.message));
      } else if ((batch && (e.kind == engine::EventKind::OrderAccepted || e.kind == engine::EventKind::TriggerAccepted)) ||
                 (cancel_all && e.kind == engine::EventKind::OrderCancelled)) {
        auto order = view.order_by_id(account, e.order_id);
        entry = order ? with_seq(std::move(order).value(), seq) : error_body("SERVER_ERROR", order.status().message());
      } else {
        continue;
      }
      if (entries++ > 0) body += ',';
      body += entry;
    }
    body += ']';
    respond(HttpResponse{200, std::move(body), "application/json"});
  };
  // Refused by a full sequencer (Overloaded: "retry later"), the request was not sequenced, so its
  // retry must not be taken for a replay.
  stage.next(Stage::Handoff);
  auto ticket = node_.submit(std::move(sub), std::move(done));
  stage.stop();
  if (!ticket) refuse(submission_refused(ticket.status()));
}

}  // namespace glassbook::api
