// What the gateway's native command endpoint (POST /api/v1/glassbook/command) needs to take the claims
// commands: who may sign each, and what each did, for the answer.
#pragma once
#include <optional>
#include <string>

#include "api/exchange_view.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "engine/command.h"
#include "engine/event.h"

namespace glassbook::api {

// nullopt when `body` is no claims command. Otherwise Ok when `signer` may send it (the estate's claims
// agent for AttestClaim, DeclareDistribution and PayDistribution; one of its KYC providers for
// AttestKyc; the account's own key for LinkClaim and ReleaseEscrow), or the refusal: InvalidArgument
// for an unknown estate, Unauthorized naming who must sign.
std::optional<Status> claims_signer_check(const engine::ExchangeConfig& config, const ExchangeView& view, const engine::CommandBody& body,
                                          const crypto::PublicKey& signer);

// Appends to a command's answer what a claims event did, as JSON members after a comma:
// "claim":"linked", "unitsCredited":"1000.00", "kyc":"attested", "round":N with "funded", and counts of
// holders paid and escrowed, "roundComplete":true, "escrowReleased":"12.500000". Nothing for others.
void describe_claims_event(const engine::ExchangeConfig& config, const engine::Event& e, std::string& what);

}  // namespace glassbook::api
