// An estate's report from the claims registry, the distributions and the ledger's holdings.
#include "engine/claims_report.h"

#include <fmt/format.h>

#include "core/decimal.h"

namespace glassbook::engine {

void count_transfer(std::map<MarketId, TradedTotals>& traded, const ClaimTransfer& t) {
  GB_ASSERT(t.units > 0 && t.quote_amount >= 0);
  TradedTotals& m = traded[t.market];
  ++m.trades;
  m.units += t.units;
  m.quote += t.quote_amount;
  m.last_price = t.price;
  m.last_seq = t.seq;
  m.last_at = t.timestamp;
}

int64_t vwap(const TradedTotals& t, int claim_decimals) {
  if (t.units == 0) return 0;
  __int128 scale = 1;
  for (int i = 0; i < claim_decimals; ++i) scale *= 10;
  // A weighted average of prices that each fit an int64 fits one too.
  return static_cast<int64_t>(t.quote * scale / t.units);
}

std::string format_wide_amount(__int128 value, int scale) {
  GB_ASSERT(value >= 0 && scale >= 0);
  if (value <= INT64_MAX) return format_decimal(static_cast<int64_t>(value), scale);
  // Beyond int64 (the sum of many trades): digits written out, the point placed `scale` from the right.
  std::string digits;
  for (; value > 0; value /= 10) digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(value % 10)));
  if (scale == 0) return digits;
  return digits.substr(0, digits.size() - static_cast<size_t>(scale)) + "." + digits.substr(digits.size() - static_cast<size_t>(scale));
}

Result<EstateReport> estate_report(const Engine& engine, size_t estate, const std::map<MarketId, TradedTotals>& traded) {
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
  for (MarketId m = 0; m < config.markets.size(); ++m) {
    if (config.markets[m].base != cfg.claim_asset) continue;
    auto t = traded.find(m);
    r.traded[m] = t == traded.end() ? TradedTotals{} : t->second;
  }
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
  const int claim_decimals = config.assets[claim_asset].decimals;
  for (const auto& [m, t] : r.traded) {
    const MarketConfig& market = config.markets[m];
    const int quote_decimals = config.assets[market.quote].decimals;
    const std::string quote = " " + config.assets[market.quote].symbol;
    out += fmt::format("traded on {}: {} trades, {} {} for {}{}", market.symbol, t.trades, format_wide_amount(t.units, claim_decimals),
                       config.assets[claim_asset].symbol, format_wide_amount(t.quote, quote_decimals), quote);
    if (t.trades > 0)
      out += fmt::format(", last price {}{} (seq {}), VWAP {}{}", format_decimal(t.last_price, quote_decimals), quote, t.last_seq,
                         format_decimal(vwap(t, claim_decimals), quote_decimals), quote);
    out += "\n";
  }
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
