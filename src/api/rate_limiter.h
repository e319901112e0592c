// Token buckets keyed by a string (an IP or an API key): `burst` tokens at most, refilled at `per_second`.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace glassbook::api {

struct RateLimit {
  double per_second = 50;
  double burst = 100;
};

class RateLimiter {
 public:
  // per_second and burst must be positive. At most max_keys buckets exist at once.
  RateLimiter(RateLimit limit, size_t max_keys = 100'000);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes `cost` tokens from key's bucket at time `now_us` (µs, caller's clock). Returns 0 when allowed, else the
  // µs to wait before retrying. Thread-safe (sharded mutexes). When max_keys buckets exist, the fullest idle ones
  // are evicted. A new key starts with a full bucket; a cost above `burst` costs the whole burst; a clock that
  // goes back refills nothing.
  uint64_t acquire(std::string_view key, double cost, uint64_t now_us);

 private:
  struct Bucket {
    double tokens;
    uint64_t updated_us;
  };
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, Bucket, StringHash, std::equal_to<>> buckets;
  };

  void refill(Bucket& bucket, uint64_t now_us) const;
  void evict(Shard& shard, uint64_t now_us) const;

  const RateLimit limit_;
  const size_t shard_count_;
  const size_t keys_per_shard_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace glassbook::api
