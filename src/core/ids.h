// Identifiers of accounts, assets, markets and orders, and the reserved system account ids.
#pragma once
#include <cstdint>

namespace glassbook {

using AccountId = uint32_t;  // ledger owner: a customer or a system account
using AssetId = uint16_t;    // index into the configured assets
using MarketId = uint16_t;   // index into the configured markets
using OrderId = uint64_t;    // assigned by the engine, never reused
using SeqNo = uint64_t;      // sequencer's number of a command
using Timestamp = int64_t;   // sequencer's time, microseconds since the Unix epoch

// System accounts. Customers are numbered from kFirstCustomer up.
inline constexpr AccountId kWorldAccount = 0;      // the outside world: deposits come from it
inline constexpr AccountId kFeeAccount = 1;        // trading fees collected
inline constexpr AccountId kInsuranceAccount = 2;  // insurance fund
// The counterpart of perpetual PnL: realized profits are paid from it and realized losses into it.
// Its balance in the margin asset always equals minus the sum of every open position's entry cost.
inline constexpr AccountId kClearingAccount = 3;
// The issuer of every bankruptcy estate's claim units: in each estate's claim asset its balance is
// minus the claim units outstanding (docs/claims.md).
inline constexpr AccountId kClaimsIssuerAccount = 8;
// Distributions to claim holders (docs/claims.md, "Distributions"): the funds of every round being
// paid, moved here from the estate's distribution account when the round is declared, and the
// payouts kept in escrow for holders barred from receiving them, until released to the holder.
inline constexpr AccountId kDistributionAccount = 9;
inline constexpr AccountId kClaimsEscrowAccount = 10;
inline constexpr AccountId kFirstCustomer = 16;

inline constexpr bool is_customer(AccountId a) { return a >= kFirstCustomer; }

}  // namespace glassbook
