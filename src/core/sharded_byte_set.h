// A hash set of uniformly random fixed-size byte strings (digests, signatures), split into shards so that it never pauses to rehash all of it.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <unordered_set>

namespace glassbook {

// A std::unordered_set rehashes every element at once when it grows past its bucket count: at a
// few hundred thousand entries that is a pause of tens of milliseconds for whoever inserts (the
// engine thread, a gateway thread under a lock). Here the keys are spread over kShards sets by one
// byte and hashed by eight others, so a growing set rehashes one shard (1/256 of it) at a time,
// and the shards, filling evenly, do so at different insertions.
//
// Keys must have uniformly random bytes 0..8 (SHA-256 outputs; Ed25519 signatures, whose first 32
// bytes encode a random point R; not their last bytes, a scalar below 2^253): bytes 0..7 are the
// hash, byte 8 picks the shard. Not thread-safe, like the standard containers.
template <size_t N>
class ShardedByteSet {
  static_assert(N >= 9, "a shard byte and eight hash bytes");

 public:
  using Key = std::array<uint8_t, N>;
  static constexpr size_t kShards = 256;

  bool contains(const Key& k) const { return shard(k).contains(k); }
  bool insert(const Key& k) {  // true when `k` was not there
    const bool added = shard(k).insert(k).second;
    size_ += added ? 1 : 0;
    return added;
  }
  bool erase(const Key& k) {  // true when `k` was there
    const bool removed = shard(k).erase(k) > 0;
    size_ -= removed ? 1 : 0;
    return removed;
  }
  void clear() {
    for (auto& s : shards_) s.clear();
    size_ = 0;
  }
  // Room for `n` keys in all without a rehash (spread evenly, with a margin for the unevenness).
  void reserve(size_t n) {
    for (auto& s : shards_) s.reserve(n / kShards + n / (kShards * 8) + 1);
  }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct Hash {
    size_t operator()(const Key& k) const {
      size_t h;
      std::memcpy(&h, k.data(), sizeof h);
      return h;
    }
  };
  using Shard = std::unordered_set<Key, Hash>;
  static constexpr size_t kShardByte = 8;  // the byte after the hash's
  Shard& shard(const Key& k) { return shards_[k[kShardByte]]; }
  const Shard& shard(const Key& k) const { return shards_[k[kShardByte]]; }

  std::array<Shard, kShards> shards_;
  size_t size_ = 0;
};

}  // namespace glassbook
