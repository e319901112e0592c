// SafetyIndex (safety_index.h): binary heaps with lazy deletion by account version.
#include "risk/safety_index.h"

#include <algorithm>
#include "core/assert.h"
#include <vector>

namespace glassbook::risk {

namespace {

// pop_crossed pops up to size / kPopsPerScan + kMinPops entries one at a time before it switches
// to one pass over the whole heap.
constexpr size_t kPopsPerScan = 64;
constexpr size_t kMinPops = 64;

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
    GB_ASSERT(b.dim < dims_.size());
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
  GB_ASSERT(dim < dims_.size());
  Dim& d = dims_[dim];
  auto emit = [&](const Entry& e) {
    --accounts_[e.account].live;
    --live_;
    out.push_back(e.account);
  };
  auto take = [&](std::vector<Entry>& heap, auto order, auto crossed) {
    // Only crossed entries are taken, live or stale: the heap is ordered by bound alone, so an
    // uncrossed top means nothing below it is crossed, and a stale one is left to compact().
    // Pops from the top while few are crossed; a large move crosses a large share of the heap,
    // and then one sequential pass over it, and a rebuild, beat a cache miss per level on every pop.
    size_t pops_left = heap.size() / kPopsPerScan + kMinPops;
    while (!heap.empty() && crossed(heap.front().bound)) {
      if (pops_left-- == 0) {
        std::erase_if(heap, [&](const Entry& e) {
          if (!crossed(e.bound)) return false;
          --stored_;
          if (is_live(e)) emit(e);
          return true;
        });
        std::make_heap(heap.begin(), heap.end(), order);
        return;
      }
      const Entry e = heap.front();
      std::pop_heap(heap.begin(), heap.end(), order);
      heap.pop_back();
      --stored_;
      if (is_live(e)) emit(e);
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
