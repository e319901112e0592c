// AdlQueue (adl_queue.h): a binary heap of the ranked candidates, then the rest sorted on demand.
#include "risk/adl_queue.h"

#include <algorithm>
#include <cassert>

namespace glassbook::risk {

namespace {

// a < b in the heap's sense: b comes first.
template <class E>
bool after(const E& a, const E& b) {
  if (a.score != b.score) return a.score < b.score;
  if (a.account != b.account) return a.account > b.account;
  return a.index > b.index;
}

}  // namespace

AdlQueue::AdlQueue(std::span<const AdlCandidate> candidates, std::vector<AccountId> rest) : rest_(std::move(rest)) {
  heap_.reserve(candidates.size());
  for (size_t i = 0; i < candidates.size(); ++i) {
    const AdlCandidate& c = candidates[i];
    if (adl_ranked(c)) heap_.push_back({adl_score(c), c.account, static_cast<uint32_t>(i)});
    else rest_.push_back(c.account);
  }
  std::make_heap(heap_.begin(), heap_.end(), after<Entry>);
}

AccountId AdlQueue::front() {
  assert(!empty());
  if (!heap_.empty()) return heap_.front().account;
  if (!rest_sorted_) {
    std::sort(rest_.begin(), rest_.end());
    rest_sorted_ = true;
  }
  return rest_[next_rest_];
}

void AdlQueue::pop() {
  assert(!empty());
  if (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), after<Entry>);
    heap_.pop_back();
    return;
  }
  (void)front();  // sorts the rest if this is its first use
  ++next_rest_;
}

}  // namespace glassbook::risk
