// AdlQueue (adl_queue.h): ranked entries revealed in growing sorted chunks, then the rest by account.
#include "risk/adl_queue.h"

#include <algorithm>
#include "core/assert.h"

namespace glassbook::risk {

namespace {

// Whether a comes before b: higher score, then lower account id, then lower index (a total order,
// since no two entries share an index).
template <class E>
bool before(const E& a, const E& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.account != b.account) return a.account < b.account;
  return a.index < b.index;
}

}  // namespace

AdlQueue::AdlQueue(std::span<const AdlCandidate> candidates, std::vector<AccountId> rest, size_t first_chunk)
    : first_chunk_(std::max<size_t>(first_chunk, 1)), chunk_(first_chunk_), rest_(std::move(rest)) {
  ranked_.reserve(candidates.size());
  for (const AdlCandidate& c : candidates) add(c);
}

void AdlQueue::clear() {
  added_ = 0;
  ranked_.clear();
  next_ = sorted_end_ = 0;
  chunk_ = first_chunk_;
  rest_.clear();
  next_rest_ = 0;
  rest_sorted_ = false;
}

void AdlQueue::add(const AdlCandidate& c) {
  if (adl_ranked(c)) ranked_.push_back({adl_score(c), c.account, added_});
  else rest_.push_back(c.account);
  ++added_;
}

std::optional<AccountId> AdlQueue::peek(size_t k) const {
  if (next_ < ranked_.size()) {
    if (next_ + k < sorted_end_) return ranked_[next_ + k].account;
    return std::nullopt;
  }
  if (rest_sorted_ && next_rest_ + k < rest_.size()) return rest_[next_rest_ + k];
  return std::nullopt;
}

void AdlQueue::reveal() {
  const auto from = ranked_.begin() + static_cast<std::ptrdiff_t>(next_);
  const size_t left = ranked_.size() - next_;
  const size_t take = std::min(chunk_, left);
  const auto to = from + static_cast<std::ptrdiff_t>(take);
  if (take < left) std::nth_element(from, to, ranked_.end(), before<Entry>);
  std::sort(from, to, before<Entry>);
  sorted_end_ = next_ + take;
  chunk_ *= 4;
}

AccountId AdlQueue::front() {
  GB_ASSERT(!empty());
  if (next_ < ranked_.size()) {
    if (next_ == sorted_end_) reveal();
    return ranked_[next_].account;
  }
  if (!rest_sorted_) {
    std::sort(rest_.begin(), rest_.end());
    rest_sorted_ = true;
  }
  return rest_[next_rest_];
}

void AdlQueue::pop() {
  GB_ASSERT(!empty());
  (void)front();  // reveals the next chunk, or sorts the rest, if this is its first use
  if (next_ < ranked_.size()) ++next_;
  else ++next_rest_;
}

}  // namespace glassbook::risk
