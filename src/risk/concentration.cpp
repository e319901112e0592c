// Concentration haircut on collateral (concentration.h).
#include "risk/concentration.h"

#include "risk/units.h"

namespace glassbook::risk {

__int128 concentrated_value(__int128 value, __int128 total, int32_t weight_ppm, int32_t share_ppm, int32_t low_weight_ppm) {
  // The limit rounds down, so the excess (and the haircut) rounds up: never overstated.
  const __int128 limit = total * share_ppm / kPpm;
  const __int128 excess = value > limit ? value - limit : 0;
  return (value * weight_ppm - excess * (weight_ppm - low_weight_ppm)) / kPpm;
}

int64_t concentration_cross_ppm(int32_t weight_ppm, int32_t share_ppm, int32_t low_weight_ppm) {
  const int64_t n = static_cast<int64_t>(weight_ppm - low_weight_ppm) * share_ppm;
  return (n + kPpm - 1) / kPpm;
}

}  // namespace glassbook::risk
