// The commands of distributions to claim holders (docs/claims.md, "Distributions"): an estate's
// claims agent declares a round and pays it in chunks; a holder barred from payouts releases its
// escrow once it may receive it.
#pragma once
#include <cstdint>

#include "core/ids.h"

namespace glassbook::engine {

// Declares round `round` (1, 2, ... per estate) of `estate`: every holder of its claim units at
// `record_seq` receives floor(units × rate_numerator / rate_denominator) of `payout_asset` (payout
// units per claim-asset unit). The round's funding, floor(outstanding × rate), moves at once from
// `account` (the distribution account: the account registered with the claims agent's key) into
// the round, so nothing else can spend it; its units stay frozen until the round is paid. Signed by
// the estate's claims agent.
struct DeclareDistribution {
  uint16_t estate = 0;
  uint32_t round = 0;
  AccountId account = 0;
  AssetId payout_asset = 0;
  uint64_t rate_numerator = 0;    // > 0
  uint64_t rate_denominator = 0;  // > 0
  SeqNo record_seq = 0;           // not after this command's own sequence number
};

// Pays the next holders of the open round, in account order, at most kDistributionChunk of them;
// the command that pays the last completes the round. Signed by the estate's claims agent.
struct PayDistribution {
  uint16_t estate = 0;
  uint32_t round = 0;
};

// Moves `account`'s escrowed payouts in `asset` from `estate`'s rounds to the account, once its KYC
// attestation is valid and names a jurisdiction the estate does not bar. Signed by the account.
struct ReleaseEscrow {
  AccountId account = 0;
  uint16_t estate = 0;
  AssetId asset = 0;
};

}  // namespace glassbook::engine
