// AdlQueue: the positions auto-deleveraging takes, in adl_order's order and then by account id,
// revealed one at a time so that a sweep pays for the positions it takes, not for sorting all.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/ids.h"
#include "risk/adl_rank.h"

namespace glassbook::risk {

// The order: every candidate adl_order ranks, highest score first (ties by account id, then by
// index), then every other account (the unranked candidates and `rest`) by account id.
//
// The ranked entries are revealed in sorted chunks: when the sorted prefix runs out, the next
// `chunk` best are selected (nth_element) and sorted, and the chunk grows fourfold. Building is
// O(n), the first chunk O(n + c log c); a queue taken to its end costs O(n log n) in sequential
// passes, where a binary heap would pay a cache miss per level on every pop. The rest is sorted on
// first use.
class AdlQueue {
 public:
  static constexpr size_t kFirstChunk = 1024;

  AdlQueue() = default;
  AdlQueue(std::span<const AdlCandidate> candidates, std::vector<AccountId> rest, size_t first_chunk = kFirstChunk);

  // Building in place: clear() empties the queue and keeps its storage, then add() and add_rest()
  // give what the constructor takes, in the same order (a candidate's index is the number added
  // before it). A cascade ranks a side at every sweep; fresh vectors of half a million entries paid
  // their page faults each time.
  void clear();
  void add(const AdlCandidate& c);
  void add_rest(AccountId a) { rest_.push_back(a); }

  bool empty() const { return next_ >= ranked_.size() && next_rest_ >= rest_.size(); }
  // The next account. Precondition: !empty().
  AccountId front();
  void pop();
  // The account `k` places after front(), when the queue knows it without sorting more; nullopt
  // otherwise. For fetching the next accounts' state ahead of their turn.
  std::optional<AccountId> peek(size_t k) const;

 private:
  struct Entry {
    int64_t score;
    AccountId account;
    uint32_t index;
  };
  void reveal();  // sorts the next chunk of ranked_ once the sorted prefix is used up

  size_t first_chunk_ = kFirstChunk;
  size_t chunk_ = kFirstChunk;
  uint32_t added_ = 0;  // candidates added so far (their indices)
  std::vector<Entry> ranked_;
  size_t next_ = 0;        // ranked_[next_, sorted_end_) is sorted and comes first
  size_t sorted_end_ = 0;
  std::vector<AccountId> rest_;
  size_t next_rest_ = 0;
  bool rest_sorted_ = false;
};

}  // namespace glassbook::risk
