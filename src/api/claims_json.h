// The JSON of the public claims endpoints: the estates (GET /api/v1/glassbook/claims/estates) and an
// estate's report (GET /api/v1/glassbook/claims/report), amounts as decimal strings in their assets.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "api/json_writer.h"
#include "engine/claims_report.h"
#include "engine/engine.h"

namespace glassbook::api {

// ClaimStatus as the API names it: Scheduled, Disputed, Allowed, Expunged.
std::string_view claim_status_name(engine::ClaimStatus s);

// Every estate: {estate, name, claimUnit, claimAsset, payoutAssets, claimsAgent, kycProviders (base64
// keys), barredJurisdictions, transferRules {minKycLevel, barredBuyerJurisdictions}, markets (the claim
// markets' symbols), unitsOutstanding, openRound (null, or the round being paid)}.
std::string claim_estates_json(const engine::Engine& state);

// {estate, name, lastSeq, claims {registered, linked, faceRegistered, faceLinked}, unitsOutstanding,
// traded [{market, quoteAsset, trades, units, quoteVolume, lastPrice, lastSeq, lastTimestamp, vwap}],
// rounds [...], escrow [{symbol, quantity}], escrowHolders, jurisdictions [{jurisdiction, holders,
// units, escrow [{symbol, quantity}]}]}.
std::string estate_report_json(const engine::EstateReport& r, const engine::ExchangeConfig& config, size_t estate, SeqNo last_seq);

// One distribution round's figures (the report's rounds and the estates' openRound).
void write_distribution_round(JsonWriter& w, const engine::DistributionRound& d, const engine::ExchangeConfig& config, AssetId claim_asset);

}  // namespace glassbook::api
