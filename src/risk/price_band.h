// Price bands: the inclusive range of prices a market accepts around a reference price.
#pragma once
#include <cstdint>

namespace glassbook::risk {

struct PriceBand {
  int64_t lower = 0;  // inclusive
  int64_t upper = 0;  // inclusive
};

// The band around `reference` (> 0) of width `band_ppm` (1..1e6) either side, rounded inward so
// the band never exceeds the stated width:
//   lower = ceil(reference * (1e6 - band_ppm) / 1e6), at least 1 (a price is positive);
//   upper = floor(reference * (1e6 + band_ppm) / 1e6), at most INT64_MAX.
// Computed exactly in 128 bits. Always lower <= reference <= upper.
PriceBand band_around(int64_t reference, int32_t band_ppm);

// Whether lower <= price <= upper.
bool within(const PriceBand& b, int64_t price);

}  // namespace glassbook::risk
