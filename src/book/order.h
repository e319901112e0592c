// Order: one resting order as stored in the pool; linked by pool index into its
// price level's FIFO and its account's list.
#pragma once
#include <cstdint>

#include "book/types.h"

namespace glassbook::book {

inline constexpr uint32_t kNil = 0xFFFFFFFFu;  // "no order" pool index

struct alignas(64) Order {
  OrderId id;
  Ticks price;
  Lots remaining;       // > 0 while resting
  uint64_t seq;         // sequence number given when it rested: time priority
  uint32_t prev, next;  // level FIFO (kNil at the ends); free-list link when free
  uint32_t acct_prev, acct_next;  // account list (unused when the book is anonymous)
  AccountId account;
  Side side;
  Stp stp;
};
static_assert(sizeof(Order) == 64, "Order is one cache line");

}  // namespace glassbook::book
