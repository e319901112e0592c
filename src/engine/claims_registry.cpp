// The claims registry's snapshot encoding, its own consistency check and the claim-link signing bytes.
#include "engine/claims_registry.h"

#include <fmt/format.h>

#include "core/checked.h"

namespace glassbook::engine {

bool ClaimsRegistry::empty() const {
  for (const EstateClaims& e : estates_)
    if (!e.claims.empty() || !e.kyc.empty()) return false;
  return true;
}

void ClaimsRegistry::write(ByteWriter& w) const {
  w.u32(static_cast<uint32_t>(estates_.size()));
  for (const EstateClaims& e : estates_) {
    w.u64(e.claims.size());
    for (const auto& [id, c] : e.claims) {
      w.u64(id);
      w.i64(c.face);
      w.enum8("claim status", c.status, 3);
      w.u32(c.revision);
      w.key(c.legacy_hash);
      w.u32(c.holder);
    }
    w.u64(e.kyc.size());
    for (const auto& [account, k] : e.kyc) {
      w.u32(account);
      w.key(k.provider);
      w.u8(k.level);
      w.str("jurisdiction", k.jurisdiction, 2);
      w.i64(k.issued_at);
      w.i64(k.expires_at);
    }
  }
}

Status ClaimsRegistry::read(ByteReader& r, size_t estates) {
  auto bad = [](std::string why) { return Status(Error::Corruption, "claims: " + std::move(why)); };
  uint32_t n = 0;
  r.u32(n);
  if (!r.ok()) return r.status(false);
  if (n != estates) return bad(fmt::format("{} estates in the registry for {} configured", n, estates));
  estates_.assign(n, EstateClaims{});
  for (uint32_t i = 0; i < n; ++i) {
    EstateClaims& e = estates_[i];
    uint64_t claims = 0;
    r.u64(claims);
    if (!r.ok()) return r.status(false);
    if (claims > kMaxClaimsPerEstate) return bad(fmt::format("estate {}: {} claims", i, claims));
    for (uint64_t k = 0; k < claims; ++k) {
      uint64_t id = 0;
      ClaimRecord c;
      r.u64(id);
      r.i64(c.face);
      r.enum8("claim status", c.status, 3);
      r.u32(c.revision);
      r.key(c.legacy_hash);
      r.u32(c.holder);
      if (!r.ok()) return r.status(false);
      if (!e.claims.empty() && id <= e.claims.rbegin()->first) return bad(fmt::format("estate {}: claim ids not increasing at {}", i, id));
      if (c.face < 0 || c.revision == 0) return bad(fmt::format("estate {} claim {}: negative face or revision 0", i, id));
      if (c.holder != 0 && !is_customer(c.holder)) return bad(fmt::format("estate {} claim {}: held by system account {}", i, id, c.holder));
      auto sum = checked_add(e.outstanding, c.units());
      if (!sum) return bad(fmt::format("estate {}: outstanding units overflow", i));
      e.outstanding = *sum;
      e.claims.emplace_hint(e.claims.end(), id, c);
    }
    uint64_t kyc = 0;
    r.u64(kyc);
    if (!r.ok()) return r.status(false);
    if (kyc > kMaxKycPerEstate) return bad(fmt::format("estate {}: {} KYC attestations", i, kyc));
    for (uint64_t k = 0; k < kyc; ++k) {
      AccountId account = 0;
      KycRecord a;
      r.u32(account);
      r.key(a.provider);
      r.u8(a.level);
      r.str("jurisdiction", a.jurisdiction, 2);
      r.i64(a.issued_at);
      r.i64(a.expires_at);
      if (!r.ok()) return r.status(false);
      if (!e.kyc.empty() && account <= e.kyc.rbegin()->first) return bad(fmt::format("estate {}: KYC accounts not increasing at {}", i, account));
      if (!is_customer(account) || a.level == 0 || a.jurisdiction.size() != 2 || a.issued_at > a.expires_at)
        return bad(fmt::format("estate {}: KYC attestation of account {} out of range", i, account));
      e.kyc.emplace_hint(e.kyc.end(), account, std::move(a));
    }
  }
  return {};
}

Status ClaimsRegistry::check() const {
  for (size_t i = 0; i < estates_.size(); ++i) {
    __int128 sum = 0;
    for (const auto& [id, c] : estates_[i].claims) sum += c.units();
    if (sum != estates_[i].outstanding)
      return Status(Error::InvalidArgument, fmt::format("claims: estate {} counts {} units outstanding, its claims back {}", i,
                                                        estates_[i].outstanding, static_cast<int64_t>(sum)));
  }
  return {};
}

std::string claim_link_bytes(std::string_view estate_name, uint64_t claim_id, AccountId account,
                             const crypto::PublicKey& account_key, const crypto::Digest& legacy_hash) {
  std::string out(kClaimLinkDomainTag);
  ByteWriter w(out);
  w.str("estate name", std::string(estate_name), estate_name.size());
  w.u64(claim_id);
  w.u32(account);
  w.key(account_key);
  w.key(legacy_hash);
  return out;
}

}  // namespace glassbook::engine
