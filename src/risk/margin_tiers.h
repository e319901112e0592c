// Tiered margin by position notional: the rate rises with the position, continuously across tiers.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/result.h"

namespace glassbook::risk {

inline constexpr size_t kMaxMarginTiers = 16;

// One tier: positions up to `max_notional` (quote units) pay these rates (ppm of notional) on the
// part of their notional inside this tier.
struct MarginTier {
  int64_t max_notional = 0;
  int32_t initial_ppm = 0;
  int32_t maintenance_ppm = 0;
  bool operator==(const MarginTier&) const = default;
};

// Valid: 1..16 tiers, max_notional strictly increasing and > 0 (the last tier's max_notional is the
// largest position allowed), 0 < maintenance_ppm < initial_ppm <= 1e6, both rates non-decreasing
// from tier to tier. Refusals are Error::InvalidConfig naming the tier and the rule.
Status validate_tiers(std::span<const MarginTier> tiers);

// Margin of a position of `notional` (quote units, >= 0) under a valid table, with the tier
// containing it (the first whose max_notional >= notional):
//   margin = rate_k * notional / 1e6 - deduction_k,
//   deduction_k = deduction_{k-1} + max_notional_{k-1} * (rate_k - rate_{k-1}) / 1e6, deduction_0 = 0,
// which equals the bracket sum: each slice of the notional pays its own tier's rate. The value is
// computed exactly (one 128-bit numerator over 1e6, no per-tier rounding) and rounded UP once,
// toward safety. So the margin is continuous across tier boundaries, non-decreasing in notional,
// 0 at 0, at most `notional`, and maintenance <= initial. Notional above the last tier uses the
// last tier (the engine refuses such positions separately).
int64_t maintenance_margin(std::span<const MarginTier> tiers, int64_t notional);
int64_t initial_margin(std::span<const MarginTier> tiers, int64_t notional);

}  // namespace glassbook::risk
