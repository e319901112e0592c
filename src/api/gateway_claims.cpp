// The gateway's claims endpoints (docs/api.md, "Claims"): the public estates and estate report, an
// account's own claims, KYC, payouts and escrow (signed like Backpack's private endpoints), the claims
// agent's transfer feed (signed by its key), and the signers of the claims commands taken at
// POST /api/v1/glassbook/command.
#include "api/gateway_claims.h"

#include <fmt/format.h>

#include <algorithm>

#include "api/api_error.h"
#include "api/gateway.h"
#include "api/request_auth.h"
#include "core/decimal.h"
#include "engine/distribution_commands.h"
#include "engine/request_text.h"

namespace glassbook::api {
namespace {

HttpResponse json_or_error(Result<std::string> r) {
  if (!r) return error_response(r.status().code(), r.status().message());
  return HttpResponse{200, std::move(r).value(), "application/json"};
}

Status unknown_estate(uint64_t estate, const engine::ExchangeConfig& config) {
  return Status(Error::InvalidArgument, fmt::format("unknown estate {}: the exchange has {}", estate, config.estates.size()));
}

// The estate's claims agent must sign.
Status agent_signs(const engine::ExchangeConfig& config, uint16_t estate, const crypto::PublicKey& signer, const char* command) {
  if (estate >= config.estates.size()) return unknown_estate(estate, config);
  if (config.estates[estate].claims_agent != signer)
    return Status(Error::Unauthorized, fmt::format("{} is signed by the claims agent of estate {}", command, estate));
  return {};
}

// The account's own key must sign.
Status account_signs(const engine::ExchangeConfig& config, const ExchangeView& view, uint16_t estate, AccountId account,
                     const crypto::PublicKey& signer, const char* command) {
  if (estate >= config.estates.size()) return unknown_estate(estate, config);
  const auto own = view.account_of(signer);
  if (!own || *own != account)
    return Status(Error::Unauthorized, fmt::format("{} is signed by the key of account {}, its beneficiary", command, account));
  return {};
}

}  // namespace

std::optional<Status> claims_signer_check(const engine::ExchangeConfig& config, const ExchangeView& view, const engine::CommandBody& body,
                                          const crypto::PublicKey& signer) {
  if (const auto* a = std::get_if<engine::AttestClaim>(&body)) return agent_signs(config, a->estate, signer, "AttestClaim");
  if (const auto* d = std::get_if<engine::DeclareDistribution>(&body)) return agent_signs(config, d->estate, signer, "DeclareDistribution");
  if (const auto* p = std::get_if<engine::PayDistribution>(&body)) return agent_signs(config, p->estate, signer, "PayDistribution");
  if (const auto* k = std::get_if<engine::AttestKyc>(&body)) {
    if (k->estate >= config.estates.size()) return unknown_estate(k->estate, config);
    const auto& providers = config.estates[k->estate].kyc_providers;
    if (std::find(providers.begin(), providers.end(), signer) == providers.end())
      return Status(Error::Unauthorized, fmt::format("AttestKyc is signed by one of estate {}'s KYC providers", k->estate));
    return Status{};
  }
  if (const auto* l = std::get_if<engine::LinkClaim>(&body)) return account_signs(config, view, l->estate, l->account, signer, "LinkClaim");
  if (const auto* r = std::get_if<engine::ReleaseEscrow>(&body)) return account_signs(config, view, r->estate, r->account, signer, "ReleaseEscrow");
  return std::nullopt;
}

void describe_claims_event(const engine::ExchangeConfig& config, const engine::Event& e, std::string& what) {
  const auto amount = [&](AssetId asset, int64_t v) { return format_decimal(v, config.assets[asset].decimals); };
  switch (e.kind) {
    case engine::EventKind::ClaimAttested: what += fmt::format(R"(,"claim":"attested","revision":{})", e.remaining); break;
    case engine::EventKind::ClaimLinked: what += R"(,"claim":"linked")"; break;
    case engine::EventKind::KycAttested: what += R"(,"kyc":"attested")"; break;
    case engine::EventKind::ClaimUnitsIssued:
      what += fmt::format(R"(,"{}":"{}")", e.quantity > 0 ? "unitsCredited" : "unitsTakenBack", amount(e.asset, e.quantity > 0 ? e.quantity : -e.quantity));
      break;
    case engine::EventKind::DistributionDeclared:
      what += fmt::format(R"(,"round":{},"funded":"{}")", e.order_id, amount(e.asset, e.quantity));
      break;
    case engine::EventKind::DistributionCompleted:
      what += fmt::format(R"(,"roundComplete":true,"remainder":"{}")", amount(e.asset, e.quantity));
      break;
    case engine::EventKind::EscrowReleased: what += fmt::format(R"(,"escrowReleased":"{}")", amount(e.asset, e.quantity)); break;
    default: break;
  }
}

void Gateway::claims_get(std::string_view path, const Params& params, Respond& respond) {
  if (path == "/api/v1/glassbook/claims/estates") return respond(HttpResponse{200, view_.claim_estates_json(), "application/json"});
  // .../claims/report
  if (param(params, "estate").empty()) return respond(error_response(Error::InvalidArgument, "missing parameter estate"));
  auto estate = number_param(params, "estate", 0, UINT16_MAX);
  if (!estate) return respond(error_response(Error::InvalidArgument, estate.status().message()));
  respond(json_or_error(view_.claim_report_json(*estate)));
}

// The records name each trade's buyer and seller accounts: the estate's claims agent reads them (to
// keep its register), the public does not. A signed request like Backpack's (instruction
// claimTransferQueryAll over the query's parameters) whose key must be the agent's; no account needed.
void Gateway::claims_transfers(const HttpRequest& request, const Params& params, Respond& respond) {
  auto auth = read_auth(request, now_ms());
  if (!auth) return respond(error_response(auth.status().code(), auth.status().message()));
  const std::string text = engine::build_request_text("claimTransferQueryAll", text_params(params), auth->timestamp_ms, auth->window_ms);
  if (!signature_matches(*auth, text))
    return respond(error_response("INVALID_SIGNATURE", "the signature does not match the request (instruction claimTransferQueryAll)"));
  if (param(params, "estate").empty()) return respond(error_response(Error::InvalidArgument, "missing parameter estate"));
  auto estate = number_param(params, "estate", 0, UINT16_MAX);
  auto from = number_param(params, "from", 0, UINT64_MAX);
  auto limit = number_param(params, "limit", 1000, ViewClaimTransfers::kMaxLimit);
  if (!estate || !from || !limit)
    return respond(error_response(Error::InvalidArgument, (!estate ? estate.status() : !from ? from.status() : limit.status()).message()));
  const engine::ExchangeConfig& config = *view_.config();
  if (*estate >= config.estates.size()) return respond(error_response(Error::InvalidArgument, unknown_estate(*estate, config).message()));
  if (auth->key != config.estates[*estate].claims_agent)
    return respond(error_response("UNAUTHORIZED", fmt::format("estate {}'s transfer records are read with its claims agent's key only", *estate)));
  respond(json_or_error(view_.claim_transfers(*estate, *from, static_cast<size_t>(*limit))));
}

void Gateway::claims_query(AccountId account, const Params& params, std::string_view instruction, Respond& respond) {
  const Timestamp now_us = now_ms() * 1000;
  if (instruction == "claimQueryAll") {
    std::optional<uint64_t> estate;
    if (!param(params, "estate").empty()) {
      auto e = number_param(params, "estate", 0, UINT16_MAX);
      if (!e) return respond(error_response(Error::InvalidArgument, e.status().message()));
      estate = *e;
    }
    return respond(json_or_error(view_.account_claims_json(account, estate)));
  }
  if (instruction == "kycQueryAll") return respond(HttpResponse{200, view_.account_kyc_json(account, now_us), "application/json"});
  if (instruction == "escrowQueryAll") return respond(HttpResponse{200, view_.account_escrow_json(account, now_us), "application/json"});
  // distributionHistoryQueryAll
  auto limit = number_param(params, "limit", 100, 1000);
  auto offset = number_param(params, "offset", 0, UINT32_MAX);
  if (!limit || !offset) return respond(error_response(Error::InvalidArgument, (!limit ? limit.status() : offset.status()).message()));
  respond(HttpResponse{200, view_.account_payouts_json(account, *limit, *offset), "application/json"});
}

}  // namespace glassbook::api
