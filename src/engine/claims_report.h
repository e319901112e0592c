// The report of one bankruptcy estate, built from an engine's state: face registered and linked,
// units outstanding, each distribution round, the escrow, and the holders by jurisdiction (aggregates
// only, never an account). docs/claims.md, "Report".
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/claim_transfers.h"
#include "engine/engine.h"

namespace glassbook::engine {

struct JurisdictionTotals {
  uint64_t holders = 0;                 // accounts holding units or escrow
  int64_t units = 0;                    // claim units they hold
  std::map<AssetId, int64_t> escrow;    // their escrow, by payout asset
  bool operator==(const JurisdictionTotals&) const = default;
};

// What one claim market traded, summed from its transfer-of-claim records by count_transfer (the one
// function both the gateway's view and `glassbook claims report` fold records with). Sums are 128-bit:
// a market's turnover over years may exceed what one balance can hold.
struct TradedTotals {
  uint64_t trades = 0;
  __int128 units = 0;       // claim-asset units transferred
  __int128 quote = 0;       // quote units paid for them (a claim market charges no fee)
  int64_t last_price = 0;   // quote units per whole claim unit, of the newest record
  SeqNo last_seq = 0;       // the newest record's command
  Timestamp last_at = 0;    // and its sequencer time (µs)
  bool operator==(const TradedTotals&) const = default;
};

// Adds one record to its market's totals.
void count_transfer(std::map<MarketId, TradedTotals>& traded, const ClaimTransfer& t);
// The volume-weighted average price in quote units per whole claim unit: quote x 10^claim decimals /
// units, floored (0 before any trade).
int64_t vwap(const TradedTotals& t, int claim_decimals);
// Decimal text of a 128-bit amount at `scale` decimals ("1234.50"), for the traded sums.
std::string format_wide_amount(__int128 value, int scale);

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
  // By claim market of the estate (every one, traded or not): what its transfer-of-claim records sum
  // to. Not engine state (the records are a function of the journal): the caller folds them in.
  std::map<MarketId, TradedTotals> traded;
};

// The report of estate `estate`; InvalidArgument for an unknown one. O(accounts + claims).
// `traded`: every market's totals of the records seen (those of other estates' markets are ignored).
Result<EstateReport> estate_report(const Engine& engine, size_t estate, const std::map<MarketId, TradedTotals>& traded = {});
// The report as text, amounts in whole units of their assets.
std::string format_estate_report(const EstateReport& report, const ExchangeConfig& config);

}  // namespace glassbook::engine
