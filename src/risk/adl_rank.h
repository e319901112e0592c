// Auto-deleveraging order: which profitable positions are reduced first when the insurance fund
// cannot absorb a loss.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/ids.h"

namespace glassbook::risk {

struct AdlCandidate {
  AccountId account = 0;
  int64_t unrealized_pnl = 0;
  int64_t entry_notional = 0;     // |cost| > 0
  int64_t position_notional = 0;  // at mark, >= 0
  int64_t equity = 0;
};

// Whether adl_order ranks the candidate: unrealized_pnl > 0 and equity > 0, and something to
// deleverage (entry_notional > 0 and position_notional > 0).
bool adl_ranked(const AdlCandidate& c);

// The candidate's score: pnl ratio * effective leverage = (upnl / entry_notional) *
// (position_notional / equity), in ppm: floor(floor(upnl * 1e6 / entry_notional) *
// position_notional / equity), exact with 128-bit intermediates and saturating at INT64_MAX (when
// the 128-bit product overflows, the quotient exceeds INT64_MAX anyway, since equity < 2^63). 0 for
// a candidate that is not ranked (see adl_order).
int64_t adl_score(const AdlCandidate& c);

// Indices into `candidates` of the profitable ones (unrealized_pnl > 0 and equity > 0; also
// entry_notional > 0 and position_notional > 0, without which there is nothing to deleverage),
// highest score first; ties by account id ascending, then by index. Others are excluded.
std::vector<size_t> adl_order(std::span<const AdlCandidate> candidates);

}  // namespace glassbook::risk
