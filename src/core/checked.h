// Checked integer arithmetic for money: overflow is an error, never a wrap; 128-bit intermediates.
#pragma once
#include <cstdint>
#include <optional>

namespace glassbook {

inline std::optional<int64_t> checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

inline std::optional<int64_t> checked_sub(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}

inline std::optional<int64_t> checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// n / d rounded toward zero, exactly as the 128-bit division, but with the 64-bit instruction when
// n fits in 64 bits (the common case for money, and several times faster). d > 0.
inline __int128 div_toward_zero(__int128 n, int64_t d) {
  if (n >= INT64_MIN && n <= INT64_MAX) return static_cast<int64_t>(n) / d;
  return n / d;
}

// floor(n / d) for d > 0, with the 64-bit instruction when n fits in 64 bits.
inline __int128 div_floor(__int128 n, int64_t d) {
  if (n >= INT64_MIN && n <= INT64_MAX) {
    const int64_t a = static_cast<int64_t>(n);
    const int64_t q = a / d;
    return (a % d != 0 && a < 0) ? q - 1 : q;
  }
  __int128 q = n / d;
  if (q * d != n && n < 0) q -= 1;
  return q;
}

// a * b / d rounded toward zero (down for non-negative inputs), computed in 128 bits. d > 0.
inline std::optional<int64_t> mul_div_floor(int64_t a, int64_t b, int64_t d) {
  if (d <= 0) return std::nullopt;
  __int128 p = static_cast<__int128>(a) * b;
  __int128 q = div_toward_zero(p, d);
  if (p < 0 && q * d != p) q -= 1;  // floor for negative products
  if (q > INT64_MAX || q < INT64_MIN) return std::nullopt;
  return static_cast<int64_t>(q);
}

// a * b / d rounded up (toward +infinity), computed in 128 bits. d > 0.
inline std::optional<int64_t> mul_div_ceil(int64_t a, int64_t b, int64_t d) {
  if (d <= 0) return std::nullopt;
  __int128 p = static_cast<__int128>(a) * b;
  __int128 q = div_toward_zero(p, d);
  if (p > 0 && q * d != p) q += 1;
  if (q > INT64_MAX || q < INT64_MIN) return std::nullopt;
  return static_cast<int64_t>(q);
}

// 10^n for 0 <= n <= 18.
constexpr int64_t pow10(int n) {
  int64_t r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

}  // namespace glassbook
