// Compact range: its root equals the full Merkle log's at every size, and it survives a round trip.
#include <gtest/gtest.h>

#include "crypto/compact_range.h"
#include "crypto/merkle.h"

namespace glassbook::crypto {
namespace {

Digest leaf(uint64_t i) {
  std::string s = "leaf " + std::to_string(i);
  return leaf_hash({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

TEST(CompactRange, EmptyRootIsTheEmptyTree) {
  CompactRange r;
  EXPECT_EQ(r.root(), empty_root());
  EXPECT_TRUE(r.peaks().empty());
}

TEST(CompactRange, RootEqualsTheFullLogAtEverySize) {
  MerkleLog log;
  CompactRange r;
  for (uint64_t i = 0; i < 300; ++i) {
    log.append_leaf_hash(leaf(i));
    r.append(leaf(i));
    ASSERT_EQ(r.size(), log.size());
    ASSERT_EQ(r.root(), log.root()) << "size " << r.size();
    ASSERT_EQ(r.peaks().size(), static_cast<size_t>(__builtin_popcountll(r.size())));
  }
}

TEST(CompactRange, ContinuesFromItsPeaks) {
  MerkleLog log;
  CompactRange r;
  for (uint64_t i = 0; i < 77; ++i) {
    log.append_leaf_hash(leaf(i));
    r.append(leaf(i));
  }
  auto copy = CompactRange::from_peaks(r.size(), r.peaks());
  ASSERT_TRUE(copy.is_ok());
  EXPECT_EQ(copy.value(), r);
  for (uint64_t i = 77; i < 200; ++i) {
    log.append_leaf_hash(leaf(i));
    copy.value().append(leaf(i));
  }
  EXPECT_EQ(copy.value().root(), log.root());
}

TEST(CompactRange, TheFullLogGivesTheRangeOfEveryPrefix) {
  MerkleLog log;
  for (uint64_t i = 0; i < 130; ++i) log.append_leaf_hash(leaf(i));
  CompactRange r;
  for (uint64_t n = 0; n <= 130; ++n) {
    auto got = log.compact_range(n);
    ASSERT_TRUE(got.is_ok());
    ASSERT_EQ(got.value(), r) << "size " << n;
    if (n < 130) r.append(leaf(n));
  }
  EXPECT_FALSE(log.compact_range(131).is_ok());
  EXPECT_EQ(log.leaf(5), leaf(5));
}

TEST(CompactRange, RefusesPeaksThatDoNotFitTheSize) {
  CompactRange r;
  for (uint64_t i = 0; i < 6; ++i) r.append(leaf(i));  // 6 = 0b110: two peaks
  EXPECT_FALSE(CompactRange::from_peaks(7, r.peaks()).is_ok());
  EXPECT_FALSE(CompactRange::from_peaks(6, {}).is_ok());
  EXPECT_TRUE(CompactRange::from_peaks(6, r.peaks()).is_ok());
}

}  // namespace
}  // namespace glassbook::crypto
