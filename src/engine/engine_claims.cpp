// The engine's claims commands: claim records attested by an estate's claims agent, claims linked to
// creditors' accounts, KYC attestations, and the claim units the ledger issues against them.
#include <fmt/format.h>

#include <algorithm>

#include "core/checked.h"
#include "engine/engine.h"

namespace glassbook::engine {

void Engine::install_estates() {
  for (const EstateConfig& e : config_.estates) ledger_.set_issuer(e.claim_asset, kClaimsIssuerAccount);
  claims_.resize(config_.estates.size());
  distributions_.resize(config_.estates.size());
}

Status Engine::move_claim_units(const Command& c, size_t estate, uint64_t claim_id, AccountId holder, int64_t before, int64_t after) {
  if (before == after) return {};
  const EstateConfig& cfg = config_.estates[estate];
  if (distribution_freezes_units(estate))
    return reject(Error::InvalidArgument,
                  fmt::format("estate '{}' is paying distribution round {}: its claim units cannot move until the round is paid (claim {})",
                              cfg.name, distributions_.estate(estate).open_round()->id, claim_id));
  EstateClaims& e = claims_.estate(estate);
  auto outstanding = checked_add(e.outstanding, after - before);
  if (!outstanding) return reject(Error::Overflow, fmt::format("estate '{}': claim units outstanding out of range", cfg.name));
  if (after > before) {
    if (auto s = ledger_.transfer(kClaimsIssuerAccount, holder, cfg.claim_asset, after - before); !s) return s;
  } else {
    const int64_t back = before - after;
    const int64_t available = ledger_.balance(holder, cfg.claim_asset).available();
    // The holder may have sold or offered the units since: the estate's records then describe
    // units someone else holds, which this command cannot settle (docs/claims.md, "Status changes").
    if (available < back)
      return reject(Error::InsufficientFunds,
                    fmt::format("claim {} of estate '{}' backs {} units that account {} no longer has available ({}): the status or "
                                "amount change is refused until they are back",
                                claim_id, cfg.name, back, holder, available));
    if (auto s = ledger_.transfer(holder, kClaimsIssuerAccount, cfg.claim_asset, back); !s) return s;
  }
  e.outstanding = *outstanding;
  note_claim_units_moved(estate, c.seq);
  Event ev;
  ev.kind = EventKind::ClaimUnitsIssued;
  ev.market = static_cast<MarketId>(estate);
  ev.order_id = claim_id;
  ev.account = holder;
  ev.asset = cfg.claim_asset;
  ev.quantity = after - before;
  events_.push_back(ev);
  return {};
}

Status Engine::on(const Command& c, const AttestClaim& a) {
  if (a.estate >= config_.estates.size()) return reject(Error::InvalidArgument, fmt::format("unknown estate {}", a.estate));
  const EstateConfig& cfg = config_.estates[a.estate];
  if (c.signer != cfg.claims_agent)
    return reject(Error::Unauthorized, fmt::format("claim records of estate '{}' must be signed by its claims agent", cfg.name));
  if (a.face < 0) return reject(Error::InvalidQuantity, fmt::format("claim {}: the face amount cannot be negative", a.claim_id));
  EstateClaims& e = claims_.estate(a.estate);
  auto it = e.claims.find(a.claim_id);
  const uint32_t expected = it == e.claims.end() ? 1 : it->second.revision + 1;
  if (it != e.claims.end() && it->second.revision == UINT32_MAX)
    return reject(Error::InvalidArgument, fmt::format("claim {} of estate '{}' has no revision left", a.claim_id, cfg.name));
  if (a.revision != expected)
    return reject(Error::InvalidArgument,
                  fmt::format("claim {} of estate '{}': revision {} where {} is next (an attestation applies once, in order)", a.claim_id,
                              cfg.name, a.revision, expected));
  if (it == e.claims.end() && e.claims.size() >= kMaxClaimsPerEstate)
    return reject(Error::Overloaded, fmt::format("estate '{}' holds its limit of {} claims", cfg.name, kMaxClaimsPerEstate));
  ClaimRecord next = it == e.claims.end() ? ClaimRecord{} : it->second;
  // A linked claim is bound to the identifier its creditor proved: the agent cannot move it.
  if (next.holder != 0 && next.legacy_hash != a.legacy_hash)
    return reject(Error::InvalidArgument, fmt::format("claim {} of estate '{}' is linked: its legacy identifier's hash cannot change",
                                                      a.claim_id, cfg.name));
  const int64_t before = next.units();
  next.face = a.face;
  next.status = a.status;
  next.revision = a.revision;
  next.legacy_hash = a.legacy_hash;
  if (auto s = move_claim_units(c, a.estate, a.claim_id, next.holder, before, next.units()); !s) return s;
  e.claims.insert_or_assign(a.claim_id, next);
  Event ev;
  ev.kind = EventKind::ClaimAttested;
  ev.market = a.estate;
  ev.order_id = a.claim_id;
  ev.quantity = a.face;
  ev.client_id = static_cast<uint32_t>(a.status);
  ev.remaining = a.revision;
  ev.account = next.holder;
  // The units event, if any, describes what this attestation did: it follows the record.
  events_.insert(events_.end() - (before != next.units() ? 1 : 0), ev);
  return {};
}

Status Engine::on(const Command& c, const LinkClaim& l) {
  if (l.estate >= config_.estates.size()) return reject(Error::InvalidArgument, fmt::format("unknown estate {}", l.estate));
  const EstateConfig& cfg = config_.estates[l.estate];
  if (auto s = authorize(c, l.account); !s) return s;
  if (isolated_.contains(l.account)) return reject(Error::InvalidArgument, "an isolated account cannot hold claims: link to its owner");
  EstateClaims& e = claims_.estate(l.estate);
  auto it = e.claims.find(l.claim_id);
  if (it == e.claims.end())
    return reject(Error::InvalidArgument, fmt::format("estate '{}' has no claim {} attested by its claims agent", cfg.name, l.claim_id));
  ClaimRecord& claim = it->second;
  if (claim.holder != 0)
    return reject(Error::InvalidArgument, fmt::format("claim {} of estate '{}' is already linked to account {}: a claim links once",
                                                      l.claim_id, cfg.name, claim.holder));
  if (claim.status == ClaimStatus::Expunged)
    return reject(Error::InvalidArgument, fmt::format("claim {} of estate '{}' is expunged", l.claim_id, cfg.name));
  if (claim.legacy_hash != l.legacy_hash)
    return reject(Error::InvalidArgument,
                  fmt::format("the legacy identifier's hash does not match claim {} of estate '{}'", l.claim_id, cfg.name));
  auto kyc = e.kyc.find(l.account);
  if (kyc == e.kyc.end())
    return reject(Error::Unauthorized, fmt::format("account {} has no KYC attestation for estate '{}': pass KYC before linking",
                                                   l.account, cfg.name));
  if (!kyc->second.valid_at(c.timestamp))
    return reject(Error::Expired, fmt::format("account {}'s KYC attestation for estate '{}' expired at {} µs (now {} µs)", l.account,
                                              cfg.name, kyc->second.expires_at, c.timestamp));
  // Last, as the dearest check (about 50 µs): the agent's signature over this estate, claim,
  // account and identifier.
  const std::string attested = claim_link_bytes(cfg.name, l.claim_id, l.account, c.signer, l.legacy_hash);
  if (!crypto::verify(cfg.claims_agent, attested, l.agent_signature))
    return reject(Error::InvalidSignature,
                  fmt::format("the claims agent's attestation for claim {} of estate '{}' does not verify: signed by another key or "
                              "over another estate, claim, account or identifier",
                              l.claim_id, cfg.name));
  ClaimRecord next = claim;
  next.holder = l.account;
  if (auto s = move_claim_units(c, l.estate, l.claim_id, l.account, claim.units(), next.units()); !s) return s;
  const bool credited = next.units() != 0;
  claim = next;
  Event ev;
  ev.kind = EventKind::ClaimLinked;
  ev.market = l.estate;
  ev.order_id = l.claim_id;
  ev.account = l.account;
  events_.insert(events_.end() - (credited ? 1 : 0), ev);
  return {};
}

Status Engine::on(const Command& c, const AttestKyc& k) {
  if (k.estate >= config_.estates.size()) return reject(Error::InvalidArgument, fmt::format("unknown estate {}", k.estate));
  const EstateConfig& cfg = config_.estates[k.estate];
  if (!std::count(cfg.kyc_providers.begin(), cfg.kyc_providers.end(), c.signer))
    return reject(Error::Unauthorized, fmt::format("KYC attestations for estate '{}' must be signed by one of its KYC providers", cfg.name));
  if (!is_customer(k.account) || k.account - kFirstCustomer >= account_keys_.size())
    return reject(Error::UnknownAccount, "unknown account " + std::to_string(k.account));
  if (isolated_.contains(k.account)) return reject(Error::InvalidArgument, "an isolated account has no KYC of its own: attest its owner");
  if (k.level == 0 || k.level > kMaxKycLevel) return reject(Error::InvalidArgument, fmt::format("KYC level {} outside 1..{}", k.level, kMaxKycLevel));
  if (!is_jurisdiction(k.jurisdiction))
    return reject(Error::InvalidArgument, fmt::format("'{}' is not an ISO 3166-1 alpha-2 jurisdiction", k.jurisdiction));
  if (k.issued_at > k.expires_at) return reject(Error::InvalidArgument, "a KYC attestation cannot expire before it is issued");
  if (k.expires_at <= c.timestamp)
    return reject(Error::Expired, fmt::format("the KYC attestation expired at {} µs, before the sequencer's time {} µs", k.expires_at, c.timestamp));
  EstateClaims& e = claims_.estate(k.estate);
  auto it = e.kyc.find(k.account);
  if (it != e.kyc.end() && k.issued_at <= it->second.issued_at)
    return reject(Error::InvalidArgument, fmt::format("account {} holds a KYC attestation issued at {} µs: this one ({} µs) is not newer",
                                                      k.account, it->second.issued_at, k.issued_at));
  if (it == e.kyc.end() && e.kyc.size() >= kMaxKycPerEstate)
    return reject(Error::Overloaded, fmt::format("estate '{}' holds its limit of {} KYC attestations", cfg.name, kMaxKycPerEstate));
  e.kyc.insert_or_assign(k.account, KycRecord{c.signer, k.level, k.jurisdiction, k.issued_at, k.expires_at});
  Event ev;
  ev.kind = EventKind::KycAttested;
  ev.market = k.estate;
  ev.account = k.account;
  ev.client_id = k.level;
  ev.order_id = static_cast<uint64_t>(k.expires_at);
  events_.push_back(ev);
  return {};
}

Status Engine::check_claims(bool full) const {
  if (claims_.estate_count() != config_.estates.size())
    return Status(Error::InvalidArgument, fmt::format("claims: {} registry entries for {} estates", claims_.estate_count(), config_.estates.size()));
  for (size_t i = 0; i < config_.estates.size(); ++i) {
    const AssetId asset = config_.estates[i].claim_asset;
    const int64_t issued = -ledger_.balance(kClaimsIssuerAccount, asset).total;
    if (issued != claims_.estate(i).outstanding)
      return Status(Error::InvalidArgument, fmt::format("claims: estate {} has {} units outstanding but its issuer's balance is {}", i,
                                                        claims_.estate(i).outstanding, -issued));
  }
  if (!full) return check_distributions(false);
  if (auto s = claims_.check(); !s) return s;
  // Every holder is an ordinary customer account.
  for (size_t i = 0; i < config_.estates.size(); ++i)
    for (const auto& [id, claim] : claims_.estate(i).claims)
      if (claim.holder != 0 && (claim.holder - kFirstCustomer >= account_keys_.size() || isolated_.contains(claim.holder)))
        return Status(Error::InvalidArgument, fmt::format("claims: estate {} claim {} is linked to account {}, not a customer's own", i, id,
                                                          claim.holder));
  return check_distributions(true);
}

}  // namespace glassbook::engine
