// The book's building blocks against simple references: hierarchical level
// bitmap, id hash map, order pool, lazily paged price ladder.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <unordered_map>

#include "book/index_map.h"
#include "book/level_bitmap.h"
#include "book/order_pool.h"
#include "book/price_ladder.h"

namespace glassbook::book {
namespace {

int64_t ref_next(const std::set<int64_t>& s, int64_t i) {
  auto it = s.lower_bound(i);
  return it == s.end() ? LevelBitmap::kNone : *it;
}
int64_t ref_prev(const std::set<int64_t>& s, int64_t i) {
  auto it = s.upper_bound(i);
  return it == s.begin() ? LevelBitmap::kNone : *std::prev(it);
}

class BitmapTest : public ::testing::TestWithParam<int64_t> {};

TEST_P(BitmapTest, MatchesAnOrderedSet) {
  const int64_t max_bit = GetParam();
  LevelBitmap bm(max_bit);
  std::set<int64_t> ref;
  std::mt19937_64 rng(max_bit);
  // Cluster positions so words fill up and empty again, plus far outliers.
  auto position = [&]() -> int64_t {
    if (rng() % 4 == 0) return static_cast<int64_t>(rng() % static_cast<uint64_t>(max_bit + 1));
    int64_t centre = max_bit / 2;
    int64_t p = centre + static_cast<int64_t>(rng() % 300) - 150;
    return std::clamp<int64_t>(p, 0, max_bit);
  };
  for (int step = 0; step < 20000; ++step) {
    int64_t p = position();
    if (rng() % 2) {
      if (!ref.count(p)) {
        bm.set(p);
        ref.insert(p);
      }
    } else if (ref.count(p)) {
      bm.clear(p);
      ref.erase(p);
    }
    int64_t q = position();
    ASSERT_EQ(bm.test(q), ref.count(q) == 1);
    ASSERT_EQ(bm.find_next(q), ref_next(ref, q)) << "q=" << q;
    ASSERT_EQ(bm.find_prev(q), ref_prev(ref, q)) << "q=" << q;
  }
  EXPECT_EQ(bm.find_next(max_bit + 1), LevelBitmap::kNone);
  EXPECT_EQ(bm.find_prev(-1), LevelBitmap::kNone);
  EXPECT_EQ(bm.find_next(-5), ref_next(ref, 0));
  EXPECT_EQ(bm.find_prev(max_bit + 100), ref_prev(ref, max_bit));
}

INSTANTIATE_TEST_SUITE_P(Sizes, BitmapTest, ::testing::Values(1, 63, 64, 100, 4095, 4096, 12289, 1 << 20, 1 << 26));

TEST(Bitmap, ExtremesOfTheRange) {
  LevelBitmap bm(kMaxPriceTicks);
  bm.set(kMaxPriceTicks);
  bm.set(1);
  EXPECT_EQ(bm.find_next(2), kMaxPriceTicks);
  EXPECT_EQ(bm.find_prev(kMaxPriceTicks - 1), 1);
  bm.clear(1);
  EXPECT_EQ(bm.find_prev(kMaxPriceTicks - 1), LevelBitmap::kNone);
  bm.clear(kMaxPriceTicks);
  EXPECT_EQ(bm.find_next(0), LevelBitmap::kNone);
}

TEST(IndexMap, MatchesUnorderedMapThroughGrowthAndDeletes) {
  IndexMap<uint64_t> m(16);
  std::unordered_map<uint64_t, uint32_t> ref;
  std::mt19937_64 rng(7);
  for (int step = 0; step < 200000; ++step) {
    // Mixed key shapes: dense sequential, strided (same low bits) and random.
    uint64_t k;
    switch (rng() % 3) {
      case 0: k = rng() % 5000; break;
      case 1: k = (rng() % 5000) << 32; break;
      default: k = rng() % 1000000007ull * 0x10001; break;
    }
    auto it = ref.find(k);
    if (it == ref.end()) {
      if (rng() % 3) {
        uint32_t v = static_cast<uint32_t>(rng() % 1000000);
        m.insert(k, v);
        ref[k] = v;
      }
    } else if (rng() % 2) {
      ASSERT_TRUE(m.erase(k));
      ref.erase(it);
    } else {
      uint32_t v = static_cast<uint32_t>(rng() % 1000000);
      m.update(k, v);
      it->second = v;
    }
    ASSERT_EQ(m.size(), ref.size());
    uint64_t probe = rng() % 5000;
    auto r = ref.find(probe);
    ASSERT_EQ(m.find(probe), r == ref.end() ? IndexMap<uint64_t>::kEmpty : r->second);
  }
  for (const auto& [k, v] : ref) ASSERT_EQ(m.find(k), v);
  EXPECT_FALSE(m.erase(0xDEADBEEFDEADBEEFull));
  EXPECT_LE(m.size() * 2, m.capacity());
}

TEST(IndexMap, ReserveAvoidsGrowth) {
  IndexMap<uint32_t> m(16);
  m.reserve(1000);
  const size_t cap = m.capacity();
  for (uint32_t k = 0; k < 1000; ++k) m.insert(k, k);
  EXPECT_EQ(m.capacity(), cap);
}

TEST(OrderPool, ReusesFreedSlotsAndReportsFull) {
  OrderPool p(3);
  uint32_t a = p.allocate(), b = p.allocate(), c = p.allocate();
  EXPECT_TRUE(p.full());
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  p.release(b);
  EXPECT_FALSE(p.full());
  EXPECT_EQ(p.allocate(), b);
  EXPECT_EQ(p.used(), 3u);
}

TEST(PriceLadder, AllocatesPagesLazily) {
  PriceLadder l(kMaxPriceTicks);
  EXPECT_EQ(l.pages_allocated(), 0u);
  EXPECT_EQ(l.find(5), nullptr);
  l.at(5).qty = 3;
  l.at(6).qty = 4;
  EXPECT_EQ(l.pages_allocated(), 1u);
  l.at(kMaxPriceTicks).qty = 1;
  EXPECT_EQ(l.pages_allocated(), 2u);
  ASSERT_NE(l.find(5), nullptr);
  EXPECT_EQ(l.find(5)->qty, 3);
  EXPECT_EQ(l.find(7)->count, 0u);
  EXPECT_EQ(l.find(0), nullptr);
  EXPECT_EQ(l.find(kMaxPriceTicks + 1), nullptr);
}

}  // namespace
}  // namespace glassbook::book
