// SafetyIndex (safety_index.h): binary heaps with lazy deletion by account version.
#include "risk/safety_index.h"

#include <algorithm>
#include <cassert>

namespace glassbook::risk {

namespace {

struct LowerOrder {  // max-heap by bound
  template <class E>
  bool operator()(const E& a, const E& b) const { return a.bound < b.bound; }
};
struct UpperOrder {  // min-heap by bound
  template <class E>
  bool operator()(const E& a, const E& b) const { return a.bound > b.bound; }
};

}  // namespace

void SafetyIndex::reset(size_t dims) {
  dims_.assign(dims, {});
  accounts_.clear();
  live_ = stored_ = 0;
}

SafetyIndex::AccountState& SafetyIndex::state(AccountId a) {
  if (a >= accounts_.size()) accounts_.resize(static_cast<size_t>(a) + 1 + a / 2);
  return accounts_[a];
}

void SafetyIndex::drop_live(AccountId a) {
  AccountState& s = state(a);
  live_ -= s.live;
  s.live = 0;
  ++s.version;  // every stored entry of the account is stale now
}

void SafetyIndex::forget(AccountId a) {
  if (a < accounts_.size() && accounts_[a].live == 0) return;  // nothing live: no entry to retire
  drop_live(a);
}

void SafetyIndex::set(AccountId a, std::span<const SafeBound> bounds) {
  drop_live(a);
  AccountState& s = accounts_[a];
  for (const SafeBound& b : bounds) {
    assert(b.dim < dims_.size());
    Dim& d = dims_[b.dim];
    const Entry e{b.bound, a, s.version};
    if (b.upper) {
      d.upper.push_back(e);
      std::push_heap(d.upper.begin(), d.upper.end(), UpperOrder{});
    } else {
      d.lower.push_back(e);
      std::push_heap(d.lower.begin(), d.lower.end(), LowerOrder{});
    }
    ++s.live;
    ++live_;
    ++stored_;
  }
  if (stored_ > 2 * live_ + 4096) compact();
}

void SafetyIndex::pop_crossed(uint32_t dim, int64_t price, std::vector<AccountId>& out) {
  assert(dim < dims_.size());
  Dim& d = dims_[dim];
  auto take = [&](std::vector<Entry>& heap, auto order, auto crossed) {
    while (!heap.empty() && (!is_live(heap.front()) || crossed(heap.front().bound))) {
      const Entry e = heap.front();
      std::pop_heap(heap.begin(), heap.end(), order);
      heap.pop_back();
      --stored_;
      if (!is_live(e)) continue;
      --accounts_[e.account].live;
      --live_;
      out.push_back(e.account);
    }
  };
  take(d.lower, LowerOrder{}, [price](int64_t bound) { return price <= bound; });
  take(d.upper, UpperOrder{}, [price](int64_t bound) { return price >= bound; });
}

void SafetyIndex::compact() {
  for (Dim& d : dims_) {
    auto stale = [this](const Entry& e) { return !is_live(e); };
    d.lower.erase(std::remove_if(d.lower.begin(), d.lower.end(), stale), d.lower.end());
    d.upper.erase(std::remove_if(d.upper.begin(), d.upper.end(), stale), d.upper.end());
    std::make_heap(d.lower.begin(), d.lower.end(), LowerOrder{});
    std::make_heap(d.upper.begin(), d.upper.end(), UpperOrder{});
  }
  stored_ = live_;
}

}  // namespace glassbook::risk
