// The index price of an asset: the capped median of its oracle sources' fresh signed prices.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "core/ids.h"

namespace glassbook::risk {

// At most this many sources feed one index (the configuration allows at most 64 keys in a role).
inline constexpr size_t kMaxOracleSources = 64;

// One source's latest price. `value` is in quote smallest units per whole base unit (or a rate).
struct OracleSample {
  int64_t value = 0;
  Timestamp time = 0;    // when the source signed it
  bool present = false;  // the source has reported at least once
};

struct OracleRules {
  int64_t staleness_us = 0;  // a sample older than this (now - time > staleness_us) is ignored
  int32_t cap_ppm = 0;       // each fresh value is capped at the median +- this share of it
  uint32_t quorum = 1;       // fewest fresh samples that make an index (0 counts as 1)

  bool operator==(const OracleRules&) const = default;
};

// A sample is fresh at `now` when present, value > 0 (a non-positive value counts as absent) and
// now - time <= staleness_us; a sample from the future (time > now) is fresh. The age is taken in
// 128 bits, so no timestamps overflow.
//
// The index at `now`, or std::nullopt when it is frozen: fewer fresh samples than the quorum (or
// none), or more than kMaxOracleSources samples. Otherwise m = median of the fresh values (an even
// count takes the floored mean of the middle pair, as risk::median does); d = floor(m * cap_ppm / 1e6)
// (a negative cap counts as 0); each fresh value is clamped into [m - d, m + d] (the band
// [m - m*cap, m + m*cap] rounded inward); the index is the median of the clamped values, >= 1.
// 128-bit intermediates: any int64 values and caps are safe.
//
// Note: clamping is monotone and the band is symmetric about m, so the median of the clamped values
// always equals m (odd and even counts alike, with the floored even median). The cap limits what
// each source contributes but never changes the index itself.
std::optional<int64_t> aggregate_index(std::span<const OracleSample> samples, Timestamp now,
                                       const OracleRules& rules);

// How many samples are fresh at `now`, for status reporting. aggregate_index gives an
// index exactly when this is >= max(quorum, 1) and samples.size() <= kMaxOracleSources.
size_t fresh_count(std::span<const OracleSample> samples, Timestamp now, int64_t staleness_us);

}  // namespace glassbook::risk
