// Index price aggregation: freshness, quorum, the cap band about the median, the median.
#include "risk/oracle.h"

#include <algorithm>
#include <array>

#include "core/checked.h"
#include "risk/median.h"
#include "risk/units.h"

namespace glassbook::risk {

namespace {

bool is_fresh(const OracleSample& s, Timestamp now, int64_t staleness_us) {
  if (!s.present || s.value <= 0) return false;
  if (s.time > now) return true;  // signed ahead of the sequencer's clock: not stale
  const __int128 age = static_cast<__int128>(now) - s.time;  // >= 0, may exceed int64
  return age <= staleness_us;
}

}  // namespace

size_t fresh_count(std::span<const OracleSample> samples, Timestamp now, int64_t staleness_us) {
  size_t n = 0;
  for (const OracleSample& s : samples) n += is_fresh(s, now, staleness_us) ? 1 : 0;
  return n;
}

std::optional<int64_t> aggregate_index(std::span<const OracleSample> samples, Timestamp now,
                                       const OracleRules& rules) {
  if (samples.size() > kMaxOracleSources) return std::nullopt;
  std::array<int64_t, kMaxOracleSources> buf;  // no allocation: the values are copied here
  size_t n = 0;
  for (const OracleSample& s : samples)
    if (is_fresh(s, now, rules.staleness_us)) buf[n++] = s.value;
  const size_t quorum = std::max<size_t>(rules.quorum, 1);
  if (n < quorum) return std::nullopt;
  const std::span<int64_t> fresh(buf.data(), n);
  const int64_t m = median(fresh);  // fresh values are > 0, so 1 <= m

  // d = floor(m * cap / 1e6) >= 0; lower = m - d is ceil(m - m*cap), upper = m + d is floor(m + m*cap).
  // In 128 bits: m * cap < 2^94, and m + d may exceed int64.
  const int64_t cap = std::max<int32_t>(rules.cap_ppm, 0);
  const __int128 d = div_toward_zero(static_cast<__int128>(m) * cap, kPpm);
  const __int128 lower = m - d;
  const __int128 upper = m + d;
  // A clamped value lies between its own value and m, so it fits int64 and stays >= 1.
  for (int64_t& v : fresh) {
    if (v < lower) v = static_cast<int64_t>(lower);
    else if (v > upper) v = static_cast<int64_t>(upper);
  }
  return median(fresh);
}

}  // namespace glassbook::risk
