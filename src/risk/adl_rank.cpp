// Auto-deleveraging order: exact saturating scores and a total, deterministic order.
#include "risk/adl_rank.h"

#include <algorithm>
#include <limits>

#include "core/checked.h"
#include "risk/units.h"

namespace glassbook::risk {

bool adl_ranked(const AdlCandidate& c) {
  return c.unrealized_pnl > 0 && c.equity > 0 && c.entry_notional > 0 && c.position_notional > 0;
}

int64_t adl_score(const AdlCandidate& c) {
  if (!adl_ranked(c)) return 0;
  constexpr __int128 kMax = std::numeric_limits<int64_t>::max();
  // upnl * 1e6 < 2^83: fits; the ratio is at most that.
  const __int128 ratio = div_toward_zero(static_cast<__int128>(c.unrealized_pnl) * kPpm, c.entry_notional);
  __int128 product;
  // Overflow means product >= 2^127, so product / equity > 2^64 > INT64_MAX: saturate.
  if (__builtin_mul_overflow(ratio, static_cast<__int128>(c.position_notional), &product)) return INT64_MAX;
  const __int128 score = div_toward_zero(product, c.equity);
  return static_cast<int64_t>(std::min(score, kMax));
}

std::vector<size_t> adl_order(std::span<const AdlCandidate> candidates) {
  struct Entry {
    int64_t score;
    AccountId account;
    size_t index;
  };
  std::vector<Entry> entries;
  entries.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const AdlCandidate& c = candidates[i];
    if (adl_ranked(c)) entries.push_back(Entry{adl_score(c), c.account, i});
  }
  // A total order (the index breaks the last tie), so the result does not depend on the sort.
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.account != b.account) return a.account < b.account;
    return a.index < b.index;
  });
  std::vector<size_t> order;
  order.reserve(entries.size());
  for (const Entry& e : entries) order.push_back(e.index);
  return order;
}

}  // namespace glassbook::risk
