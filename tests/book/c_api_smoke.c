/* Smoke test of the C interface, compiled as C99 and linked to the shared
 * library: the header is valid C and the library adds, trades, cancels, modifies
 * and rejects through the callback. Exits non-zero on the first failure. */
#include <stdio.h>
#include <string.h>

#include "glassbook/book.h"

#define MAX_EVENTS 64

typedef struct {
  gb_book_event ev[MAX_EVENTS];
  int n;
} recorder;

static void record(void* user, const gb_book_event* ev) {
  recorder* r = (recorder*)user;
  if (r->n < MAX_EVENTS) r->ev[r->n] = *ev;
  r->n++;
}

static int failures = 0;
#define CHECK(cond)                                                 \
  do {                                                              \
    if (!(cond)) {                                                  \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                   \
    }                                                               \
  } while (0)

int main(void) {
  recorder rec;
  gb_book* book;
  memset(&rec, 0, sizeof rec);

  CHECK(gb_book_create(0, 10, record, &rec) == NULL);
  CHECK(gb_book_create(GB_MAX_PRICE_TICKS + 1, 10, record, &rec) == NULL);
  CHECK(gb_book_create(1000, 0, record, &rec) == NULL);
  book = gb_book_create(1000, 16, record, &rec);
  CHECK(book != NULL);
  if (book == NULL) return 1;

  /* Rest a sell, then an opposite buy trades at the maker's price. */
  CHECK(gb_book_add(book, 1, GB_SELL, 101, 10, 0) == GB_OK);
  CHECK(rec.n == 1 && rec.ev[0].type == GB_EV_ORDER_ACK && rec.ev[0].id == 1);
  CHECK(gb_book_best_ask(book) == 101 && gb_book_best_bid(book) == 0);
  rec.n = 0;
  CHECK(gb_book_add(book, 2, GB_BUY, 105, 4, 0) == GB_OK);
  CHECK(rec.n == 2);
  CHECK(rec.ev[1].type == GB_EV_TRADE && rec.ev[1].maker_id == 1 && rec.ev[1].taker_id == 2 &&
        rec.ev[1].price == 101 && rec.ev[1].qty == 4 && rec.ev[1].maker_remaining == 6);
  CHECK(gb_book_order_count(book) == 1);

  /* IOC remainder: trade 6, cancel ack for 3. */
  rec.n = 0;
  CHECK(gb_book_add(book, 3, GB_BUY, 101, 9, 1) == GB_OK);
  CHECK(rec.n == 3 && rec.ev[1].type == GB_EV_TRADE && rec.ev[1].qty == 6);
  CHECK(rec.ev[2].type == GB_EV_CANCEL_ACK && rec.ev[2].id == 3 && rec.ev[2].qty == 3);
  CHECK(gb_book_order_count(book) == 0);

  /* Modify loses priority and may trade; cancel acks the remaining quantity. */
  CHECK(gb_book_add(book, 4, GB_BUY, 99, 5, 0) == GB_OK);
  CHECK(gb_book_add(book, 5, GB_SELL, 110, 5, 0) == GB_OK);
  rec.n = 0;
  CHECK(gb_book_modify(book, 5, 99, 8) == GB_OK);
  CHECK(rec.n == 2 && rec.ev[0].type == GB_EV_MODIFY_ACK && rec.ev[0].price == 99 && rec.ev[0].qty == 8);
  CHECK(rec.ev[0].old_price == 110 && rec.ev[0].old_qty == 5);
  CHECK(rec.ev[1].type == GB_EV_TRADE && rec.ev[1].maker_id == 4 && rec.ev[1].taker_id == 5);
  CHECK(gb_book_best_ask(book) == 99 && gb_book_best_bid(book) == 0);
  rec.n = 0;
  CHECK(gb_book_cancel(book, 5) == GB_OK);
  CHECK(rec.n == 1 && rec.ev[0].type == GB_EV_CANCEL_ACK && rec.ev[0].qty == 3);

  /* Rejects. */
  rec.n = 0;
  CHECK(gb_book_cancel(book, 5) == GB_ERR_NOT_FOUND);
  CHECK(rec.n == 1 && rec.ev[0].type == GB_EV_CANCEL_REJECT && rec.ev[0].code == GB_ERR_NOT_FOUND);
  CHECK(gb_book_modify(book, 77, 10, 1) == GB_ERR_NOT_FOUND);
  CHECK(rec.ev[1].type == GB_EV_MODIFY_REJECT);
  CHECK(gb_book_add(book, 6, GB_BUY, 0, 1, 0) == GB_ERR_BAD_PRICE);
  CHECK(gb_book_add(book, 6, GB_BUY, 1001, 1, 0) == GB_ERR_BAD_PRICE);
  CHECK(gb_book_add(book, 6, GB_BUY, 10, 0, 0) == GB_ERR_BAD_QTY);
  CHECK(gb_book_add(book, 6, 7, 10, 1, 0) == GB_ERR_BAD_SIDE);
  CHECK(rec.n == 6 && rec.ev[5].type == GB_EV_ORDER_REJECT && rec.ev[5].code == GB_ERR_BAD_SIDE);
  CHECK(gb_book_add(book, 6, GB_BUY, 10, 1, 0) == GB_OK);
  CHECK(gb_book_add(book, 6, GB_BUY, 11, 1, 0) == GB_ERR_DUPLICATE_ID);
  CHECK(gb_book_add(NULL, 6, GB_BUY, 11, 1, 0) == GB_ERR_NULL);

  /* Depth at one price, without mirroring the events. */
  CHECK(gb_book_level_qty(book, GB_BUY, 10) == 1);
  CHECK(gb_book_add(book, 7, GB_BUY, 10, 4, 0) == GB_OK);
  CHECK(gb_book_level_qty(book, GB_BUY, 10) == 5);
  CHECK(gb_book_level_qty(book, GB_SELL, 10) == 0);
  CHECK(gb_book_level_qty(book, GB_BUY, 11) == 0);
  CHECK(gb_book_level_qty(book, GB_BUY, 0) == 0 && gb_book_level_qty(book, GB_BUY, 1001) == 0);
  CHECK(gb_book_level_qty(book, 9, 10) == 0 && gb_book_level_qty(NULL, GB_BUY, 10) == 0);
  gb_book_destroy(book);
  gb_book_destroy(NULL);

  /* A full book still trades an order that needs no slot; one that would rest is refused. */
  book = gb_book_create(1000, 2, record, &rec);
  CHECK(book != NULL);
  if (book == NULL) return 1;
  CHECK(gb_book_add(book, 1, GB_SELL, 100, 3, 0) == GB_OK);
  CHECK(gb_book_add(book, 2, GB_SELL, 101, 3, 0) == GB_OK);
  CHECK(gb_book_add(book, 3, GB_BUY, 101, 7, 0) == GB_ERR_BOOK_FULL);
  CHECK(gb_book_order_count(book) == 2 && gb_book_level_qty(book, GB_SELL, 100) == 3);
  rec.n = 0;
  CHECK(gb_book_add(book, 3, GB_BUY, 101, 4, 0) == GB_OK);
  CHECK(rec.n == 3 && rec.ev[1].type == GB_EV_TRADE && rec.ev[2].type == GB_EV_TRADE && rec.ev[2].taker_remaining == 0);
  CHECK(gb_book_order_count(book) == 1 && gb_book_level_qty(book, GB_SELL, 101) == 2);
  gb_book_destroy(book);
  if (failures == 0) printf("c_api_smoke: ok\n");
  return failures == 0 ? 0 : 1;
}
