// Calendar arithmetic and K-line buckets: ISO texts, civil dates, Monday weeks and calendar months.
#include <gtest/gtest.h>

#include "api/iso_time.h"
#include "api/kline_interval.h"

namespace glassbook::api {
namespace {

TEST(IsoTime, CivilDatesRoundTrip) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11'017);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  for (int64_t d = -800'000; d <= 800'000; d += 997) {
    const CivilDate c = civil_from_days(d);
    EXPECT_EQ(days_from_civil(c), d);
  }
  const CivilDate leap = civil_from_days(days_from_civil({2024, 2, 29}));
  EXPECT_EQ(leap.month, 2);
  EXPECT_EQ(leap.day, 29);
}

TEST(IsoTime, Texts) {
  const Timestamp t = 1'753'624'283'415'123;  // 2025-07-27T13:51:23.415123Z
  EXPECT_EQ(iso_millis(t), "2025-07-27T13:51:23.415");
  EXPECT_EQ(iso_seconds(t / 1'000'000), "2025-07-27T13:51:23");
  EXPECT_EQ(spaced_seconds(t / 1'000'000), "2025-07-27 13:51:23");
  EXPECT_EQ(iso_millis(0), "1970-01-01T00:00:00.000");
}

TEST(KlineInterval, NamesAndBuckets) {
  for (KlineInterval i : kKlineIntervals) EXPECT_EQ(parse_kline_interval(kline_interval_name(i)), i);
  EXPECT_FALSE(parse_kline_interval("2m").has_value());
  EXPECT_FALSE(parse_kline_interval("").has_value());
  const int64_t wed = days_from_civil({2024, 1, 3}) * 86'400 + 3'723;  // Wed 2024-01-03 01:02:03
  EXPECT_EQ(kline_bucket(KlineInterval::M1, wed).start, wed - 3);
  EXPECT_EQ(kline_bucket(KlineInterval::M15, wed).start, wed - 3 - 2 * 60);
  EXPECT_EQ(kline_bucket(KlineInterval::H4, wed).start, wed - 3'723);
  const KlineBucket week = kline_bucket(KlineInterval::W1, wed);
  EXPECT_EQ(week.start, days_from_civil({2024, 1, 1}) * 86'400);  // Monday
  EXPECT_EQ(week.end - week.start, 7 * 86'400);
  const KlineBucket feb = kline_bucket(KlineInterval::Month1, days_from_civil({2024, 2, 29}) * 86'400 + 5);
  EXPECT_EQ(feb.start, days_from_civil({2024, 2, 1}) * 86'400);
  EXPECT_EQ(feb.end, days_from_civil({2024, 3, 1}) * 86'400);
  const KlineBucket dec = kline_bucket(KlineInterval::Month1, days_from_civil({2023, 12, 31}) * 86'400);
  EXPECT_EQ(dec.end, days_from_civil({2024, 1, 1}) * 86'400);
}

}  // namespace
}  // namespace glassbook::api
