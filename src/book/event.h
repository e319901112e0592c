// Event: what a book operation did, one plain record per fact, appended to the
// caller's vector in the order the facts happened.
#pragma once
#include <cstdint>

#include "book/types.h"

namespace glassbook::book {

// Field use by kind (unused fields are zero):
//  Accepted   id, account, side, price, qty = requested qty. First event of a valid add().
//  Rested     id, account, side, price, qty = quantity now resting (its remaining).
//  Trade      id/account/side = the taker's, maker_id, maker_account, price = maker's
//             price, qty = traded, maker_remaining, remaining = taker's remaining.
//  Cancelled  id, account, side, price, qty = remaining quantity removed, reason.
//  Amended    id, account, side, price = new price, qty = new remaining quantity.
//             In place (same price, qty not up): the order keeps its priority.
//             Otherwise it follows Cancelled{reason Amend} of the old placement and
//             is followed by the re-insert's Trade/Rested/Cancelled events.
//  Rejected   id, price, qty as requested (when known), reject. The book did not change.
struct Event {
  enum class Kind : uint8_t { Accepted, Rested, Trade, Cancelled, Amended, Rejected };

  Kind kind;
  Side side;
  CancelReason reason;
  Reject reject;
  AccountId account;
  OrderId id;
  Ticks price;
  Lots qty;
  Lots remaining;
  OrderId maker_id;
  Lots maker_remaining;
  AccountId maker_account;
  uint32_t pad_;

  OrderId taker_id() const { return id; }
  AccountId taker_account() const { return account; }
  Lots taker_remaining() const { return remaining; }
};
static_assert(sizeof(Event) == 64, "Event is one cache line");

}  // namespace glassbook::book
