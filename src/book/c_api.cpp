// The C interface (include/glassbook/book.h) over OrderBook: anonymous orders
// (no accounts, no self-trade prevention), events forwarded to a C callback.
#include <new>
#include <vector>

#include "book/order_book.h"
#include "glassbook/book.h"

namespace gb = glassbook::book;

struct gb_book {
  gb::OrderBook book;
  gb_book_callback cb;
  void* user;
  std::vector<gb::Event> events;

  gb_book(const gb::BookConfig& config, gb_book_callback callback, void* u)
      : book(config), cb(callback), user(u) {
    events.reserve(4096);
  }
};

namespace {

enum class Op { Add, Cancel, Modify };

int code_of(gb::Reject r) {
  switch (r) {
    case gb::Reject::None: return GB_OK;
    case gb::Reject::DuplicateId: return GB_ERR_DUPLICATE_ID;
    case gb::Reject::BadPrice: return GB_ERR_BAD_PRICE;
    case gb::Reject::BadQuantity: return GB_ERR_BAD_QTY;
    case gb::Reject::NotFound: return GB_ERR_NOT_FOUND;
    case gb::Reject::BookFull: return GB_ERR_BOOK_FULL;
    case gb::Reject::BadSide: return GB_ERR_BAD_SIDE;
  }
  return GB_ERR_BAD_SIDE;
}

// Forwards the events of one call to the callback and clears them.
int dispatch(gb_book* b, Op op, gb::Reject r) {
  if (b->cb != nullptr) {
    int64_t old_price = 0, old_qty = 0;  // of the order a modify re-inserts: its Amend cancel says
    for (const gb::Event& e : b->events) {
      gb_book_event c{};
      c.side = static_cast<int32_t>(e.side);
      c.id = e.id;
      c.price = e.price;
      c.qty = e.qty;
      switch (e.kind) {
        case gb::Event::Kind::Accepted:
          c.type = GB_EV_ORDER_ACK;
          break;
        case gb::Event::Kind::Trade:
          c.type = GB_EV_TRADE;
          c.maker_id = e.maker_id;
          c.taker_id = e.id;
          c.maker_remaining = e.maker_remaining;
          c.taker_remaining = e.remaining;
          break;
        case gb::Event::Kind::Cancelled:
          if (e.reason == gb::CancelReason::Amend) {  // reported by the MODIFY_ACK that follows
            old_price = e.price;
            old_qty = e.qty;
            continue;
          }
          c.type = GB_EV_CANCEL_ACK;
          break;
        case gb::Event::Kind::Amended:
          c.type = GB_EV_MODIFY_ACK;
          c.old_price = old_price;
          c.old_qty = old_qty;
          break;
        case gb::Event::Kind::Rejected:
          c.type = op == Op::Add ? GB_EV_ORDER_REJECT : op == Op::Cancel ? GB_EV_CANCEL_REJECT : GB_EV_MODIFY_REJECT;
          c.code = code_of(e.reject);
          break;
        case gb::Event::Kind::Rested:
          continue;  // the C interface has no separate "rested" report
      }
      b->cb(b->user, &c);
    }
  }
  b->events.clear();
  return code_of(r);
}

}  // namespace

extern "C" {

gb_book* gb_book_create(int64_t max_price_ticks, uint32_t max_orders, gb_book_callback cb, void* user) {
  if (max_price_ticks < 1 || max_price_ticks > gb::kMaxPriceTicks || max_orders < 1 || max_orders > gb::kMaxOrders)
    return nullptr;
  gb::BookConfig config;
  config.max_price_ticks = max_price_ticks;
  config.max_orders = max_orders;
  config.anonymous = true;
  try {
    return new gb_book(config, cb, user);
  } catch (...) {
    return nullptr;
  }
}

void gb_book_destroy(gb_book* book) { delete book; }

int gb_book_add(gb_book* book, uint64_t id, int side, int64_t price_ticks, int64_t qty, int ioc) {
  if (book == nullptr) return GB_ERR_NULL;
  gb::NewOrder o{id,
                 0,
                 (side == GB_BUY || side == GB_SELL) ? static_cast<gb::Side>(side) : static_cast<gb::Side>(2),
                 price_ticks,
                 qty,
                 ioc ? gb::TimeInForce::IOC : gb::TimeInForce::GTC,
                 gb::Stp::CancelNewest};
  return dispatch(book, Op::Add, book->book.add(o, book->events));
}

int gb_book_cancel(gb_book* book, uint64_t id) {
  if (book == nullptr) return GB_ERR_NULL;
  return dispatch(book, Op::Cancel, book->book.cancel(id, book->events));
}

int gb_book_modify(gb_book* book, uint64_t id, int64_t new_price, int64_t new_qty) {
  if (book == nullptr) return GB_ERR_NULL;
  return dispatch(book, Op::Modify, book->book.modify(id, new_price, new_qty, book->events));
}

int64_t gb_book_best_bid(const gb_book* book) { return book ? book->book.best_bid() : 0; }
int64_t gb_book_best_ask(const gb_book* book) { return book ? book->book.best_ask() : 0; }
uint64_t gb_book_order_count(const gb_book* book) { return book ? book->book.order_count() : 0; }
int64_t gb_book_level_qty(const gb_book* book, int side, int64_t price_ticks) {
  if (book == nullptr || (side != GB_BUY && side != GB_SELL)) return 0;
  return book->book.level_qty(static_cast<gb::Side>(side), price_ticks);
}

}  // extern "C"
