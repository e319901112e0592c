// Fixed-point units of the risk rules: ppm for margin rates, bands and weights; 1e-9 for funding
// and redemption rates. Prices are the quote (numeraire) smallest units per whole base unit.
#pragma once
#include <cstdint>

namespace glassbook::risk {

inline constexpr int64_t kPpm = 1'000'000;            // 100% in parts per million
inline constexpr int64_t kRateOne = 1'000'000'000;    // 1.0 in a funding or redemption rate

}  // namespace glassbook::risk
