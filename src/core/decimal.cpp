// Exact decimal parsing and formatting for amounts and prices.
#include "core/decimal.h"

#include "core/checked.h"

namespace glassbook {

namespace {
constexpr size_t kMaxDecimalLength = 64;  // longer input is refused before any work
}

Result<int64_t> parse_decimal(std::string_view text, int scale, DecimalOptions opts) {
  if (scale < 0 || scale > 18) return {Error::InvalidArgument, "scale must be within 0..18"};
  if (text.empty()) return {Error::InvalidDecimal, "empty decimal"};
  if (text.size() > kMaxDecimalLength) return {Error::InvalidDecimal, "decimal string too long"};
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-') {
    if (!opts.allow_negative) return {Error::NegativeNotAllowed, "negative value not allowed"};
    negative = true;
    i = 1;
  }
  // Accumulate as a negative number so that INT64_MIN is reachable and overflow is symmetric.
  int64_t acc = 0;
  size_t int_digits = 0;
  for (; i < text.size() && text[i] != '.'; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return {Error::InvalidDecimal, "invalid character in decimal"};
    auto m = checked_mul(acc, 10);
    auto s = m ? checked_sub(*m, c - '0') : std::nullopt;
    if (!s) return {Error::Overflow, "decimal out of range"};
    acc = *s;
    ++int_digits;
  }
  if (int_digits == 0) return {Error::InvalidDecimal, "missing integer digits"};
  int frac_digits = 0;
  if (i < text.size()) {
    ++i;  // the dot
    if (i == text.size()) return {Error::InvalidDecimal, "missing fraction digits"};
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c < '0' || c > '9') return {Error::InvalidDecimal, "invalid character in decimal"};
      if (frac_digits >= scale) {
        if (c != '0') return {Error::TooManyDecimals, "too many decimals (at most " + std::to_string(scale) + ")"};
        continue;
      }
      auto m = checked_mul(acc, 10);
      auto s = m ? checked_sub(*m, c - '0') : std::nullopt;
      if (!s) return {Error::Overflow, "decimal out of range"};
      acc = *s;
      ++frac_digits;
    }
  }
  for (; frac_digits < scale; ++frac_digits) {
    auto m = checked_mul(acc, 10);
    if (!m) return {Error::Overflow, "decimal out of range"};
    acc = *m;
  }
  if (negative) return acc;
  if (acc == INT64_MIN) return {Error::Overflow, "decimal out of range"};
  return -acc;
}

std::string format_decimal(int64_t value, int scale, bool trim) {
  const bool negative = value < 0;
  // Work in unsigned to format INT64_MIN correctly.
  uint64_t mag = negative ? ~static_cast<uint64_t>(value) + 1 : static_cast<uint64_t>(value);
  char digits[24];  // least significant first
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + mag % 10);
    mag /= 10;
  } while (mag != 0);
  while (n <= scale) digits[n++] = '0';  // at least one integer digit
  std::string out;
  out.reserve(static_cast<size_t>(n) + 2);
  if (negative) out.push_back('-');
  for (int i = n - 1; i >= scale; --i) out.push_back(digits[i]);
  int frac_end = 0;  // drop trailing zeros of the fraction when trimming
  if (trim)
    while (frac_end < scale && digits[frac_end] == '0') ++frac_end;
  if (frac_end < scale) {
    out.push_back('.');
    for (int i = scale - 1; i >= frac_end; --i) out.push_back(digits[i]);
  }
  return out;
}

}  // namespace glassbook
