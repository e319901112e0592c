/* Glassbook order book, C interface: one market's limit order book with
 * price-time priority, driven by plain calls and reporting through a callback. */
#ifndef GLASSBOOK_BOOK_H
#define GLASSBOOK_BOOK_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define GB_BOOK_API __attribute__((visibility("default")))
#else
#define GB_BOOK_API
#endif

/* Sides. */
#define GB_BUY 0
#define GB_SELL 1

/* Return codes: 0 ok, negative on error (the book is then unchanged). */
#define GB_OK 0
#define GB_ERR_DUPLICATE_ID (-1) /* id already resting */
#define GB_ERR_BAD_PRICE (-2)    /* price outside [1, max_price_ticks] */
#define GB_ERR_BAD_QTY (-3)      /* quantity <= 0 */
#define GB_ERR_NOT_FOUND (-4)    /* cancel/modify of an order that is not resting */
#define GB_ERR_BOOK_FULL (-5)    /* max_orders orders already resting, and the order
                                    would not fill completely without resting */
#define GB_ERR_BAD_SIDE (-6)     /* side not GB_BUY / GB_SELL */
#define GB_ERR_NULL (-7)         /* null book */

/* Largest max_price_ticks accepted by gb_book_create (2^26). */
#define GB_MAX_PRICE_TICKS (INT64_C(1) << 26)

typedef enum gb_book_event_type {
  GB_EV_ORDER_ACK = 1,     /* order accepted: id, side, price, qty (requested) */
  GB_EV_TRADE = 2,         /* maker_id, taker_id (= id), side (taker's), price (maker's), qty,
                              maker_remaining, taker_remaining */
  GB_EV_CANCEL_ACK = 3,    /* id, side, price, qty = remaining quantity removed; also
                              sent for the unfilled remainder of an IOC order */
  GB_EV_MODIFY_ACK = 4,    /* id, side, price = new price, qty = new quantity,
                              old_price, old_qty = the order's price and remaining
                              quantity before; trades of the re-inserted order follow */
  GB_EV_CANCEL_REJECT = 5, /* id, code = GB_ERR_NOT_FOUND */
  GB_EV_MODIFY_REJECT = 6, /* id, price, qty as requested, code */
  GB_EV_ORDER_REJECT = 7   /* id, side, price, qty as requested, code */
} gb_book_event_type;

typedef struct gb_book_event {
  int32_t type; /* gb_book_event_type */
  int32_t side; /* GB_BUY / GB_SELL (taker's side for trades) */
  int32_t code; /* rejects: the GB_ERR_* code; otherwise 0 */
  int32_t reserved;
  uint64_t id;       /* the order (the taker for trades) */
  uint64_t maker_id; /* trades only */
  uint64_t taker_id; /* trades only */
  int64_t price;     /* in ticks */
  int64_t qty;       /* in lots */
  int64_t maker_remaining; /* trades only */
  int64_t taker_remaining; /* trades only */
  int64_t old_price;       /* modify acks only */
  int64_t old_qty;         /* modify acks only */
} gb_book_event;

/* Called synchronously, once per event, in order, from inside the call that
 * caused it. It must not call back into the same book. */
typedef void (*gb_book_callback)(void* user, const gb_book_event* ev);

typedef struct gb_book gb_book; /* opaque */

/* A book for prices 1..max_price_ticks (<= GB_MAX_PRICE_TICKS) and at most
 * max_orders resting orders. Orders have no owner: any two orders may trade.
 * Returns NULL on bad arguments or when out of memory. */
GB_BOOK_API gb_book* gb_book_create(int64_t max_price_ticks, uint32_t max_orders, gb_book_callback cb, void* user);
GB_BOOK_API void gb_book_destroy(gb_book* book);

/* New limit order; ioc != 0 cancels whatever does not trade immediately,
 * otherwise the remainder rests (good till cancelled). */
GB_BOOK_API int gb_book_add(gb_book* book, uint64_t id, int side, int64_t price_ticks, int64_t qty, int ioc);
GB_BOOK_API int gb_book_cancel(gb_book* book, uint64_t id);
/* Cancel + re-insert at the new price and quantity: the order loses its
 * priority and may trade. */
GB_BOOK_API int gb_book_modify(gb_book* book, uint64_t id, int64_t new_price, int64_t new_qty);

GB_BOOK_API int64_t gb_book_best_bid(const gb_book* book); /* 0 when no bids */
GB_BOOK_API int64_t gb_book_best_ask(const gb_book* book); /* 0 when no asks */
GB_BOOK_API uint64_t gb_book_order_count(const gb_book* book);
/* Resting quantity at one price of a side (0 when none, or for a bad side,
 * price or book): what a caller would otherwise mirror from the events. */
GB_BOOK_API int64_t gb_book_level_qty(const gb_book* book, int side, int64_t price_ticks);

#ifdef __cplusplus
}
#endif

#endif /* GLASSBOOK_BOOK_H */
