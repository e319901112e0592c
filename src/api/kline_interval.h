// K-line intervals Backpack accepts ("1m" .. "1month") and the UTC buckets they cut time into.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace glassbook::api {

enum class KlineInterval : uint8_t { M1, M3, M5, M15, M30, H1, H2, H4, H6, H8, H12, D1, D3, W1, Month1 };

inline constexpr std::array<KlineInterval, 15> kKlineIntervals = {
    KlineInterval::M1,  KlineInterval::M3, KlineInterval::M5,  KlineInterval::M15, KlineInterval::M30,
    KlineInterval::H1,  KlineInterval::H2, KlineInterval::H4,  KlineInterval::H6,  KlineInterval::H8,
    KlineInterval::H12, KlineInterval::D1, KlineInterval::D3,  KlineInterval::W1,  KlineInterval::Month1};

std::optional<KlineInterval> parse_kline_interval(std::string_view text);
std::string_view kline_interval_name(KlineInterval interval);

// The bucket [start, end) in Unix seconds holding `seconds`. Fixed intervals are aligned to the epoch,
// except weeks, which start on Monday 00:00 UTC; months are calendar months.
struct KlineBucket {
  int64_t start;
  int64_t end;
};
KlineBucket kline_bucket(KlineInterval interval, int64_t seconds);

}  // namespace glassbook::api
