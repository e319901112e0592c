// An estate's report from the claims registry, the distributions and the ledger's holdings.
#include "engine/claims_report.h"

#include <fmt/format.h>

#include "core/decimal.h"

namespace glassbook::engine {

Result<EstateReport> estate_report(const Engine& engine, size_t estate) {
  const ExchangeConfig& config = engine.config();
  if (estate >= config.estates.size()) return Status(Error::InvalidArgument, fmt::format("unknown estate {}", estate));
  const EstateConfig& cfg = config.estates[estate];
  const EstateClaims& claims = engine.claims().estate(estate);
  const EstateDistributions& dist = engine.distributions().estate(estate);
  EstateReport r;
  r.name = cfg.name;
  for (const auto& [id, claim] : claims.claims) {
    if (claim.status == ClaimStatus::Expunged) continue;
    ++r.claims;
    r.face_registered += claim.face;
    if (claim.holder != 0) {
      ++r.claims_linked;
      r.face_linked += claim.face;
    }
  }
  r.units_outstanding = claims.outstanding;
  r.rounds = dist.rounds;
  r.escrow = dist.escrow_total;
  const auto jurisdiction_of = [&](AccountId a) -> std::string {
    auto kyc = claims.kyc.find(a);
    return kyc == claims.kyc.end() ? "none" : kyc->second.jurisdiction;
  };
  // Holders of units, in account order, then the escrow of every account (holder or not).
  const ledger::Ledger& ledger = engine.ledger();
  for (AccountId a = kFirstCustomer; a < ledger.account_count(); ++a) {
    const int64_t units = ledger.balance(a, cfg.claim_asset).total;
    if (units <= 0) continue;
    JurisdictionTotals& j = r.jurisdictions[jurisdiction_of(a)];
    ++j.holders;
    j.units += units;
  }
  AccountId last = 0;
  for (const auto& [key, amount] : dist.escrow) {
    const AccountId a = escrow_account_of(key);
    JurisdictionTotals& j = r.jurisdictions[jurisdiction_of(a)];
    j.escrow[escrow_asset_of(key)] += amount;
    if (a != last) {
      ++r.escrow_holders;
      if (ledger.balance(a, cfg.claim_asset).total <= 0) ++j.holders;  // a holder in escrow only
    }
    last = a;
  }
  return r;
}

std::string format_estate_report(const EstateReport& r, const ExchangeConfig& config) {
  const auto amount = [&](AssetId asset, int64_t v) {
    return format_decimal(v, config.assets[asset].decimals) + " " + config.assets[asset].symbol;
  };
  const auto* estate = [&]() -> const EstateConfig* {
    for (const EstateConfig& e : config.estates)
      if (e.name == r.name) return &e;
    return nullptr;
  }();
  const AssetId claim_asset = estate != nullptr ? estate->claim_asset : 0;
  std::string out = fmt::format("estate: {}\n", r.name);
  out += fmt::format("claims: {} registered, face {}; {} linked, face {}\n", r.claims, amount(claim_asset, r.face_registered), r.claims_linked,
                     amount(claim_asset, r.face_linked));
  out += fmt::format("units outstanding: {}\n", amount(claim_asset, r.units_outstanding));
  out += fmt::format("traded: {} units for {} (from trading's transfer records)\n", amount(claim_asset, r.traded_units), r.traded_quote);
  for (const DistributionRound& d : r.rounds) {
    out += fmt::format("round {}: {} at {}/{} per unit, record seq {}, declared seq {}: funded {}, paid {} to {} holders, escrowed {} for {}, "
                       "remainder {}, {}\n",
                       d.id, config.assets[d.asset].symbol, d.rate_numerator, d.rate_denominator, d.record_seq, d.declared_seq,
                       amount(d.asset, d.funded), amount(d.asset, d.paid), d.holders_paid, amount(d.asset, d.escrowed), d.holders_escrowed,
                       amount(d.asset, d.remainder), d.complete ? "complete" : "being paid");
  }
  for (const auto& [asset, total] : r.escrow) out += fmt::format("escrow: {}\n", amount(asset, total));
  out += fmt::format("holders in escrow: {}\n", r.escrow_holders);
  for (const auto& [code, j] : r.jurisdictions) {
    out += fmt::format("jurisdiction {}: {} holders, {}", code, j.holders, amount(claim_asset, j.units));
    for (const auto& [asset, total] : j.escrow) out += fmt::format(", escrow {}", amount(asset, total));
    out += "\n";
  }
  return out;
}

}  // namespace glassbook::engine
