// Strict parsing of percentages and depegs for the stress command line.
#include "stress/shock_text.h"

#include <fmt/format.h>

namespace glassbook::stress {

namespace {

constexpr int kDecimals = 4;                     // 1% = 10,000 ppm: four decimals of a percent
constexpr int64_t kMaxPpm = 10'000'000'000;      // 1,000,000%

bool is_digit(char c) { return c >= '0' && c <= '9'; }

Status bad_percent(std::string_view text, std::string_view why) {
  return Status(Error::InvalidArgument,
                fmt::format("'{}' is not a percentage ({}); write it like -30%, 5%, +10% or 2.5%", text, why));
}

}  // namespace

Result<int64_t> parse_percent(std::string_view text) {
  std::string_view s = text;
  if (s.empty()) return bad_percent(text, "empty");
  int64_t sign = 1;
  if (s.front() == '+' || s.front() == '-') {
    if (s.front() == '-') sign = -1;
    s.remove_prefix(1);
  }
  if (s.empty() || s.back() != '%') return bad_percent(text, "it must end with %");
  s.remove_suffix(1);
  int64_t ppm = 0;
  size_t i = 0;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    ppm = ppm * 10 + (s[i] - '0');
    if (ppm * 10'000 > kMaxPpm) return bad_percent(text, "beyond 1,000,000%");
  }
  if (i == 0) return bad_percent(text, "no digits before the %");
  ppm *= 10'000;
  if (i < s.size()) {
    if (s[i] != '.') return bad_percent(text, fmt::format("unexpected '{}'", s[i]));
    ++i;
    const size_t first = i;
    int64_t scale = 1'000;
    for (; i < s.size() && is_digit(s[i]); ++i) {
      if (i - first >= kDecimals) return bad_percent(text, "at most 4 decimals");
      ppm += (s[i] - '0') * scale;
      scale /= 10;
    }
    if (i == first) return bad_percent(text, "no digits after the point");
    if (i < s.size()) return bad_percent(text, fmt::format("unexpected '{}'", s[i]));
  }
  if (ppm > kMaxPpm) return bad_percent(text, "beyond 1,000,000%");
  return sign * ppm;
}

std::string percent_text(int64_t ppm) {
  const char* sign = ppm > 0 ? "+" : (ppm < 0 ? "-" : "");
  const uint64_t m = ppm < 0 ? static_cast<uint64_t>(-(ppm + 1)) + 1 : static_cast<uint64_t>(ppm);
  std::string frac = fmt::format("{:04}", m % 10'000);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  return fmt::format("{}{}{}{}%", sign, m / 10'000, frac.empty() ? "" : ".", frac);
}

Result<Move> parse_depeg(std::string_view text, const engine::ExchangeConfig& config) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return Status(Error::InvalidArgument, fmt::format("'{}' is not a depeg; write it like WBTC:-20%", text));
  const std::string_view symbol = text.substr(0, colon);
  auto ppm = parse_percent(text.substr(colon + 1));
  if (!ppm) return ppm.status();
  for (AssetId a = 0; a < config.assets.size(); ++a) {
    if (config.assets[a].symbol != symbol) continue;
    if (config.assets[a].valuation != engine::Valuation::Redemption)
      return Status(Error::InvalidArgument,
                    fmt::format("{} is not valued by a redemption rate: only such an asset can depeg", symbol));
    return Move{Move::Kind::RedemptionRate, a, *ppm};
  }
  return Status(Error::UnknownAsset, fmt::format("no asset is named '{}'", symbol));
}

}  // namespace glassbook::stress
