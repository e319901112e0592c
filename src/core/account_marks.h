// AccountMarks: a set of account ids in the order they were first marked, with O(1) mark and test.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/ids.h"

namespace glassbook {

// Marks accounts (each at most once until taken) and hands them back in marking order. Memory is
// one byte per account id seen plus the list of marked ids; nothing is allocated once both have
// grown to the number of accounts.
class AccountMarks {
 public:
  void mark(AccountId a) {
    if (a >= marked_.size()) marked_.resize(static_cast<size_t>(a) + 1 + a / 2, 0);
    if (marked_[a] != 0) return;
    marked_[a] = 1;
    list_.push_back(a);
  }
  bool marked(AccountId a) const { return a < marked_.size() && marked_[a] != 0; }
  bool empty() const { return list_.empty(); }
  size_t size() const { return list_.size(); }
  const std::vector<AccountId>& list() const { return list_; }
  // Moves the marked ids to the end of `out` (marking order) and clears the set.
  void take(std::vector<AccountId>& out) {
    for (AccountId a : list_) marked_[a] = 0;
    out.insert(out.end(), list_.begin(), list_.end());
    list_.clear();
  }
  void clear() {
    for (AccountId a : list_) marked_[a] = 0;
    list_.clear();
  }

 private:
  std::vector<uint8_t> marked_;  // by account id
  std::vector<AccountId> list_;
};

}  // namespace glassbook
