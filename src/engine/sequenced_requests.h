// The signed requests the engine sequenced whose time window is still open: a second copy of one is refused.
#pragma once
#include <cstddef>
#include <map>
#include <mutex>
#include <set>
#include <string_view>
#include <utility>

#include "core/byte_io.h"
#include "core/ids.h"
#include "core/sharded_byte_set.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace glassbook::engine {

// A request is known by the digest of its signer and its exact signed text (which holds its
// timestamp and window): a client that sends the same order twice signs two texts, a replay repeats
// one. A request is forgotten once its window has closed, when a replay is refused as expired
// anyway, so the set holds at most the request rate times the longest window (plus the lead a
// request's timestamp may have over the sequencer's clock).
class SequencedRequests {
 public:
  static crypto::Digest digest(const crypto::PublicKey& signer, std::string_view text);

  bool contains(const crypto::Digest& d) const { return digests_.contains(d); }
  // Remembers `d` until `closes` (µs), and forgets every request whose window closed before `now`.
  void add(const crypto::Digest& d, Timestamp closes, Timestamp now);
  size_t size() const { return digests_.size(); }
  bool empty() const { return digests_.empty(); }

  // Canonical bytes for snapshots: u32 n, then n x (i64 closes, 32-byte digest) in increasing
  // (closes, digest) order.
  void write(ByteWriter& w) const;
  // Strict: the order above, no digest twice, every window closing after `earliest` and no later
  // than `latest` (both µs).
  Status read(ByteReader& r, Timestamp earliest, Timestamp latest);

  // The set's commitment for the state root, over the requests grouped by when their windows close:
  // SHA-256 over the seconds, each as its second, its size and the SHA-256 of its 10 ms buckets,
  // each bucket as its index, its size and the SHA-256 of its entries as written above. A function
  // of the set alone. Why two levels: a state root is taken every thousand commands while the set
  // holds a minute or two of requests, thousands per second at full load; only the buckets changed
  // since the last call (where new windows close, and the ones being forgotten) and their seconds
  // are hashed again, a few milliseconds of requests rather than whole seconds of them, which
  // would hold the engine thread for milliseconds.
  crypto::Digest root() const;

 private:
  using Entry = std::pair<Timestamp, crypto::Digest>;  // (window close in µs, digest)
  struct Bucket {  // the requests whose windows close within the same 10 ms
    std::set<Entry> entries;
    mutable crypto::Digest hash{};  // of `entries`, valid unless `dirty`
    mutable bool dirty = true;
  };
  struct Second {  // the buckets of one second
    std::map<int64_t, Bucket> buckets;  // by bucket index (closes / 10 ms)
    size_t size = 0;                    // entries in all of them
    mutable crypto::Digest hash{};      // of the buckets, valid unless `dirty`
    mutable bool dirty = true;
  };
  void insert(const Entry& e);

  std::map<int64_t, Second> seconds_;  // by the second in which the windows close
  ShardedByteSet<32> digests_;  // SHA-256 outputs; never a whole-set rehash on the engine thread
  mutable std::mutex root_mu_;  // root() refreshes bucket hashes; readers of one engine may call it together
};

}  // namespace glassbook::engine
