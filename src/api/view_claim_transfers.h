// The exchange view's transfer-of-claim records (every fill in a claim market), for the claims
// agent's GET /api/v1/glassbook/claims/transfers and the CLI's `glassbook claims transfers`.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include "api/json_writer.h"
#include "core/result.h"
#include "engine/claim_transfers.h"
#include "engine/config.h"

namespace glassbook::api {

// One record as JSON: seq, timestamp (µs), tradeId, estate, estateName, market, seller, buyer (account
// ids), units, price, quoteAmount (decimal strings in the claim and quote assets' decimals),
// claimAsset, quoteAsset, takerSide (Bid/Ask).
void write_claim_transfer(JsonWriter& w, const engine::ExchangeConfig& config, const engine::ClaimTransfer& t);

// The newest `capacity` records in seq order (a limit on everything: 200,000 records of about 80
// bytes are 16 MB); older ones leave first and the answer says from which seq it is complete.
class ViewClaimTransfers {
 public:
  static constexpr size_t kDefaultCapacity = 200'000;
  static constexpr size_t kMaxLimit = 10'000;
  explicit ViewClaimTransfers(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  void add(const engine::ClaimTransfer& t);
  // {"estate", "from", "complete", "next", "transfers": [...]}: the estate's records from seq `from`
  // on, at least `limit` of them unless fewer exist, never splitting one command's records; `next`
  // is the seq to ask from for more (null when there are none yet); `complete` is false when records
  // at or after `from` have already left the bounded list (replay the journal with the CLI for them).
  // Error::InvalidArgument for an unknown estate or a limit outside 1..kMaxLimit.
  Result<std::string> json(const engine::ExchangeConfig& config, uint64_t estate, SeqNo from, size_t limit) const;

 private:
  size_t capacity_;
  std::deque<engine::ClaimTransfer> records_;  // seq order
  SeqNo dropped_through_ = 0;                  // the newest seq of a record that left (0: none)
  bool dropped_ = false;
};

}  // namespace glassbook::api
