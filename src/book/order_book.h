// OrderBook: one market's limit order book and matching: price-time priority,
// GTC/IOC/FOK/post-only, self-trade prevention, amend/modify, cancel_all.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "book/account_index.h"
#include "book/event.h"
#include "book/index_map.h"
#include "book/level_bitmap.h"
#include "book/order.h"
#include "book/order_pool.h"
#include "book/price_ladder.h"
#include "book/types.h"
#include "core/assert.h"

namespace glassbook::book {

// Not thread-safe: one owner thread (the engine). Every mutating call appends
// its events to `out` (the caller clears it) and either fully applies or, when
// it returns a Reject other than None, changes nothing but appending one
// Rejected event. Cost per call: O(1) plus O(1) per trade / order removed, and
// O(levels of the hierarchy) to find the next best price after a level empties.
// After warm-up (id map, ladder pages and `out` at their peak sizes) nothing
// allocates.
class OrderBook {
 public:
  struct Level {
    Ticks price;
    Lots qty;
    uint32_t orders;
  };

  // Throws std::invalid_argument unless 1 <= max_price_ticks <= kMaxPriceTicks
  // and 1 <= max_orders <= kMaxOrders (construction is not on the hot path).
  explicit OrderBook(const BookConfig& config);

  Reject add(const NewOrder& order, std::vector<Event>& out);
  // NotFound if the order is not resting.
  Reject cancel(OrderId id, std::vector<Event>& out);
  // new_qty is the new remaining quantity. Same price and new_qty <= remaining:
  // in place, keeps priority. Otherwise cancel + re-insert at the back (GTC, same
  // account/side/stp; may trade as a taker).
  Reject amend(OrderId id, Ticks new_price, Lots new_qty, std::vector<Event>& out);
  // Always cancel + re-insert (loses priority); the C API's modify.
  Reject modify(OrderId id, Ticks new_price, Lots new_qty, std::vector<Event>& out);
  // Cancels every resting order of the account, oldest first; returns how many.
  size_t cancel_all(AccountId account, std::vector<Event>& out);

  // Restoring a snapshot: rests `order` (its tif is ignored) without matching and without events,
  // behind every order already resting, so replaying a book's orders in the order they rested
  // rebuilds its price levels and account lists exactly. Refuses, changing nothing, what add()
  // refuses for a GTC order, and BadPrice when the order would cross the opposite side.
  Reject restore_order(const NewOrder& order);
  // Sizes the id map for `orders` resting orders (restoring a snapshot without rehashing).
  void reserve(size_t orders) { ids_.reserve(orders); }

  // The resting order, or nullptr. Valid until the next mutating call.
  const Order* find(OrderId id) const;
  Ticks best_bid() const { return sides_[0].best; }  // 0 when empty
  Ticks best_ask() const { return sides_[1].best; }  // 0 when empty
  Ticks best(Side s) const { return sides_[static_cast<int>(s)].best; }
  // The resting quantity at one price of a side (0: none, or a price outside the book).
  Lots level_qty(Side side, Ticks price) const;
  // Replaces `out` with up to n levels of the side, best first.
  void depth(Side side, size_t n, std::vector<Level>& out) const;
  size_t order_count() const { return pool_.used(); }
  const BookConfig& config() const { return config_; }

  // Visits every resting order of the side in price-time priority:
  // f(const Order&).
  template <class F>
  void for_each_order(Side side, F&& f) const;
  // The same walk, stopped as soon as f(const Order&) returns false (the orders a taker would meet).
  template <class F>
  void for_each_order_while(Side side, F&& f) const;
  // Visits every resting order of one account, oldest first: f(const Order&).
  template <class F>
  void for_each_order_of(AccountId account, F&& f) const;

  // Visits the resting orders of one price level in time priority (none when it is empty):
  // f(const Order&).
  template <class F>
  void for_each_order_at(Side side, Ticks price, F&& f) const;
  // The same for the levels first .. first + count - 1 (count <= kMaxLevelsAtOnce), level by level
  // upward, f(const Order&) getting a copy of each order: the levels' lists are walked together,
  // so their cache misses overlap.
  static constexpr Ticks kMaxLevelsAtOnce = 64;
  template <class F>
  void for_each_order_in_levels(Side side, Ticks first, Ticks count, F&& f) const;

  // The price levels whose orders changed (one joined, left or shrank) since the last call, each
  // at least once, in no particular order: the owner's state commitment rehashes only those.
  // Every change of a level goes through touch(), so none can be missed. Bounded: repeats are
  // folded away once the list grows long, so it never holds more than every level twice over.
  struct LevelTouch {
    Side side;
    Ticks price;
    bool operator==(const LevelTouch&) const = default;
  };
  void take_touched_levels(std::vector<LevelTouch>& out) const;

  // Full consistency check (levels, links, aggregates, bitmap, id map, accounts,
  // uncrossed book). O(orders + max_price_ticks): tests and debugging only.
  bool check_invariants() const;

 private:
  struct SideBook {
    PriceLadder ladder;
    LevelBitmap bitmap;
    Ticks best = 0;  // 0 when the side is empty
    explicit SideBook(Ticks max_price) : ladder(max_price), bitmap(max_price) {}
  };

