// The median of a few integers.
#include "risk/median.h"

#include <algorithm>
#include "core/assert.h"

namespace glassbook::risk {

int64_t median(std::span<int64_t> values) {
  GB_ASSERT(!values.empty());
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  if (n % 2 == 1) return values[n / 2];
  const int64_t a = values[n / 2 - 1];
  const int64_t b = values[n / 2];
  // a <= b: a + (b - a) / 2 cannot overflow when computed in 128 bits, and floors toward -inf.
  const __int128 diff = static_cast<__int128>(b) - a;
  return static_cast<int64_t>(a + diff / 2);
}

int64_t median3(int64_t a, int64_t b, int64_t c) {
  return std::max(std::min(a, b), std::min(std::max(a, b), c));
}

}  // namespace glassbook::risk
