// AdlQueue: the positions auto-deleveraging takes, in adl_order's order and then by account id,
// revealed one at a time so that a sweep pays for the positions it takes, not for sorting all.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "core/ids.h"
#include "risk/adl_rank.h"

namespace glassbook::risk {

// The order: every candidate adl_order ranks, highest score first (ties by account id, then by
// index), then every other account (the unranked candidates and `rest`) by account id. Building is
// O(n); each front() after a pop() is O(log n), the first one reaching the rest O(r log r).
class AdlQueue {
 public:
  AdlQueue() = default;
  AdlQueue(std::span<const AdlCandidate> candidates, std::vector<AccountId> rest);

  bool empty() const { return heap_.empty() && next_rest_ >= rest_.size(); }
  // The next account. Precondition: !empty().
  AccountId front();
  void pop();

 private:
  struct Entry {
    int64_t score;
    AccountId account;
    uint32_t index;
  };
  std::vector<Entry> heap_;  // std heap: the best entry on top
  std::vector<AccountId> rest_;
  size_t next_rest_ = 0;
  bool rest_sorted_ = false;
};

}  // namespace glassbook::risk
