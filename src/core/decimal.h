// Exact decimal strings <-> fixed-point integers at a given scale (number of decimals).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace glassbook {

struct DecimalOptions {
  bool allow_negative = false;
};

// Parses "123.450", "0.1", "-2" (if allowed) into value * 10^scale exactly.
// Refuses: empty input, exponents, spaces, "+", leading/trailing dots (".5", "5."), more decimals
// than `scale` (trailing zeros beyond the scale are accepted), and values outside int64.
Result<int64_t> parse_decimal(std::string_view text, int scale, DecimalOptions opts = {});

// Formats value / 10^scale with exactly `scale` decimals ("1.50000000"), or trimmed of trailing zeros.
std::string format_decimal(int64_t value, int scale, bool trim = false);

}  // namespace glassbook
