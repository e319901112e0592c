// Safe bounds: how far each price an account depends on may move before its margin must be judged
// again, derived from its margin buffer and its exposure to each price.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace glassbook::risk {

// A price the account's margin depends on, and how much the buffer (equity - maintenance) can
// fall per unit of relative adverse move of it: for a relative move r, the loss is at most
// `loss_per_unit` * r (the caller rounds it up). `upper`: the adverse direction is up (a short).
struct Exposure {
  uint32_t dim = 0;
  int64_t price = 0;  // the price now, > 0
  bool upper = false;
  __int128 loss_per_unit = 0;  // >= 0
};

// The account is safe while every price stays strictly inside its bound: above a lower bound,
// below an upper one.
struct SafeBound {
  uint32_t dim = 0;
  bool upper = false;
  int64_t bound = 0;

  bool crossed(int64_t price) const { return upper ? price >= bound : price <= bound; }
  bool operator==(const SafeBound&) const = default;
};

// Bounds within which the buffer stays at least 0: every price may move by the same relative
// tolerance r = (buffer - slack) / sum(loss_per_unit), rounded toward safety (a lower bound up, an
// upper bound down), so that the sum of the losses stays below buffer - slack. `slack` covers the
// caller's rounding. A bound that no positive price can cross is left out (out may end empty: the
// account cannot lose). False when buffer <= slack or the tolerance leaves some price less than one unit of room: judge
// the account every time.
bool safe_bounds(__int128 buffer, __int128 slack, std::span<const Exposure> exposures, std::vector<SafeBound>& out);

}  // namespace glassbook::risk
