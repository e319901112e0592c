// Take-profit and stop-loss attached to an order: reduce-only trigger orders created as the order
// fills, for the quantity filled, the one that fires cancelling the other.
#include "engine/engine.h"

namespace glassbook::engine {

namespace {
// TriggerAccepted for a take-profit or stop-loss, new or grown (quantity: its whole quantity now).
Event accepted_event(const TriggerOrder& t, OrderId parent) {
  Event e;
  e.kind = EventKind::TriggerAccepted;
  e.account = t.order.account;
  e.market = t.order.market;
  e.order_id = t.id;
  e.side = t.order.side;
  e.price = t.order.trigger_price;
  e.quantity = t.order.quantity;
  e.remaining = t.order.price;
  e.maker_order_id = parent;
  e.maker_remaining = static_cast<int64_t>(t.role);
  return e;
}
}  // namespace

// The pair is created at the order's first fill and grows with each later one, so an order filled in
// many trades carries one take-profit and one stop-loss, never one per trade. A take-profit of a buy
// fires when the price rises to it and its stop-loss when the price falls to it (a sell's the other
// way). Their room under the account's cap was reserved when the order was placed (slots_of), so a
// fill always creates them.
void Engine::on_parent_fill(const Command&, MarketId market, AccountId account, OrderId id, book::Side side, int64_t quantity) {
  Attached* a = triggers_.attached(id);
  if (a == nullptr) return;
  struct Made {
    TriggerOrder order;
    OrderId* slot;
  };
  std::vector<Made> made;
  auto child = [&](TriggerOrder::Role role, int64_t trigger, int64_t limit, TriggerBy by, OrderId& slot) {
    if (trigger == 0) return;
    if (slot != 0 && triggers_.find(slot) != nullptr) {
      triggers_.add_quantity(slot, quantity);
      const TriggerOrder& grown = *triggers_.find(slot);
      events_.push_back(accepted_event(grown, id));
      return;
    }
    TriggerOrder t;
    t.order.account = account;
    t.order.market = market;
    t.order.side = book::opposite(side);
    t.order.type = limit != 0 ? OrderType::Limit : OrderType::Market;
    t.order.price = limit;
    t.order.quantity = quantity;
    t.order.trigger_price = trigger;
    t.order.trigger_by = by;
    t.rises = (role == TriggerOrder::Role::TakeProfit) == (side == book::Side::Buy);
    t.role = role;
    t.parent = id;
    t.id = next_order_id_++;
    made.push_back({t, &slot});
  };
  child(TriggerOrder::Role::TakeProfit, a->take_profit_trigger, a->take_profit_limit, a->take_profit_by, a->take_profit);
  child(TriggerOrder::Role::StopLoss, a->stop_loss_trigger, a->stop_loss_limit, a->stop_loss_by, a->stop_loss);
  // Siblings name each other when they are made together (or one joins a pending one).
  const OrderId other_tp = a->take_profit, other_sl = a->stop_loss;
  for (Made& m : made) {
    const bool tp = m.order.role == TriggerOrder::Role::TakeProfit;
    for (const Made& n : made)
      if (&n != &m) m.order.sibling = n.order.id;
    if (m.order.sibling == 0) {
      const OrderId pending = tp ? other_sl : other_tp;
      if (pending != 0 && triggers_.find(pending) != nullptr) m.order.sibling = pending;
    }
    *m.slot = m.order.id;
    events_.push_back(accepted_event(m.order, id));
    triggers_.add(std::move(m.order));
  }
}

void Engine::on_parent_done(OrderId id) {
  const Attached* a = triggers_.attached(id);
  if (a == nullptr || markets_[a->market].book->find(id) != nullptr) return;
  const bool children = (a->take_profit != 0 && triggers_.find(a->take_profit) != nullptr) ||
                        (a->stop_loss != 0 && triggers_.find(a->stop_loss) != nullptr);
  if (!children) triggers_.detach(id);
}

void Engine::cancel_sibling(const TriggerOrder& fired) {
  if (fired.role == TriggerOrder::Role::Own) return;
  OrderId other = fired.sibling;
  if (const Attached* a = triggers_.attached(fired.parent))
    other = fired.role == TriggerOrder::Role::TakeProfit ? a->stop_loss : a->take_profit;
  if (other != 0) cancel_trigger(fired.order.account, fired.order.market, other);
  on_parent_done(fired.parent);
}

}  // namespace glassbook::engine
