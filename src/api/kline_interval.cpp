// K-line intervals: names and UTC buckets.
#include "api/kline_interval.h"

#include "api/iso_time.h"

namespace glassbook::api {

namespace {
struct IntervalInfo {
  std::string_view name;
  int64_t seconds;  // 0 for calendar months
};

constexpr int64_t kMin = 60, kHour = 3600, kDay = 86'400;
constexpr IntervalInfo kInfo[] = {
    {"1m", kMin},       {"3m", 3 * kMin},   {"5m", 5 * kMin},   {"15m", 15 * kMin}, {"30m", 30 * kMin},
    {"1h", kHour},      {"2h", 2 * kHour},  {"4h", 4 * kHour},  {"6h", 6 * kHour},  {"8h", 8 * kHour},
    {"12h", 12 * kHour}, {"1d", kDay},      {"3d", 3 * kDay},   {"1w", 7 * kDay},   {"1month", 0}};
constexpr int64_t kMondayOffset = 4 * kDay;  // 1970-01-01 was a Thursday; 1970-01-05 a Monday

const IntervalInfo& info(KlineInterval i) { return kInfo[static_cast<size_t>(i)]; }
}  // namespace

std::optional<KlineInterval> parse_kline_interval(std::string_view text) {
  for (KlineInterval i : kKlineIntervals)
    if (info(i).name == text) return i;
  return std::nullopt;
}

std::string_view kline_interval_name(KlineInterval interval) { return info(interval).name; }

KlineBucket kline_bucket(KlineInterval interval, int64_t seconds) {
  if (interval == KlineInterval::Month1) return {month_start(seconds), next_month_start(seconds)};
  const int64_t len = info(interval).seconds;
  const int64_t offset = interval == KlineInterval::W1 ? kMondayOffset : 0;
  const int64_t start = floor_div(seconds - offset, len) * len + offset;
  return {start, start + len};
}

}  // namespace glassbook::api
