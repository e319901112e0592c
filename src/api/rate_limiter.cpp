// Sharded token buckets with bounded memory: when a shard is full, the buckets that lose least are evicted.
#include "api/rate_limiter.h"

#include <algorithm>
#include "core/assert.h"
#include <cmath>
#include <utility>
#include <vector>

namespace glassbook::api {

namespace {

constexpr size_t kMaxShards = 16;
constexpr size_t kKeysPerShardMin = 1024;  // fewer keys than this per shard: fewer shards, so the limit is exact
constexpr size_t kEvictFraction = 16;      // a full shard evicts 1/16 of itself at once: amortized O(1) per key

size_t shard_count_for(size_t max_keys) {
  return std::clamp<size_t>(max_keys / kKeysPerShardMin, 1, kMaxShards);
}

}  // namespace

RateLimiter::RateLimiter(RateLimit limit, size_t max_keys)
    : limit_(limit),
      shard_count_(shard_count_for(max_keys)),
      keys_per_shard_(std::max<size_t>(max_keys / shard_count_, 1)),
      shards_(std::make_unique<Shard[]>(shard_count_)) {
  GB_ASSERT(limit.per_second > 0 && limit.burst > 0);
}

RateLimiter::~RateLimiter() = default;

void RateLimiter::refill(Bucket& bucket, uint64_t now_us) const {
  if (now_us <= bucket.updated_us) return;
  const double earned = static_cast<double>(now_us - bucket.updated_us) * limit_.per_second / 1e6;
  bucket.tokens = std::min(limit_.burst, bucket.tokens + earned);
  bucket.updated_us = now_us;
}

uint64_t RateLimiter::acquire(std::string_view key, double cost, uint64_t now_us) {
  if (!(limit_.per_second > 0) || !(limit_.burst > 0)) return 0;  // a disabled limit allows everything
  cost = std::clamp(cost, 0.0, limit_.burst);
  Shard& shard = shards_[std::hash<std::string_view>{}(key) % shard_count_];
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(key);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= keys_per_shard_) evict(shard, now_us);
    it = shard.buckets.emplace(std::string(key), Bucket{limit_.burst, now_us}).first;
  }
  Bucket& bucket = it->second;
  refill(bucket, now_us);
  if (bucket.tokens >= cost) {
    bucket.tokens -= cost;
    return 0;
  }
  const double wait_us = std::ceil((cost - bucket.tokens) * 1e6 / limit_.per_second);
  return std::max<uint64_t>(1, static_cast<uint64_t>(wait_us));
}

// Buckets that have refilled to `burst` are the same as absent ones and go first; if that frees too little,
// the fullest of the rest follow (they lose least of their limiting by starting over full).
void RateLimiter::evict(Shard& shard, uint64_t now_us) const {
  const size_t target = std::max<size_t>(1, keys_per_shard_ / kEvictFraction);
  std::vector<std::pair<double, decltype(shard.buckets)::iterator>> rest;
  size_t evicted = 0;
  for (auto it = shard.buckets.begin(); it != shard.buckets.end();) {
    refill(it->second, now_us);
    if (it->second.tokens >= limit_.burst) {
      it = shard.buckets.erase(it);
      ++evicted;
    } else {
      rest.emplace_back(it->second.tokens, it);
      ++it;
    }
  }
  if (evicted >= target) return;
  const size_t more = std::min(target - evicted, rest.size());
  std::nth_element(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(more), rest.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t i = 0; i < more; ++i) shard.buckets.erase(rest[i].second);
}

}  // namespace glassbook::api
