// SafetyIndex: every account's safe bounds, one heap per price and direction, so that a new price
// yields the accounts whose bound it crossed without visiting the others.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/ids.h"
#include "risk/safe_bounds.h"

namespace glassbook::risk {

// Each account has one set of bounds at a time (set() replaces it; older entries go stale and are
// dropped when met). pop_crossed() removes the crossed entries of one price and reports their
// accounts; an account reported must get new bounds (set) or none (forget) before the index can
// vouch for it again, since its other entries are now only part of its box. Memory: 16 bytes per
// stored entry, 8 per account; stale entries are compacted away once they outnumber live ones.
class SafetyIndex {
 public:
  explicit SafetyIndex(size_t dims = 0) { reset(dims); }

  // Forgets everything; `dims` prices.
  void reset(size_t dims);
  size_t dims() const { return dims_.size(); }
  void set(AccountId a, std::span<const SafeBound> bounds);
  void forget(AccountId a);
  // Appends to `out` each account with a live bound in `dim` crossed by `price` (once per entry:
  // an account may appear twice if both directions cross), removing those entries.
  void pop_crossed(uint32_t dim, int64_t price, std::vector<AccountId>& out);

  // Every live entry: f(AccountId, const SafeBound&).
  template <class F>
  void for_each_live(F&& f) const;
  size_t live_entries() const { return live_; }
  size_t stored_entries() const { return stored_; }

 private:
  struct Entry {
    int64_t bound;
    AccountId account;
    uint32_t version;
  };
  struct Dim {
    std::vector<Entry> lower;  // max-heap by bound: crossed when price <= bound
    std::vector<Entry> upper;  // min-heap by bound: crossed when price >= bound
  };
  struct AccountState {
    uint32_t version = 0;
    uint32_t live = 0;  // live entries of the account
  };
  AccountState& state(AccountId a);
  bool is_live(const Entry& e) const { return e.account < accounts_.size() && accounts_[e.account].version == e.version; }
  void drop_live(AccountId a);
  void compact();

  std::vector<Dim> dims_;
  std::vector<AccountState> accounts_;
  size_t live_ = 0, stored_ = 0;
};

template <class F>
void SafetyIndex::for_each_live(F&& f) const {
  for (uint32_t d = 0; d < dims_.size(); ++d) {
    for (const Entry& e : dims_[d].lower)
      if (is_live(e)) f(e.account, SafeBound{d, false, e.bound});
    for (const Entry& e : dims_[d].upper)
      if (is_live(e)) f(e.account, SafeBound{d, true, e.bound});
  }
}

}  // namespace glassbook::risk
