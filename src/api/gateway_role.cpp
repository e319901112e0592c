// The gateway's role commands: commands signed natively (engine::signing_bytes) by the exchange's
// role keys (oracle sources, chain watchers, operators), posted to POST /api/v1/glassbook/command as
// {"command": base64 signed bytes, "signer": base64 key, "signature": base64 signature}. Every one
// carries its signer's time (OracleReport, or a TimedRoleCommand around a deposit or a configuration
// command); one the engine would refuse as expired or replayed never reaches the journal, and a
// refusal's code is the engine's own error name (DUPLICATE_DEPOSIT, EXPIRED, TIMELOCKED...).
#include <fmt/format.h>
#include <simdjson.h>

#include "api/api_error.h"
#include "api/gateway.h"
#include "api/gateway_claims.h"
#include "engine/command_codec.h"

namespace glassbook::api {

namespace {

// Which role may send a kind here; nullptr when the kind is not taken here.
const engine::RolePolicy* role_for(const engine::ExchangeConfig& config, const engine::CommandBody& body) {
  if (std::holds_alternative<engine::OracleReport>(body)) return &config.oracle_sources;
  const auto* t = std::get_if<engine::TimedRoleCommand>(&body);
  if (t == nullptr || !t->inner) return nullptr;
  const engine::CommandBody& inner = t->inner->body;
  if (std::holds_alternative<engine::Deposit>(inner) || std::holds_alternative<engine::RecordDepositAddress>(inner) || std::holds_alternative<engine::SettleWithdrawal>(inner) ||
      std::holds_alternative<engine::ReverseDeposit>(inner) || std::holds_alternative<engine::ObserveWalletBalance>(inner))
    return &config.chain_watchers;
  if (std::holds_alternative<engine::ApproveWithdrawal>(inner) || std::holds_alternative<engine::BroadcastWithdrawal>(inner) ||
      std::holds_alternative<engine::CancelWithdrawal>(inner))
    return &config.custodians;
  // ProposeConfig, ApproveConfig, EnactConfig, RegisterWallet, Reconcile, ResolveReconciliationAlert
  // (the decoder admits no other)
  return &config.operators;
}

// An engine refusal by its own name: a role key's client needs to tell a duplicate deposit from an
// expired command, which Backpack's codes (made for orders) cannot.
HttpResponse role_refusal(Error e, std::string_view message) {
  return error_response(error_name(e), message.empty() ? default_message(e) : message);
}

// Why the engine would refuse this timed role command as expired or replayed, judged against the
// gateway's clock and the view's state; Ok when it would not.
Status replay_or_expiry(const engine::TimedRoleCommand& t, const crypto::PublicKey& signer, std::string_view bytes,
                        int64_t now_us, const ExchangeView& view) {
  if (t.signed_time < now_us - engine::kRoleCommandWindowUs || t.signed_time > now_us + engine::kRoleCommandLeadUs)
    return Status(Error::Expired, fmt::format("the command was signed at {} µs, more than {} s from the gateway's clock ({} µs)",
                                              t.signed_time, engine::kRoleCommandWindowUs / 1'000'000, now_us));
  if (view.request_sequenced(signer, bytes))
    return Status(Error::DuplicateRequest, "this signed command was already sequenced: a replay");
  if (const auto* d = std::get_if<engine::Deposit>(&t.inner->body)) {
    if (view.deposit_credited(d->deposit_id))
      return Status(Error::DuplicateDeposit, fmt::format("deposit {} was already credited", d->deposit_id));
    if (view.deposit_attested_by(d->deposit_id, signer))
      return Status(Error::DuplicateDeposit, fmt::format("this chain watcher already attested deposit {}", d->deposit_id));
  }
  return {};
}

struct RoleRequest {
  std::string bytes;
  crypto::PublicKey signer{};
  crypto::Signature signature{};
};

Result<RoleRequest> parse_role_request(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return Status(Error::InvalidArgument, "malformed JSON");
  simdjson::dom::object fields;
  if (root.get(fields) != simdjson::SUCCESS) return Status(Error::InvalidArgument, "the body must be a JSON object");
  std::string_view command, signer, signature;
  size_t seen = 0;
  for (auto [key, value] : fields) {
    std::string_view* slot = key == "command" ? &command : key == "signer" ? &signer : key == "signature" ? &signature : nullptr;
    if (slot == nullptr) return Status(Error::InvalidArgument, fmt::format("unknown field {}", std::string_view(key)));
    if (!slot->empty()) return Status(Error::InvalidArgument, fmt::format("duplicate field {}", std::string_view(key)));
    if (value.get(*slot) != simdjson::SUCCESS || slot->empty())
      return Status(Error::InvalidArgument, fmt::format("{} must be a non-empty string", std::string_view(key)));
    ++seen;
  }
  if (seen != 3) return Status(Error::InvalidArgument, "command, signer and signature are required");
  RoleRequest r;
  auto bytes = crypto::base64_decode(command);
  if (!bytes) return Status(Error::InvalidArgument, "command is not base64");
  r.bytes = std::move(*bytes);
  auto key = crypto::public_key_from_base64(signer);
  if (!key) return Status(Error::InvalidArgument, "signer is not a base64 Ed25519 key");
  r.signer = *key;
  auto sig = crypto::signature_from_base64(signature);
  if (!sig) return Status(Error::InvalidSignature, "signature is not a base64 Ed25519 signature");
  r.signature = *sig;
  return r;
}

}  // namespace

void Gateway::role_command(const HttpRequest& request, Respond& respond) {
  auto parsed = parse_role_request(request.body);
  if (!parsed) return respond(error_response(parsed.status().code(), parsed.status().message()));
  RoleRequest r = std::move(parsed).value();
  auto body = engine::decode_body(r.bytes);
  if (!body) return respond(error_response(Error::InvalidArgument, body.status().message()));
  const auto config = view_.config();
  // An account's registration, signed by the key it registers (proof of possession), is the one
  // command taken here from a key that holds no role: a real exchange has no other way in.
  const auto* registration = std::get_if<engine::RegisterAccount>(&*body);
  const bool self_registration = registration != nullptr && registration->key == r.signer;
  const engine::RolePolicy* role = role_for(*config, *body);
  // The claims commands (gateway_claims.h): each names who signs it, an estate's key or an account's.
  // None carries a time: each applies once by its own content (a revision, a newer attestation, a
  // claim linked once, a round's number), and a PayDistribution or ReleaseEscrow sent again can only
  // do what its signer asked (docs/claims.md).
  const std::optional<Status> claims = claims_signer_check(*config, view_, *body, r.signer);
  if (claims && !claims->is_ok()) return respond(error_response(claims->code(), claims->message()));
  if (registration != nullptr && !self_registration)  // proof of possession: only the key itself signs up
    return respond(error_response("UNAUTHORIZED", "a RegisterAccount must be signed by the key it registers"));
  if (self_registration) {
    if (!options_.open_registration)
      return respond(error_response("INVALID_CLIENT_REQUEST", "this exchange takes no registrations at this endpoint"));
    if (view_.account_of(r.signer))
      return respond(role_refusal(Error::DuplicateAccountKey, "this key is already bound to an account"));
  } else if (role == nullptr && !claims) {
    const char* why = std::holds_alternative<engine::OracleUpdate>(*body)
                          ? "oracle sources send OracleReport, whose signed time makes a captured report useless later"
                      : engine::is_timed_role_kind(*body)
                          ? "a role command travels inside a TimedRoleCommand, whose signed time makes a captured command useless later"
                          : "this endpoint takes the commands of role keys only; accounts use the Backpack endpoints";
    return respond(error_response("INVALID_CLIENT_REQUEST", fmt::format("{} is not taken here: {}", engine::command_name(*body), why)));
  }
  if (!self_registration && !claims && !role->contains(r.signer))
    return respond(error_response("UNAUTHORIZED", fmt::format("the signer holds no key of the role that sends {}", engine::command_name(*body))));
  if (!crypto::verify(r.signer, r.bytes, r.signature))
    return respond(error_response("INVALID_SIGNATURE", "the signature does not match the command"));
  // A report the engine would refuse as replayed or out of its window never reaches the journal.
  if (const auto* report = std::get_if<engine::OracleReport>(&*body)) {
    const int64_t now_us = now_ms() * 1000;
    const int64_t window = config->risk.oracle_staleness_us;
    if (report->source_time < now_us - window || report->source_time > now_us + window)
      return respond(error_response(Error::Expired, fmt::format("the report's time {} µs is more than {} µs from the gateway's clock",
                                                                   report->source_time, window)));
    if (report->source_time <= view_.last_report_time(r.signer))
      return respond(error_response("INVALID_CLIENT_REQUEST", "a report no later than the source's last: replayed or out of order"));
  }
  // Recording an address that is already recorded, the same, is done: answered without journaling
  // anything (before the replay check: the same signed record again is done too), so that `glassbook deposit-addresses --submit` may send its whole book again.
  if (const auto* t = std::get_if<engine::TimedRoleCommand>(&*body))
    if (const auto* a = std::get_if<engine::RecordDepositAddress>(&t->inner->body); a != nullptr && view_.deposit_address_recorded(*a))
      return respond(HttpResponse{200, R"({"depositAddress":"already recorded"})", "application/json"});
  if (const auto* t = std::get_if<engine::TimedRoleCommand>(&*body)) {
    if (auto s = replay_or_expiry(*t, r.signer, r.bytes, now_ms() * 1000, view_); !s)
      return respond(role_refusal(s.code(), s.message()));
  }
  const std::string_view key(reinterpret_cast<const char*>(r.signer.data()), r.signer.size());
  if (uint64_t wait = key_limiter_.acquire(key, 1, static_cast<uint64_t>(now_ms()) * 1000); wait != 0)
    return respond(error_response("TOO_MANY_REQUESTS", fmt::format("rate limit for this key; retry in {} ms", (wait + 999) / 1000)));

  journal::Submission sub;
  sub.kind = static_cast<uint8_t>(body->index());
  sub.lane = journal::lane_of(*body);
  sub.body = std::move(body).value();
  sub.signer = r.signer;
  sub.signature = r.signature;
  sub.signed_bytes = std::move(r.bytes);
  auto done = [respond, config](SeqNo seq, Timestamp, std::span<const engine::Event> events) {
    std::string what;  // what the client needs to know of its command's effect
    for (const engine::Event& e : events) {
      if (e.kind == engine::EventKind::Rejected) return respond(role_refusal(e.error, e.message));
      if (e.kind == engine::EventKind::AccountRegistered) what += fmt::format(R"(,"account":{})", e.account);
      if (e.kind == engine::EventKind::Deposited) what += R"(,"deposit":"credited")";
      if (e.kind == engine::EventKind::DepositAttested)
        what += fmt::format(R"(,"deposit":"pending","attestations":{},"needed":{})", e.client_id, e.remaining);
      if (e.kind == engine::EventKind::ConfigApplied) what += R"(,"config":"applied")";
      if (e.kind == engine::EventKind::DepositAddressRecorded) what += R"(,"depositAddress":"recorded")";
      describe_claims_event(*config, e, what);
    }
    respond(HttpResponse{200, fmt::format(R"({{"journalSeq":{},"events":{}{}}})", seq, events.size(), what), "application/json"});
  };
  auto ticket = node_.submit(std::move(sub), std::move(done));
  if (!ticket) respond(submission_refused(ticket.status()));
}

}  // namespace glassbook::api
