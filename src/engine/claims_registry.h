// The claims registry: per estate, its attested claim records with the account each is linked to,
// and its accounts' KYC attestations. Plain state with its snapshot encoding; the rules that change
// it are the engine's (engine_claims.cpp).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "core/ids.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "engine/command.h"

namespace glassbook::engine {

struct ClaimRecord {
  int64_t face = 0;  // allowed face amount, claim-asset units
  ClaimStatus status = ClaimStatus::Scheduled;
  uint32_t revision = 0;  // of the agent's last attestation
  crypto::Digest legacy_hash{};
  AccountId holder = 0;  // the linked account; 0: not linked yet

  // The claim units this claim backs in the ledger: its face once it is both allowed and linked.
  int64_t units() const { return holder != 0 && status == ClaimStatus::Allowed ? face : 0; }
  bool operator==(const ClaimRecord&) const = default;
};

struct KycRecord {
  crypto::PublicKey provider{};
  uint8_t level = 0;
  std::string jurisdiction;  // ISO 3166-1 alpha-2
  Timestamp issued_at = 0;
  Timestamp expires_at = 0;

  bool valid_at(Timestamp now) const { return now < expires_at; }
  bool operator==(const KycRecord&) const = default;
};

struct EstateClaims {
  std::map<uint64_t, ClaimRecord> claims;  // by claim id
  std::map<AccountId, KycRecord> kyc;      // by account
  int64_t outstanding = 0;                 // the sum of every claim's units()

  bool operator==(const EstateClaims&) const = default;
};

// Bounds on what one estate may hold (a limit on everything).
inline constexpr uint64_t kMaxClaimsPerEstate = uint64_t{1} << 24;
inline constexpr uint64_t kMaxKycPerEstate = uint64_t{1} << 24;

class ClaimsRegistry {
 public:
  // One entry per configured estate; estates are only ever added.
  void resize(size_t estates) {
    if (estates > estates_.size()) estates_.resize(estates);
  }
  size_t estate_count() const { return estates_.size(); }
  EstateClaims& estate(size_t i) { return estates_[i]; }
  const EstateClaims& estate(size_t i) const { return estates_[i]; }
  // No claim and no attestation in any estate (such a state keeps the state root it had before claims).
  bool empty() const;

  // Snapshot section: u32 estates, then per estate: u64 n claims in id order (u64 id, i64 face,
  // u8 status, u32 revision, 32-byte legacy hash, u32 holder), u64 n attestations in account order
  // (u32 account, 32-byte provider key, u8 level, str jurisdiction, i64 issued, i64 expires).
  // `outstanding` is derived on read.
  void write(ByteWriter& w) const;
  Status read(ByteReader& r, size_t estates);

  // Every estate's outstanding equals the sum of its claims' units (O(claims)).
  Status check() const;

 private:
  std::vector<EstateClaims> estates_;
};

// The bytes a claims agent signs to attest that `account` (with key `account_key`) controls the
// legacy identifier whose salted hash is `legacy_hash`, for claim `claim_id` of the estate named
// `estate_name`: a domain tag, then each field, little-endian. Naming all of them means one
// attestation can serve no other estate, claim, account or identifier.
inline constexpr std::string_view kClaimLinkDomainTag = "glassbook/claim-link/v1";
std::string claim_link_bytes(std::string_view estate_name, uint64_t claim_id, AccountId account,
                             const crypto::PublicKey& account_key, const crypto::Digest& legacy_hash);

}  // namespace glassbook::engine
