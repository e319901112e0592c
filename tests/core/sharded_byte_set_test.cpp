// ShardedByteSet: against a std::set over random operations, keys crafted to land in one shard or
// to share their hash bytes, and the bucket growth that stays within one shard.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "core/sharded_byte_set.h"

namespace glassbook {
namespace {

using Key = std::array<uint8_t, 32>;

Key random_key(std::mt19937_64& rng, size_t pool) {
  Key k{};
  uint64_t v = rng() % pool;  // a small pool, so that inserts repeat and erases find keys
  std::mt19937_64 expand(v);
  for (size_t i = 0; i < k.size(); i += 8) {
    const uint64_t w = expand();
    std::memcpy(k.data() + i, &w, 8);
  }
  return k;
}

TEST(ShardedByteSet, MatchesASetOverRandomOperations) {
  std::mt19937_64 rng(11);
  ShardedByteSet<32> set;
  std::set<Key> model;
  for (int i = 0; i < 300'000; ++i) {
    const Key k = random_key(rng, i < 150'000 ? 2'000 : 100'000);
    switch (rng() % 4) {
      case 0:
        ASSERT_EQ(set.contains(k), model.contains(k));
        break;
      case 1:
        ASSERT_EQ(set.erase(k), model.erase(k) == 1);
        break;
      default:
        ASSERT_EQ(set.insert(k), model.insert(k).second);
    }
    ASSERT_EQ(set.size(), model.size());
    ASSERT_EQ(set.empty(), model.empty());
  }
  for (const Key& k : model) ASSERT_TRUE(set.contains(k));
  set.clear();
  EXPECT_TRUE(set.empty());
  for (const Key& k : model) ASSERT_FALSE(set.contains(k));
}

TEST(ShardedByteSet, KeysThatDifferOnlyInTheShardByteOrOnlyInTheHashBytesAreDistinct) {
  ShardedByteSet<64> set;
  std::array<uint8_t, 64> a{};
  for (int shard = 0; shard < 256; ++shard) {
    a[8] = static_cast<uint8_t>(shard);
    ASSERT_TRUE(set.insert(a));  // same hash bytes, 256 shards
  }
  a[8] = 7;
  for (int b = 1; b < 200; ++b) {
    a[0] = static_cast<uint8_t>(b);
    ASSERT_TRUE(set.insert(a));  // one shard, different hashes
    a[20] = static_cast<uint8_t>(b);
    ASSERT_TRUE(set.insert(a));  // one shard, one hash: only a middle byte differs
    a[20] = 0;
  }
  EXPECT_EQ(set.size(), 256u + 2 * 199u);
  a.fill(0);
  a[8] = 7;
  EXPECT_FALSE(set.insert(a));
  EXPECT_TRUE(set.erase(a));
  EXPECT_FALSE(set.contains(a));
  EXPECT_FALSE(set.erase(a));
  EXPECT_EQ(set.size(), 256u + 2 * 199u - 1);
}

TEST(ShardedByteSet, ReserveKeepsEveryKey) {
  std::mt19937_64 rng(3);
  ShardedByteSet<32> set;
  std::vector<Key> keys;
  for (int i = 0; i < 5'000; ++i) {
    keys.push_back(random_key(rng, uint64_t{1} << 40));
    set.insert(keys.back());
  }
  set.reserve(100'000);
  EXPECT_EQ(set.size(), 5'000u);
  for (const Key& k : keys) ASSERT_TRUE(set.contains(k));
}

}  // namespace
}  // namespace glassbook