  Reject validate(const NewOrder& o) const;
  Reject reject(const NewOrder& o, Reject r, std::vector<Event>& out) const;
  Reject reject_id(OrderId id, Ticks price, Lots qty, Reject r, std::vector<Event>& out) const;
  // Runs an accepted order as a taker and rests / cancels its remainder.
  void execute(const NewOrder& o, std::vector<Event>& out);
  template <Side S>
  Lots match(const NewOrder& o, Lots qty, bool& stopped, std::vector<Event>& out);
  bool fok_fillable(const NewOrder& o) const;
  void rest(const NewOrder& o, Lots qty, std::vector<Event>& out);
  // Links a new resting order of `qty` at the back of its level and account list.
  void link_resting(const NewOrder& o, Lots qty);
  // Unlinks pool[i] from its level, account and the id map and frees it.
  void remove(uint32_t i);
  void emit_cancel(const Order& o, CancelReason reason, std::vector<Event>& out) const;
  Reject reinsert(uint32_t i, Ticks new_price, Lots new_qty, std::vector<Event>& out);
  SideBook& side(Side s) { return sides_[static_cast<int>(s)]; }
  const SideBook& side(Side s) const { return sides_[static_cast<int>(s)]; }
  // Next non-empty level after `from` moving away from the touch, or 0.
  Ticks next_level(Side s, Ticks from) const;
  void touch(Side s, Ticks price);

  BookConfig config_;
  OrderPool pool_;
  IndexMap<OrderId> ids_;
  AccountIndex accounts_;
  SideBook sides_[2];
  uint64_t seq_ = 0;
  mutable std::vector<LevelTouch> touched_;  // see take_touched_levels(): bookkeeping, not state
};

template <class F>
void OrderBook::for_each_order(Side s, F&& f) const {
  const SideBook& sb = side(s);
  for (Ticks p = sb.best; p != 0; p = next_level(s, p)) {
    const PriceLevel* lvl = sb.ladder.find(p);
    for (uint32_t i = lvl->head; i != kNil; i = pool_[i].next) f(pool_[i]);
  }
}

template <class F>
void OrderBook::for_each_order_while(Side s, F&& f) const {
  const SideBook& sb = side(s);
  for (Ticks p = sb.best; p != 0; p = next_level(s, p)) {
    const PriceLevel* lvl = sb.ladder.find(p);
    for (uint32_t i = lvl->head; i != kNil; i = pool_[i].next)
      if (!f(pool_[i])) return;
  }
}

template <class F>
void OrderBook::for_each_order_at(Side s, Ticks price, F&& f) const {
  if (price < 1 || price > config_.max_price_ticks) return;
  const PriceLevel* lvl = side(s).ladder.find(price);
  if (lvl == nullptr || lvl->count == 0) return;
  for (uint32_t i = lvl->head; i != kNil; i = pool_[i].next) f(pool_[i]);
}

// Why: a state root rehashes buckets of 64 levels, some 13,000 orders whose pool slots lie scattered
// over the pool. Walked one list after another, each slot's cache miss waits for the one before
// (the reads were 2.9 ms of a 6.4 ms root at 1,000,000 accounts in `bench journal`); walked
// together, a miss per non-empty level is in flight. Each order is copied as it is reached (one
// cache line), so the visit in priority order reads a contiguous array, not the pool a second time.
template <class F>
void OrderBook::for_each_order_in_levels(Side s, Ticks first, Ticks count, F&& f) const {
  GB_ASSERT(count >= 0 && count <= kMaxLevelsAtOnce);
  uint32_t cursor[kMaxLevelsAtOnce];  // each walking level's next slot
  uint32_t fill[kMaxLevelsAtOnce];    // where that level's next order goes in `orders`
  uint32_t end[kMaxLevelsAtOnce];     // where that level's orders end
  uint32_t walking = 0;
  uint32_t total = 0;
  for (Ticks p = first; p < first + count; ++p) {
    const PriceLevel* lvl = (p < 1 || p > config_.max_price_ticks) ? nullptr : side(s).ladder.find(p);
    if (lvl == nullptr || lvl->count == 0) continue;
    cursor[walking] = lvl->head;
    fill[walking] = total;
    total += lvl->count;
    end[walking] = total;
    ++walking;
  }
  thread_local std::vector<Order> orders;
  orders.resize(total);
  while (walking > 0) {
    for (uint32_t k = 0; k < walking;) {
      const Order& o = pool_[cursor[k]];
      orders[fill[k]++] = o;
      cursor[k] = o.next;
      if (cursor[k] != kNil) {
        ++k;
        continue;
      }
      GB_ASSERT(fill[k] == end[k]);  // the list holds exactly `count` orders
      --walking;  // done: the last walking level takes its place (the order of visits is in `orders`)
      cursor[k] = cursor[walking];
      fill[k] = fill[walking];
      end[k] = end[walking];
    }
  }
  for (uint32_t i = 0; i < total; ++i) f(std::as_const(orders[i]));
}

template <class F>
void OrderBook::for_each_order_of(AccountId account, F&& f) const {
  if (config_.anonymous) return;
  for (uint32_t i = accounts_.head(account); i != kNil; i = pool_[i].acct_next) f(pool_[i]);
}

}  // namespace glassbook::book
