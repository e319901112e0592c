// The open orders of a benchmark generator's shadow engine in one market, kept from its events, with
// O(1) random pick and removal.
#pragma once
#include <cstddef>
#include <unordered_map>
#include <vector>

#include "engine/event.h"

namespace glassbook::app {

struct OpenOrder {
  OrderId id;
  AccountId account;
  book::Side side;
  int64_t remaining;  // base units
};

class OpenOrders {
 public:
  void add(const OpenOrder& o) {
    pos_[o.id] = orders_.size();
    orders_.push_back(o);
  }
  void remove(OrderId id) {
    auto it = pos_.find(id);
    if (it == pos_.end()) return;
    size_t i = it->second;
    pos_.erase(it);
    if (i + 1 != orders_.size()) {
      orders_[i] = orders_.back();
      pos_[orders_[i].id] = i;
    }
    orders_.pop_back();
  }
  OpenOrder* find(OrderId id) {
    auto it = pos_.find(id);
    return it == pos_.end() ? nullptr : &orders_[it->second];
  }
  bool empty() const { return orders_.empty(); }
  size_t size() const { return orders_.size(); }
  OpenOrder& at(size_t i) { return orders_[i]; }

  // Follows one engine event about this market's orders (rests, trades, cancels, amends).
  void observe(const engine::Event& e) {
    using engine::EventKind;
    switch (e.kind) {
      case EventKind::OrderRested:
        if (OpenOrder* o = find(e.order_id)) o->remaining = e.remaining;
        else add(OpenOrder{e.order_id, e.account, e.side, e.remaining});
        break;
      case EventKind::Trade:
        if (e.maker_remaining == 0) remove(e.maker_order_id);
        else if (OpenOrder* o = find(e.maker_order_id)) o->remaining = e.maker_remaining;
        if (e.remaining == 0) remove(e.order_id);
        else if (OpenOrder* o = find(e.order_id)) o->remaining = e.remaining;
        break;
      case EventKind::OrderCancelled: remove(e.order_id); break;
      case EventKind::OrderAmended:
        if (OpenOrder* o = find(e.order_id)) o->remaining = e.quantity;
        break;
      default: break;
    }
  }

 private:
  std::vector<OpenOrder> orders_;
  std::unordered_map<OrderId, size_t> pos_;
};

}  // namespace glassbook::app
