// Refuses a signed request seen before: each signature is remembered until its time window closes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <queue>
#include <utility>

#include "core/result.h"
#include "core/sharded_byte_set.h"
#include "crypto/ed25519.h"

namespace glassbook::api {

// A replayed state-changing request (the same signature again, inside its window) must not act
// twice. Outside its window the request is refused as expired anyway, so a signature is forgotten
// once its window has closed: memory is bounded by the request rate times the longest window, and
// by `max_entries` on top (beyond it new requests are refused as Overloaded, never let through).
class ReplayGuard {
 public:
  explicit ReplayGuard(size_t max_entries = size_t{1} << 21) : max_entries_(max_entries) {}

  // OK the first time a signature is presented; Error::InvalidArgument ("duplicate request") when it
  // is remembered; Error::Overloaded when full. `expires_ms` is the end of its window. Thread-safe:
  // of two concurrent copies of one request exactly one is OK.
  Status first_use(const crypto::Signature& signature, int64_t expires_ms, int64_t now_ms);
  // Forgets a signature first_use accepted, for a request that went no further (refused by the rate
  // limit, by validation or by a full sequencer): the client may send it again. Thread-safe.
  void release(const crypto::Signature& signature);
  size_t size() const;

 private:
  void forget_expired(int64_t now_ms);

  const size_t max_entries_;
  mutable std::mutex mu_;
  // Neither container pauses to move all it holds as it grows (both are used under mu_, which every
  // gateway thread takes): the set rehashes a shard at a time, the heap's deque never relocates.
  ShardedByteSet<64> seen_;
  using Expiry = std::pair<int64_t, crypto::Signature>;
  std::priority_queue<Expiry, std::deque<Expiry>, std::greater<>> expiries_;
};

}  // namespace glassbook::api
