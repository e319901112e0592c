// AccountIndex: per-account intrusive lists of resting orders (through
// Order::acct_prev/acct_next), so cancel_all() and self-trade checks touch only
// that account's orders. An account with no resting order has no entry.
#pragma once
#include "core/assert.h"
#include <cstdint>
#include <vector>

#include "book/index_map.h"
#include "book/order_pool.h"

namespace glassbook::book {

class AccountIndex {
 public:
  // Appends pool[i] (its account field set) to its account's list.
  void link(OrderPool& pool, uint32_t i) {
    Order& o = pool[i];
    uint32_t a = map_.find(o.account);
    if (a == IndexMap<AccountId>::kEmpty) {
      a = new_entry();
      map_.insert(o.account, a);
    }
    Entry& e = entries_[a];
    o.acct_prev = e.tail;
    o.acct_next = kNil;
    if (e.tail != kNil) pool[e.tail].acct_next = i; else e.head = i;
    e.tail = i;
    ++e.count;
  }

  void unlink(OrderPool& pool, uint32_t i) {
    Order& o = pool[i];
    uint32_t a = map_.find(o.account);
    GB_ASSERT(a != IndexMap<AccountId>::kEmpty);
    Entry& e = entries_[a];
    if (o.acct_prev != kNil) pool[o.acct_prev].acct_next = o.acct_next; else e.head = o.acct_next;
    if (o.acct_next != kNil) pool[o.acct_next].acct_prev = o.acct_prev; else e.tail = o.acct_prev;
    if (--e.count == 0) {
      map_.erase(o.account);
      e.head = free_;
      free_ = a;
    }
  }

  // Oldest resting order of the account, or kNil.
  uint32_t head(AccountId account) const {
    uint32_t a = map_.find(account);
    return a == IndexMap<AccountId>::kEmpty ? kNil : entries_[a].head;
  }

  uint32_t count(AccountId account) const {
    uint32_t a = map_.find(account);
    return a == IndexMap<AccountId>::kEmpty ? 0 : entries_[a].count;
  }

  size_t accounts() const { return map_.size(); }

 private:
  struct Entry {
    uint32_t head, tail, count;
  };

  uint32_t new_entry() {
    if (free_ != kNil) {
      uint32_t a = free_;
      free_ = entries_[a].head;
      entries_[a] = Entry{kNil, kNil, 0};
      return a;
    }
    entries_.push_back(Entry{kNil, kNil, 0});
    return static_cast<uint32_t>(entries_.size() - 1);
  }

  IndexMap<AccountId> map_{64};
  std::vector<Entry> entries_;
  uint32_t free_ = kNil;  // free entries, chained through Entry::head
};

}  // namespace glassbook::book
