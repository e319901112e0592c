// The replicas' positions the health endpoint shows (api/replica_positions.h): names checked, the
// newest position per name, the lag in records, bounded by evicting the one seen longest ago.
#include <gtest/gtest.h>

#include "api/replica_positions.h"

namespace glassbook::api {
namespace {

TEST(ReplicaPositions, ShowsEachReplicasNewestPositionAndLag) {
  ReplicaPositions r;
  EXPECT_EQ(r.json(0), "");  // none seen: the health answer stays as it was
  r.seen("b", 10, 15, 1'000);
  r.seen("a", 3, 15, 1'200);
  r.seen("b", 15, 15, 1'500);
  EXPECT_EQ(r.json(2'000), R"([{"name":"a","position":3,"lag":12,"lastSeenMs":800},{"name":"b","position":15,"lag":0,"lastSeenMs":500}])");
}

TEST(ReplicaPositions, NamesAreShortAndPlain) {
  EXPECT_TRUE(ReplicaPositions::valid_name("replica-1.eu_west"));
  EXPECT_FALSE(ReplicaPositions::valid_name(""));
  EXPECT_FALSE(ReplicaPositions::valid_name(std::string(65, 'a')));
  EXPECT_FALSE(ReplicaPositions::valid_name("a\"b"));
  EXPECT_FALSE(ReplicaPositions::valid_name("a/b"));
}

TEST(ReplicaPositions, TheReplicaSeenLongestAgoMakesRoom) {
  ReplicaPositions r;
  for (size_t i = 0; i < ReplicaPositions::kMaxReplicas; ++i) r.seen("r" + std::to_string(i), i, 100, 1'000 + static_cast<int64_t>(i));
  r.seen("new", 1, 100, 5'000);
  const std::string json = r.json(5'000);
  EXPECT_EQ(json.find(R"("name":"r0")"), std::string::npos);
  EXPECT_NE(json.find(R"("name":"r1")"), std::string::npos);
  EXPECT_NE(json.find(R"("name":"new")"), std::string::npos);
}

}  // namespace
}  // namespace glassbook::api
