// Tiered margin by position notional: validation and the exact, rounded-up margin.
#include "risk/margin_tiers.h"

#include "core/assert.h"
#include <string>

#include "core/checked.h"
#include "risk/units.h"

namespace glassbook::risk {

namespace {

Status refuse(size_t tier, const std::string& why) {
  return Status(Error::InvalidConfig, "margin tier " + std::to_string(tier) + ": " + why);
}

// ceil( (rate_k * notional - sum_{j=1..k} max_notional_{j-1} * (rate_j - rate_{j-1})) / 1e6 ),
// k the tier containing `notional` (the last tier above it). The numerator is the exact
// 1e6-scaled margin: every term is at most 1e6 * 2^63, and there are at most 16 of them, far inside
// 128 bits. It is the bracket sum of rate_j times the slice of notional in tier j, so it lies in
// [0, 1e6 * notional] and the result fits in int64.
template <class Rate>
int64_t margin(std::span<const MarginTier> tiers, int64_t notional, Rate rate) {
  GB_ASSERT(!tiers.empty() && tiers.size() <= kMaxMarginTiers);
  GB_ASSERT(notional >= 0);
  if (notional <= 0) return 0;
  __int128 deduction = 0;  // 1e6 * deduction_k
  size_t k = 0;
  while (k + 1 < tiers.size() && tiers[k].max_notional < notional) {
    deduction += static_cast<__int128>(tiers[k].max_notional) * (rate(tiers[k + 1]) - rate(tiers[k]));
    ++k;
  }
  const __int128 scaled = static_cast<__int128>(rate(tiers[k])) * notional - deduction;
  GB_ASSERT(scaled >= 0);
  const __int128 q = div_toward_zero(scaled + (kPpm - 1), kPpm);  // ceil for scaled >= 0
  GB_ASSERT(q <= notional);
  return static_cast<int64_t>(q);
}

}  // namespace

Status validate_tiers(std::span<const MarginTier> tiers) {
  if (tiers.empty()) return Status(Error::InvalidConfig, "margin tiers: none given");
  if (tiers.size() > kMaxMarginTiers)
    return Status(Error::InvalidConfig, "margin tiers: more than " + std::to_string(kMaxMarginTiers));
  for (size_t i = 0; i < tiers.size(); ++i) {
    const MarginTier& t = tiers[i];
    if (t.max_notional <= 0) return refuse(i, "max_notional must be positive");
    if (t.maintenance_ppm <= 0) return refuse(i, "maintenance_ppm must be positive");
    if (t.maintenance_ppm >= t.initial_ppm) return refuse(i, "maintenance_ppm must be below initial_ppm");
    if (t.initial_ppm > kPpm) return refuse(i, "initial_ppm above 1e6");
    if (i == 0) continue;
    const MarginTier& p = tiers[i - 1];
    if (t.max_notional <= p.max_notional) return refuse(i, "max_notional must increase strictly");
    if (t.initial_ppm < p.initial_ppm) return refuse(i, "initial_ppm must not decrease");
    if (t.maintenance_ppm < p.maintenance_ppm) return refuse(i, "maintenance_ppm must not decrease");
  }
  return Status::ok();
}

int64_t maintenance_margin(std::span<const MarginTier> tiers, int64_t notional) {
  return margin(tiers, notional, [](const MarginTier& t) -> int64_t { return t.maintenance_ppm; });
}

int64_t initial_margin(std::span<const MarginTier> tiers, int64_t notional) {
  return margin(tiers, notional, [](const MarginTier& t) -> int64_t { return t.initial_ppm; });
}

}  // namespace glassbook::risk
