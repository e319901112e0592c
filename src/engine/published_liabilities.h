// The liabilities roots the exchange has published (PublishLiabilitiesRoot): the newest one and how
// many there were. Part of the state (snapshot and state root, once one is published).
#pragma once
#include <cstdint>
#include <optional>

#include "core/byte_io.h"
#include "core/result.h"
#include "engine/config.h"
#include "engine/liabilities_commands.h"

namespace glassbook::engine {

// Only the newest root is state: one root a minute would make a list grow by about 500,000 entries
// a year, and every older root is in the journal (the API keeps the recent ones in memory; older
// proofs are rebuilt by `glassbook proof build --at-seq`). The count numbers the roots.
class PublishedLiabilities {
 public:
  // Why `p`, signed by `signer` and sequenced at `seq`, cannot be published under `config`; Ok when
  // it can. Refused: no proof key named, another signer, a checkpoint at or after `seq` (the root
  // must describe a past state), one not after the newest published root's, a sums list not one per
  // asset, a depth outside 1..32, a time after `now` or not after the newest root's.
  Status check(const ExchangeConfig& config, const crypto::PublicKey& signer, SeqNo seq, Timestamp now,
               const PublishLiabilitiesRoot& p) const;
  void add(const PublishLiabilitiesRoot& p);

  bool empty() const { return count_ == 0; }
  uint64_t count() const { return count_; }
  const std::optional<PublishLiabilitiesRoot>& newest() const { return newest_; }

  // Canonical bytes (snapshot and state root): u64 count, then the newest root's fields when count > 0.
  void write(ByteWriter& w) const;
  Status read(ByteReader& r, const ExchangeConfig& config);

 private:
  uint64_t count_ = 0;
  std::optional<PublishLiabilitiesRoot> newest_;
};

}  // namespace glassbook::engine
