// The engine's distribution commands: an estate's claims agent declares a round funded from its
// distribution account and pays it to the claim holders in chunks; a barred holder's share waits in
// escrow until the holder may receive it (docs/claims.md, "Distributions").
#include <fmt/format.h>

#include <algorithm>

#include "core/assert.h"
#include "engine/engine.h"

namespace glassbook::engine {

namespace {

// Whether payouts to `account` are barred by the estate: no KYC attestation (its jurisdiction is
// unknown), or one naming a jurisdiction the estate bars. Expiry does not bar a payment: the holder
// was eligible when it linked or bought, and only where it may receive money matters here.
bool payout_barred(const EstateConfig& cfg, const EstateClaims& claims, AccountId account) {
  auto kyc = claims.kyc.find(account);
  if (kyc == claims.kyc.end()) return true;
  return std::binary_search(cfg.barred_jurisdictions.begin(), cfg.barred_jurisdictions.end(), kyc->second.jurisdiction);
}

// floor(units × numerator / denominator) with a 128-bit intermediate (units >= 0, both terms > 0).
unsigned __int128 share_of(int64_t units, uint64_t numerator, uint64_t denominator) {
  return static_cast<unsigned __int128>(units) * numerator / denominator;
}

}  // namespace

bool Engine::distribution_freezes_units(size_t estate) const {
  return estate < distributions_.estate_count() && distributions_.estate(estate).open_round() != nullptr;
}

void Engine::note_claim_units_moved(size_t estate, SeqNo seq) { distributions_.estate(estate).units_moved_at = seq; }

Status Engine::on(const Command& c, const DeclareDistribution& d) {
  if (d.estate >= config_.estates.size()) return reject(Error::InvalidArgument, fmt::format("unknown estate {}", d.estate));
  const EstateConfig& cfg = config_.estates[d.estate];
  if (c.signer != cfg.claims_agent)
    return reject(Error::Unauthorized, fmt::format("distributions of estate '{}' must be declared by its claims agent", cfg.name));
  if (!is_customer(d.account) || d.account - kFirstCustomer >= account_keys_.size())
    return reject(Error::UnknownAccount, fmt::format("unknown distribution account {}", d.account));
  if (account_keys_[d.account - kFirstCustomer] != cfg.claims_agent || isolated_.contains(d.account))
    return reject(Error::Unauthorized, fmt::format("account {} is not estate '{}''s distribution account: that is the account registered "
                                                   "with its claims agent's key",
                                                   d.account, cfg.name));
  EstateDistributions& e = distributions_.estate(d.estate);
  if (const DistributionRound* open = e.open_round())
    return reject(Error::InvalidArgument, fmt::format("round {} of estate '{}' is still being paid: one round at a time", open->id, cfg.name));
  if (d.round != e.rounds.size() + 1)
    return reject(Error::InvalidArgument, fmt::format("round {} of estate '{}' where {} is next (a round is declared once, in order)", d.round,
                                                      cfg.name, e.rounds.size() + 1));
  if (e.rounds.size() >= kMaxRoundsPerEstate)
    return reject(Error::Overloaded, fmt::format("estate '{}' holds its limit of {} rounds", cfg.name, kMaxRoundsPerEstate));
  if (std::find(cfg.payout_assets.begin(), cfg.payout_assets.end(), d.payout_asset) == cfg.payout_assets.end())
    return reject(Error::InvalidArgument, fmt::format("asset {} is not a payout asset of estate '{}'", d.payout_asset, cfg.name));
  if (d.rate_numerator == 0 || d.rate_denominator == 0)
    return reject(Error::InvalidArgument, fmt::format("rate {}/{}: both terms must be positive", d.rate_numerator, d.rate_denominator));
  if (d.record_seq > c.seq)
    return reject(Error::InvalidArgument,
                  fmt::format("record sequence {} is in the future: this declaration is sequence {}", d.record_seq, c.seq));
  if (d.record_seq < e.units_moved_at)
    return reject(Error::InvalidArgument, fmt::format("estate '{}''s claim units moved at sequence {}, after the record sequence {}: the "
                                                      "holdings paid are those at the record point, which must follow the last change",
                                                      cfg.name, e.units_moved_at, d.record_seq));
  const int64_t units = claims_.estate(d.estate).outstanding;
  if (units <= 0) return reject(Error::InvalidArgument, fmt::format("estate '{}' has no claim units outstanding", cfg.name));
  const unsigned __int128 funding = share_of(units, d.rate_numerator, d.rate_denominator);
  if (funding > static_cast<unsigned __int128>(INT64_MAX))
    return reject(Error::Overflow, fmt::format("rate {}/{} over {} units exceeds the largest amount", d.rate_numerator, d.rate_denominator, units));
  if (funding == 0)
    return reject(Error::InvalidArgument, fmt::format("rate {}/{} over {} units pays nothing", d.rate_numerator, d.rate_denominator, units));
  const int64_t funded = static_cast<int64_t>(funding);
  const int64_t available = ledger_.balance(d.account, d.payout_asset).available();
  if (available < funded)
    return reject(Error::InsufficientFunds,
                  fmt::format("round {} of estate '{}' is not fully funded: it needs {} of {} (rate {}/{} over {} units), account {} has {} "
                              "available",
                              d.round, cfg.name, funded, config_.assets[d.payout_asset].symbol, d.rate_numerator, d.rate_denominator, units,
                              d.account, available));
  if (auto s = ledger_.transfer(d.account, kDistributionAccount, d.payout_asset, funded); !s) return s;
  DistributionRound r;
  r.id = d.round;
  r.asset = d.payout_asset;
  r.account = d.account;
  r.rate_numerator = d.rate_numerator;
  r.rate_denominator = d.rate_denominator;
  r.record_seq = d.record_seq;
  r.declared_seq = c.seq;
  r.units = units;
  r.funded = funded;
  r.end_account = static_cast<AccountId>(ledger_.account_count());
  e.rounds.push_back(r);
  Event ev;
  ev.kind = EventKind::DistributionDeclared;
  ev.market = d.estate;
  ev.order_id = d.round;
  ev.asset = d.payout_asset;
  ev.account = d.account;
  ev.quantity = funded;
  ev.remaining = units;
  ev.price = static_cast<int64_t>(d.record_seq);
  events_.push_back(ev);
  return {};
}

Status Engine::on(const Command& c, const PayDistribution& p) {
  if (p.estate >= config_.estates.size()) return reject(Error::InvalidArgument, fmt::format("unknown estate {}", p.estate));
  const EstateConfig& cfg = config_.estates[p.estate];
  if (c.signer != cfg.claims_agent)
    return reject(Error::Unauthorized, fmt::format("distributions of estate '{}' must be paid by its claims agent", cfg.name));
  EstateDistributions& e = distributions_.estate(p.estate);
  DistributionRound* round = e.open_round();
  if (round == nullptr || round->id != p.round) {
    if (p.round == 0 || p.round > e.rounds.size())
      return reject(Error::InvalidArgument, fmt::format("estate '{}' has no round {}", cfg.name, p.round));
    return reject(Error::InvalidArgument, fmt::format("round {} of estate '{}' is complete", p.round, cfg.name));
  }
  const EstateClaims& claims = claims_.estate(p.estate);
  // The holders in account order, from where the last chunk stopped: at most kDistributionChunk of
  // them and kDistributionScanLimit accounts, so that no chunk holds the engine long.
  uint64_t holders = 0;
  uint64_t scanned = 0;
  AccountId a = round->next_account;
  for (; a < round->end_account && holders < kDistributionChunk && scanned < kDistributionScanLimit; ++a, ++scanned) {
    const int64_t units = ledger_.balance(a, cfg.claim_asset).total;
    if (units <= 0) continue;
    ++holders;
    ++round->holders;
    round->units_visited += units;
    // Units frozen since the record point never add up to more than were recorded.
    GB_ASSERT(round->units_visited <= round->units);
    const int64_t share = static_cast<int64_t>(share_of(units, round->rate_numerator, round->rate_denominator));
    if (share == 0) continue;
    const bool barred = payout_barred(cfg, claims, a);
    Status s = ledger_.transfer(kDistributionAccount, barred ? kClaimsEscrowAccount : a, round->asset, share);
    GB_ASSERT(s);  // the round holds floor(units × rate) >= the sum of its holders' shares
    Event ev;
    ev.market = p.estate;
    ev.order_id = round->id;
    ev.asset = round->asset;
    ev.account = a;
    ev.quantity = share;
    ev.remaining = units;
    if (barred) {
      e.escrow[escrow_key(a, round->asset)] += share;
      e.escrow_total[round->asset] += share;
      round->escrowed += share;
      ++round->holders_escrowed;
      ev.kind = EventKind::DistributionEscrowed;
    } else {
      round->paid += share;
      ++round->holders_paid;
      ev.kind = EventKind::DistributionPaid;
    }
    events_.push_back(ev);
  }
  round->next_account = a;
  if (a < round->end_account) return {};
  // Every holder visited: exactly the units recorded, and what is left is the rounding remainder.
  GB_ASSERT(round->units_visited == round->units);
  round->remainder = round->funded - round->paid - round->escrowed;
  GB_ASSERT(round->remainder >= 0);
  if (round->remainder > 0) {
    Status s = ledger_.transfer(kDistributionAccount, round->account, round->asset, round->remainder);
    GB_ASSERT(s);
  }
  round->complete = true;
  Event ev;
  ev.kind = EventKind::DistributionCompleted;
  ev.market = p.estate;
  ev.order_id = round->id;
  ev.asset = round->asset;
  ev.account = round->account;
  ev.quantity = round->remainder;
  ev.remaining = static_cast<int64_t>(round->holders);
  events_.push_back(ev);
  return {};
}

Status Engine::on(const Command& c, const ReleaseEscrow& r) {
  if (r.estate >= config_.estates.size()) return reject(Error::InvalidArgument, fmt::format("unknown estate {}", r.estate));
  const EstateConfig& cfg = config_.estates[r.estate];
  if (auto s = authorize(c, r.account); !s) return s;
  EstateDistributions& e = distributions_.estate(r.estate);
  auto it = e.escrow.find(escrow_key(r.account, r.asset));
  if (it == e.escrow.end())
    return reject(Error::InvalidArgument, fmt::format("account {} has nothing of asset {} in escrow for estate '{}'", r.account, r.asset, cfg.name));
  const EstateClaims& claims = claims_.estate(r.estate);
  auto kyc = claims.kyc.find(r.account);
  if (kyc == claims.kyc.end())
    return reject(Error::Unauthorized, fmt::format("account {} has no KYC attestation for estate '{}': its escrow stays until it has one",
                                                   r.account, cfg.name));
  if (!kyc->second.valid_at(c.timestamp))
    return reject(Error::Expired, fmt::format("account {}'s KYC attestation for estate '{}' expired at {} µs (now {} µs): its escrow stays "
                                              "until it is renewed",
                                              r.account, cfg.name, kyc->second.expires_at, c.timestamp));
  if (payout_barred(cfg, claims, r.account))
    return reject(Error::Unauthorized, fmt::format("estate '{}' bars payouts to {}: account {}'s escrow stays until the rule or its "
                                                   "jurisdiction changes",
                                                   cfg.name, kyc->second.jurisdiction, r.account));
  const int64_t amount = it->second;
  if (auto s = ledger_.transfer(kClaimsEscrowAccount, r.account, r.asset, amount); !s) return s;
  e.escrow.erase(it);
  auto total = e.escrow_total.find(r.asset);
  GB_ASSERT(total != e.escrow_total.end() && total->second >= amount);
  total->second -= amount;
  if (total->second == 0) e.escrow_total.erase(total);
  Event ev;
  ev.kind = EventKind::EscrowReleased;
  ev.market = r.estate;
  ev.asset = r.asset;
  ev.account = r.account;
  ev.quantity = amount;
  events_.push_back(ev);
  return {};
}

Status Engine::check_distributions(bool full) const {
  auto bad = [](std::string why) { return Status(Error::InvalidArgument, "distributions: " + std::move(why)); };
  if (distributions_.estate_count() != config_.estates.size())
    return bad(fmt::format("{} entries for {} estates", distributions_.estate_count(), config_.estates.size()));
  const size_t assets = config_.assets.size();
  std::vector<__int128> in_rounds(assets, 0), in_escrow(assets, 0);
  for (size_t i = 0; i < config_.estates.size(); ++i) {
    const EstateDistributions& e = distributions_.estate(i);
    if (const DistributionRound* open = e.open_round()) {
      in_rounds[open->asset] += open->held();
      // The units are frozen while the round is paid.
      if (claims_.estate(i).outstanding != open->units)
        return bad(fmt::format("estate {} has {} units outstanding while round {} pays the {} it recorded", i, claims_.estate(i).outstanding,
                               open->id, open->units));
    }
    for (const auto& [asset, total] : e.escrow_total) in_escrow[asset] += total;
  }
  for (AssetId x = 0; x < assets; ++x) {
    const ledger::Balance& rounds = ledger_.balance(kDistributionAccount, x);
    const ledger::Balance& escrow = ledger_.balance(kClaimsEscrowAccount, x);
    if (rounds.total != in_rounds[x] || rounds.held != 0)
      return bad(fmt::format("the distribution account holds {} of asset {}, its open rounds {}", rounds.total, x,
                             static_cast<int64_t>(in_rounds[x])));
    if (escrow.total != in_escrow[x] || escrow.held != 0)
      return bad(fmt::format("the escrow account holds {} of asset {}, the holders' escrow {}", escrow.total, x,
                             static_cast<int64_t>(in_escrow[x])));
  }
  if (!full) return {};
  return distributions_.check();
}

}  // namespace glassbook::engine
