// The median of a few integers, as the oracle and the mark price take it.
#pragma once
#include <cstdint>
#include <span>

namespace glassbook::risk {

// Sorts `values` in place and returns their median; for an even count, the mean of the two middle
// values rounded toward negative infinity (computed without overflow). Precondition: not empty.
int64_t median(std::span<int64_t> values);

// The median of three values (no allocation, no reordering of the caller's data).
int64_t median3(int64_t a, int64_t b, int64_t c);

}  // namespace glassbook::risk
