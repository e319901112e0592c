// SequencedRequests: forgetting closed windows, the canonical bytes, and a commitment that depends on the set alone.
#include "engine/sequenced_requests.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

namespace glassbook::engine {
namespace {

crypto::Digest d(uint32_t i) { return crypto::sha256("request " + std::to_string(i)); }

// A fresh set with the same contents, through the snapshot bytes.
std::unique_ptr<SequencedRequests> copy_of(const SequencedRequests& s) {
  std::string bytes;
  ByteWriter w(bytes);
  s.write(w);
  auto out = std::make_unique<SequencedRequests>();
  ByteReader r(bytes, "requests");
  EXPECT_TRUE(out->read(r, 0, INT64_MAX).is_ok());
  return out;
}

TEST(SequencedRequests, ForgetsWindowsClosedBeforeNow) {
  SequencedRequests s;
  s.add(d(1), 5'000'000, 0);
  s.add(d(2), 9'000'000, 1);
  s.add(d(3), 5'500'000, 2);
  EXPECT_EQ(s.size(), 3u);
  s.add(d(4), 12'000'000, 5'600'000);  // 5.0 s and 5.5 s have closed
  EXPECT_EQ(s.size(), 2u);
  EXPECT_FALSE(s.contains(d(1)));
  EXPECT_FALSE(s.contains(d(3)));
  EXPECT_TRUE(s.contains(d(2)));
  EXPECT_TRUE(s.contains(d(4)));
}

TEST(SequencedRequests, TheRootIsAFunctionOfTheSetAlone) {
  std::mt19937_64 rng(7);
  SequencedRequests live;
  Timestamp now = 0;
  for (uint32_t i = 0; i < 3000; ++i) {
    now += 1000 + static_cast<Timestamp>(rng() % 2000);
    live.add(d(i), now + 1'000 + static_cast<Timestamp>(rng() % 5'000'000), now);
    // Roots taken along the way (cached bucket hashes) equal those of a fresh copy (none cached).
    if (i % 97 == 0) {
      const auto fresh = copy_of(live);
      ASSERT_EQ(fresh->size(), live.size());
      ASSERT_EQ(live.root(), fresh->root()) << "after " << i;
    }
  }
  EXPECT_GT(live.size(), 1000u);
  EXPECT_LT(live.size(), 3000u) << "closed windows were forgotten";
  const crypto::Digest before = live.root();
  // One more request changes it; the same set reached through another history does not.
  const auto other = copy_of(live);
  live.add(d(100'000), now + 4'000'000, now);
  EXPECT_NE(live.root(), before);
  other->add(d(100'000), now + 4'000'000, now);
  EXPECT_EQ(other->root(), live.root());
  EXPECT_EQ(SequencedRequests().root(), SequencedRequests().root());
  EXPECT_NE(SequencedRequests().root(), before);
}

}  // namespace
}  // namespace glassbook::engine
