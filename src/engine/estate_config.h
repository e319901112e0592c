// A bankruptcy estate as the configuration registers it: its claim asset, its claims agent's and KYC
// providers' keys, the jurisdictions barred from payouts, and who may buy its claims (docs/claims.md).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "crypto/ed25519.h"

namespace glassbook::engine {

struct ExchangeConfig;

// Who may buy an estate's claims (checked before a trade once claims trade; docs/claims.md).
struct TransferRules {
  uint8_t min_kyc_level = 0;                          // the buyer's KYC level must be at least this
  std::vector<std::string> barred_buyer_jurisdictions;  // ISO 3166-1 alpha-2, strictly increasing

  bool operator==(const TransferRules&) const = default;
};

// Estates are registered and changed by the operators' m-of-n configuration changes (governance.cpp):
// ids (their index) are forever, like assets and markets.
struct EstateConfig {
  std::string name;                 // "FTX Trading Ltd.", unique among estates
  std::string claim_unit;           // what one whole claim unit is worth in face value: "USD"
  AssetId claim_asset = 0;          // the asset its claim units are, this estate's alone (valuation None)
  std::vector<AssetId> payout_assets;  // what distributions pay in (USDC, EURC), distinct
  crypto::PublicKey claims_agent{};    // attests claim records and creditors' legacy identifiers
  std::vector<crypto::PublicKey> kyc_providers;  // attest accounts' KYC, 1..kMaxRoleKeys distinct
  std::vector<std::string> barred_jurisdictions;  // barred from receiving payouts directly; strictly increasing
  TransferRules transfer_rules;

  bool operator==(const EstateConfig&) const = default;
};

inline constexpr size_t kMaxEstates = 64;
inline constexpr size_t kMaxEstateTextBytes = 64;     // a name or a claim unit
inline constexpr size_t kMaxJurisdictions = 249;      // ISO 3166-1 assigns 249 alpha-2 codes
inline constexpr uint8_t kMaxKycLevel = 9;

// Two upper-case ASCII letters.
bool is_jurisdiction(std::string_view code);
// The estates' names, assets, keys and lists (part of validate_config).
Status validate_estates(const ExchangeConfig& config);
// What a configuration change may do to estates (part of check_config_change): estates are only
// appended; an existing one keeps its name, claim unit and claim asset, and its payout assets are
// only appended; its keys, barred jurisdictions and transfer rules may change (a compromised agent
// or provider key must be replaceable).
Status check_estate_change(const ExchangeConfig& now, const ExchangeConfig& next);
// The estate whose claim asset `asset` is, if any.
std::optional<size_t> estate_of_claim_asset(const ExchangeConfig& config, AssetId asset);

}  // namespace glassbook::engine
