// The transfer-of-claim record: one fill in a claim market as an estate's claims agent consumes it,
// read off the engine's ClaimTransferred event and the journaled command that caused it.
#pragma once
#include <cstdint>

#include "core/assert.h"
#include "core/ids.h"
#include "engine/command.h"
#include "engine/event.h"

namespace glassbook::engine {

struct ClaimTransfer {
  SeqNo seq = 0;            // the journaled command whose matching made the fill
  Timestamp timestamp = 0;  // its sequencer time (µs)
  uint64_t trade_id = 0;    // the market's trade number (the API's tradeId)
  uint16_t estate = 0;
  MarketId market = 0;
  AccountId seller = 0;
  AccountId buyer = 0;
  int64_t units = 0;         // claim-asset units transferred
  int64_t price = 0;         // quote units per whole claim unit
  int64_t quote_amount = 0;  // quote units the buyer paid the seller (a claim market charges no fee)
  book::Side taker_side = book::Side::Buy;

  bool operator==(const ClaimTransfer&) const = default;
};

// Precondition: `e` is a ClaimTransferred event of command `c`.
inline ClaimTransfer claim_transfer_of(const Command& c, const Event& e) {
  GB_ASSERT(e.kind == EventKind::ClaimTransferred);
  return ClaimTransfer{c.seq,         c.timestamp, e.order_id, static_cast<uint16_t>(e.client_id), e.market, e.maker_account, e.account,
                       e.quantity,    e.price,     e.remaining, e.side};
}

}  // namespace glassbook::engine
