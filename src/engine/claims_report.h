// The report of one bankruptcy estate, built from an engine's state: face registered and linked,
// units outstanding, each distribution round, the escrow, and the holders by jurisdiction (aggregates
// only, never an account). docs/claims.md, "Report".
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/engine.h"

namespace glassbook::engine {

struct JurisdictionTotals {
  uint64_t holders = 0;                 // accounts holding units or escrow
  int64_t units = 0;                    // claim units they hold
  std::map<AssetId, int64_t> escrow;    // their escrow, by payout asset
  bool operator==(const JurisdictionTotals&) const = default;
};

struct EstateReport {
  std::string name;
  uint64_t claims = 0;            // attested, not expunged
  uint64_t claims_linked = 0;     // ... and linked to an account
  int64_t face_registered = 0;    // their face, claim-asset units
  int64_t face_linked = 0;
  int64_t units_outstanding = 0;  // claim units in the ledger (allowed and linked)
  std::vector<DistributionRound> rounds;
  std::map<AssetId, int64_t> escrow;  // by payout asset
  uint64_t escrow_holders = 0;
  // By KYC jurisdiction ("none": no attestation): holders of units or escrow.
  std::map<std::string, JurisdictionTotals> jurisdictions;
  // Trading's hook: units traded and the quote paid for them, from the transfer-of-claim records
  // once claims trade (zero until then); VWAP = traded_quote / traded_units.
  int64_t traded_units = 0;
  int64_t traded_quote = 0;
};

// The report of estate `estate`; InvalidArgument for an unknown one. O(accounts + claims).
Result<EstateReport> estate_report(const Engine& engine, size_t estate);
// The report as text, amounts in whole units of their assets.
std::string format_estate_report(const EstateReport& report, const ExchangeConfig& config);

}  // namespace glassbook::engine
