// Helpers shared by the book tests: placing orders, picking events, snapshots.
#pragma once
#include <gtest/gtest.h>

#include <ostream>
#include <tuple>
#include <utility>
#include <vector>

#include "book/order_book.h"

namespace glassbook::book {

// For test failure messages (found by argument-dependent lookup).
inline std::ostream& operator<<(std::ostream& os, const Event& e) {
  return os << "{kind " << int(e.kind) << " id " << e.id << " acct " << e.account << " side " << int(e.side)
            << " px " << e.price << " qty " << e.qty << " rem " << e.remaining << " maker " << e.maker_id << "/"
            << e.maker_account << "/" << e.maker_remaining << " reason " << int(e.reason) << " reject "
            << int(e.reject) << "}";
}

}  // namespace glassbook::book

namespace glassbook::book::testing {

inline bool same_event(const Event& a, const Event& b) {
  return a.kind == b.kind && a.side == b.side && a.reason == b.reason && a.reject == b.reject &&
         a.account == b.account && a.id == b.id && a.price == b.price && a.qty == b.qty &&
         a.remaining == b.remaining && a.maker_id == b.maker_id && a.maker_remaining == b.maker_remaining &&
         a.maker_account == b.maker_account;
}

inline BookConfig small_config(uint32_t max_orders = 1000, Ticks max_price = 1000) {
  BookConfig c;
  c.max_price_ticks = max_price;
  c.max_orders = max_orders;
  return c;
}

// Places an order and returns its events.
inline std::vector<Event> place(OrderBook& b, OrderId id, AccountId account, Side side, Ticks price, Lots qty,
                                TimeInForce tif = TimeInForce::GTC, Stp stp = Stp::CancelNewest,
                                Reject* result = nullptr) {
  std::vector<Event> out;
  Reject r = b.add(NewOrder{id, account, side, price, qty, tif, stp}, out);
  if (result) *result = r;
  return out;
}

inline std::vector<Event> of_kind(const std::vector<Event>& events, Event::Kind kind) {
  std::vector<Event> r;
  for (const Event& e : events)
    if (e.kind == kind) r.push_back(e);
  return r;
}

struct Trade {
  OrderId maker, taker;
  Ticks price;
  Lots qty;
  bool operator==(const Trade&) const = default;
};
inline std::ostream& operator<<(std::ostream& os, const Trade& t) {
  return os << "{maker " << t.maker << " taker " << t.taker << " px " << t.price << " qty " << t.qty << "}";
}

inline std::vector<Trade> trades(const std::vector<Event>& events) {
  std::vector<Trade> r;
  for (const Event& e : events)
    if (e.kind == Event::Kind::Trade) r.push_back(Trade{e.maker_id, e.id, e.price, e.qty});
  return r;
}

using Levels = std::vector<std::pair<Ticks, Lots>>;  // (price, qty), best first
inline Levels levels(const OrderBook& b, Side s, size_t n = 1000) {
  std::vector<OrderBook::Level> d;
  b.depth(s, n, d);
  Levels r;
  for (const auto& l : d) r.emplace_back(l.price, l.qty);
  return r;
}

// Everything observable about the book's resting state, for before/after comparisons.
struct Snapshot {
  Levels bids, asks;
  std::vector<std::tuple<OrderId, AccountId, Ticks, Lots, uint64_t>> orders;
  size_t count;
  Ticks best_bid, best_ask;
  bool operator==(const Snapshot&) const = default;
};
inline Snapshot snapshot(const OrderBook& b) {
  Snapshot s{levels(b, Side::Buy), levels(b, Side::Sell), {}, b.order_count(), b.best_bid(), b.best_ask()};
  for (Side side : {Side::Buy, Side::Sell})
    b.for_each_order(side, [&](const Order& o) { s.orders.emplace_back(o.id, o.account, o.price, o.remaining, o.seq); });
  return s;
}

}  // namespace glassbook::book::testing
