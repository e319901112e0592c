// Price bands around a reference price, rounded inward.
#include "risk/price_band.h"

#include <algorithm>
#include "core/assert.h"
#include <limits>

#include "core/checked.h"
#include "risk/units.h"

namespace glassbook::risk {

PriceBand band_around(int64_t reference, int32_t band_ppm) {
  GB_ASSERT(reference > 0);
  GB_ASSERT(band_ppm >= 1 && band_ppm <= kPpm);
  // reference * (1e6 - band) / 1e6 <= reference: never overflows.
  const int64_t lower = mul_div_ceil(reference, kPpm - band_ppm, kPpm).value_or(1);
  // reference * (1e6 + band) / 1e6 <= 2 * reference: only the result can exceed int64; saturate.
  const int64_t upper =
      mul_div_floor(reference, kPpm + band_ppm, kPpm).value_or(std::numeric_limits<int64_t>::max());
  return PriceBand{std::max<int64_t>(lower, 1), upper};
}

bool within(const PriceBand& b, int64_t price) { return b.lower <= price && price <= b.upper; }

}  // namespace glassbook::risk
