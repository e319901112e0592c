// safe_bounds (safe_bounds.h): one relative tolerance shared by every exposure, in 1e-9 units.
#include "risk/safe_bounds.h"

#include <algorithm>
#include "core/assert.h"
#include <cstdint>

#include "risk/units.h"

namespace glassbook::risk {

bool safe_bounds(__int128 buffer, __int128 slack, std::span<const Exposure> exposures, std::vector<SafeBound>& out) {
  out.clear();
  if (buffer <= slack) return false;
  __int128 total = 0;
  for (const Exposure& e : exposures) {
    GB_ASSERT(e.price > 0 && e.loss_per_unit >= 0);
    total += e.loss_per_unit;
  }
  if (total <= 0) return true;
  // r in 1e-9, floored; beyond 1e18 (a billion times the price) no int64 price is within reach.
  constexpr __int128 kMaxTolerance = static_cast<__int128>(kRateOne) * kRateOne;
  const __int128 spare = buffer - slack;
  const __int128 r = spare / total >= kMaxTolerance / kRateOne ? kMaxTolerance : spare * kRateOne / total;
  if (r <= 0) return false;
  for (const Exposure& e : exposures) {
    if (e.loss_per_unit == 0) continue;
    if (e.upper) {
      const __int128 bound = static_cast<__int128>(e.price) * (kRateOne + r) / kRateOne;  // floor
      if (bound > INT64_MAX) continue;
      if (bound <= e.price) return false;  // less than one unit of room: no tolerance
      out.push_back({e.dim, true, static_cast<int64_t>(bound)});
    } else {
      if (r >= kRateOne) continue;  // the price would have to reach zero
      const __int128 scaled = static_cast<__int128>(e.price) * (kRateOne - r);
      const __int128 bound = (scaled + kRateOne - 1) / kRateOne;  // ceil
      if (bound >= e.price) return false;
      out.push_back({e.dim, false, static_cast<int64_t>(bound)});
    }
  }
  return true;
}

}  // namespace glassbook::risk
