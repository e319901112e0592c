// The estates' and the estate report's JSON.
#include "api/claims_json.h"

#include "core/decimal.h"
#include "crypto/ed25519.h"

namespace glassbook::api {
namespace {

std::string amount(const engine::ExchangeConfig& c, AssetId asset, int64_t v) { return format_decimal(v, c.assets[asset].decimals); }

void write_strings(JsonWriter& w, const std::vector<std::string>& v) {
  w.begin_array();
  for (const std::string& s : v) w.string(s);
  w.end_array();
}

void write_asset_amounts(JsonWriter& w, const engine::ExchangeConfig& c, const std::map<AssetId, int64_t>& by_asset) {
  w.begin_array();
  for (const auto& [asset, v] : by_asset)
    w.begin_object().key("symbol").string(c.assets[asset].symbol).key("quantity").decimal(amount(c, asset, v)).end_object();
  w.end_array();
}

}  // namespace

std::string_view claim_status_name(engine::ClaimStatus s) {
  switch (s) {
    case engine::ClaimStatus::Scheduled: return "Scheduled";
    case engine::ClaimStatus::Disputed: return "Disputed";
    case engine::ClaimStatus::Allowed: return "Allowed";
    case engine::ClaimStatus::Expunged: return "Expunged";
  }
  return "Unknown";
}

void write_distribution_round(JsonWriter& w, const engine::DistributionRound& d, const engine::ExchangeConfig& c, AssetId claim_asset) {
  w.begin_object();
  w.key("round").unsigned_integer(d.id);
  w.key("symbol").string(c.assets[d.asset].symbol);
  // The rate's terms are u64: strings, which no JSON reader rounds.
  w.key("rateNumerator").decimal(std::to_string(d.rate_numerator));
  w.key("rateDenominator").decimal(std::to_string(d.rate_denominator));
  w.key("recordSeq").unsigned_integer(d.record_seq);
  w.key("declaredSeq").unsigned_integer(d.declared_seq);
  w.key("units").decimal(amount(c, claim_asset, d.units));
  w.key("funded").decimal(amount(c, d.asset, d.funded));
  w.key("paid").decimal(amount(c, d.asset, d.paid));
  w.key("escrowed").decimal(amount(c, d.asset, d.escrowed));
  w.key("remainder").decimal(amount(c, d.asset, d.remainder));
  w.key("holders").unsigned_integer(d.holders);
  w.key("holdersPaid").unsigned_integer(d.holders_paid);
  w.key("holdersEscrowed").unsigned_integer(d.holders_escrowed);
  w.key("complete").boolean(d.complete);
  w.end_object();
}

std::string claim_estates_json(const engine::Engine& state) {
  const engine::ExchangeConfig& c = state.config();
  JsonWriter w(512 * (c.estates.size() + 1));
  w.begin_array();
  for (size_t i = 0; i < c.estates.size(); ++i) {
    const engine::EstateConfig& e = c.estates[i];
    w.begin_object();
    w.key("estate").unsigned_integer(i);
    w.key("name").string(e.name);
    w.key("claimUnit").string(e.claim_unit);
    w.key("claimAsset").string(c.assets[e.claim_asset].symbol);
    w.key("payoutAssets").begin_array();
    for (AssetId a : e.payout_assets) w.string(c.assets[a].symbol);
    w.end_array();
    w.key("claimsAgent").string(crypto::base64_encode(e.claims_agent));
    w.key("kycProviders").begin_array();
    for (const crypto::PublicKey& k : e.kyc_providers) w.string(crypto::base64_encode(k));
    w.end_array();
    w.key("barredJurisdictions");
    write_strings(w, e.barred_jurisdictions);
    w.key("transferRules").begin_object().key("minKycLevel").unsigned_integer(e.transfer_rules.min_kyc_level);
    w.key("barredBuyerJurisdictions");
    write_strings(w, e.transfer_rules.barred_buyer_jurisdictions);
    w.end_object();
    w.key("markets").begin_array();
    for (const engine::MarketConfig& m : c.markets)
      if (m.base == e.claim_asset) w.string(m.symbol);
    w.end_array();
    w.key("unitsOutstanding").decimal(amount(c, e.claim_asset, state.claims().estate(i).outstanding));
    w.key("openRound");
    if (const engine::DistributionRound* open = state.distributions().estate(i).open_round()) write_distribution_round(w, *open, c, e.claim_asset);
    else w.null();
    w.end_object();
  }
  w.end_array();
  return w.take();
}

std::string estate_report_json(const engine::EstateReport& r, const engine::ExchangeConfig& c, size_t estate, SeqNo last_seq) {
  const AssetId claim = c.estates[estate].claim_asset;
  const int claim_decimals = c.assets[claim].decimals;
  JsonWriter w(1024 + 256 * (r.rounds.size() + r.jurisdictions.size() + r.traded.size()));
  w.begin_object();
  w.key("estate").unsigned_integer(estate);
  w.key("name").string(r.name);
  w.key("lastSeq").unsigned_integer(last_seq);
  w.key("claims").begin_object();
  w.key("registered").unsigned_integer(r.claims);
  w.key("linked").unsigned_integer(r.claims_linked);
  w.key("faceRegistered").decimal(amount(c, claim, r.face_registered));
  w.key("faceLinked").decimal(amount(c, claim, r.face_linked));
  w.end_object();
  w.key("unitsOutstanding").decimal(amount(c, claim, r.units_outstanding));
  w.key("traded").begin_array();
  for (const auto& [m, t] : r.traded) {
    const engine::MarketConfig& market = c.markets[m];
    const int quote_decimals = c.assets[market.quote].decimals;
    w.begin_object();
    w.key("market").string(market.symbol);
    w.key("quoteAsset").string(c.assets[market.quote].symbol);
    w.key("trades").unsigned_integer(t.trades);
    w.key("units").decimal(engine::format_wide_amount(t.units, claim_decimals));
    w.key("quoteVolume").decimal(engine::format_wide_amount(t.quote, quote_decimals));
    // Before the first trade there is no price: null rather than a zero that reads as one.
    const bool traded = t.trades > 0;
    w.key("lastPrice");
    if (traded) w.decimal(format_decimal(t.last_price, quote_decimals));
    else w.null();
    w.key("lastSeq");
    if (traded) w.unsigned_integer(t.last_seq);
    else w.null();
    w.key("lastTimestamp");
    if (traded) w.integer(t.last_at);
    else w.null();
    w.key("vwap");
    if (traded) w.decimal(format_decimal(engine::vwap(t, claim_decimals), quote_decimals));
    else w.null();
    w.end_object();
  }
  w.end_array();
  w.key("rounds").begin_array();
  for (const engine::DistributionRound& d : r.rounds) write_distribution_round(w, d, c, claim);
  w.end_array();
  w.key("escrow");
  write_asset_amounts(w, c, r.escrow);
  w.key("escrowHolders").unsigned_integer(r.escrow_holders);
  w.key("jurisdictions").begin_array();
  for (const auto& [code, j] : r.jurisdictions) {
    w.begin_object().key("jurisdiction").string(code).key("holders").unsigned_integer(j.holders);
    w.key("units").decimal(amount(c, claim, j.units)).key("escrow");
    write_asset_amounts(w, c, j.escrow);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace glassbook::api
