// Deposits waiting for more chain-watcher attestations: part of the state (snapshot and state root).
#pragma once
#include <cstddef>
#include <map>
#include <vector>

#include "core/byte_io.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "engine/command.h"
#include "engine/config.h"

namespace glassbook::engine {

struct PendingDeposit {
  Deposit deposit;
  std::vector<crypto::PublicKey> attesters;  // distinct chain watchers, in the order they attested
};

// The deposits attested by fewer chain watchers than they need, by deposit id. Every attestation of
// one id must name the same account, asset and amount: a watcher that saw something else on chain
// is refused, never counted.
class PendingDeposits {
 public:
  // Bounded like every queue: a watcher that attests ids no other watcher confirms cannot grow it
  // without limit. 4,096 deposits outstanding at once is far beyond what confirmations keep waiting.
  static constexpr size_t kMaxPending = 4096;

  // Counts `watcher`'s attestation of `d`; returns the attestations now counted. Refuses a second
  // attestation by the same watcher (DuplicateDeposit), one that differs from the first
  // (InvalidArgument) and a new id when kMaxPending are waiting (Overloaded). Changes nothing when refused.
  Result<size_t> attest(const Deposit& d, const crypto::PublicKey& watcher);
  // What attest() would answer, changing nothing.
  Result<size_t> count_with(const Deposit& d, const crypto::PublicKey& watcher) const;
  void erase(uint64_t deposit_id) { pending_.erase(deposit_id); }
  // After a configuration change: attestations by keys no longer in `watchers` no longer count.
  void keep_attesters_in(const RolePolicy& watchers);

  const std::map<uint64_t, PendingDeposit>& all() const { return pending_; }
  bool empty() const { return pending_.empty(); }

  // Canonical bytes (snapshot and state root): u32 n, then by increasing id: the deposit's fields
  // and its attesters.
  void write(ByteWriter& w) const;
  // Strict: ids increasing, at least one attester, every attester a current watcher and none
  // twice, positive amounts. (A lowered threshold may leave a deposit pending with as many
  // attesters as it now needs: the next attestation credits it.)
  Status read(ByteReader& r, const RolePolicy& watchers);

 private:
  std::map<uint64_t, PendingDeposit> pending_;
};

}  // namespace glassbook::engine
