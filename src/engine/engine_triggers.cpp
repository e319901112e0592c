// Trigger (stop) orders in the engine: placing one, cancelling it, and entering those a price reached.
#include <fmt/format.h>

#include <algorithm>

#include "engine/engine.h"
#include "engine/order_checks.h"

namespace glassbook::engine {

namespace {
const char* price_name(TriggerBy by) { return by == TriggerBy::MarkPrice ? "mark price" : "last price"; }
}  // namespace

// A trigger order sized as a share of the position (Backpack's triggerQuantity "50%", its "entire
// position" stop at 100%): only for a perpetual, and only while there is a position its side reduces,
// since the share is of that position when the order fires. Its quantity is 0 until then.
Status Engine::check_position_share(const PlaceOrder& p, const Market& m) {
  if (p.quantity != 0 || p.quantity_share_bps > 10000)
    return reject(Error::InvalidQuantity, "a share of the position is 1..10000 basis points, with no quantity beside it");
  if (!m.is_perp())
    return reject(Error::InvalidArgument,
                  fmt::format("triggerQuantity as a share of the position is for perpetual markets: {} is spot, give a quantity", m.cfg.symbol));
  if (reducible_lots(p.account, p.market, p.side) == 0)
    return reject(Error::ReduceOnly, fmt::format("a share of the position needs a {} position in {} that this {} order reduces",
                                                 p.side == book::Side::Sell ? "long" : "short", m.cfg.symbol,
                                                 p.side == book::Side::Sell ? "sell" : "buy"));
  return {};
}

// The lots of the account's position in a perpetual that an order of `side` reduces (0: none).
int64_t Engine::reducible_lots(AccountId account, MarketId market, book::Side side) const {
  const PerpPosition* pos = position(account, market);
  const int64_t lots = pos == nullptr ? 0 : pos->lots;
  return side == book::Side::Sell ? std::max<int64_t>(lots, 0) : std::max<int64_t>(-lots, 0);
}

int64_t Engine::trigger_reference(MarketId market, TriggerBy by, Timestamp now) {
  if (by == TriggerBy::LastPrice) return markets_[market].stats.last_price;
  if (!markets_[market].is_perp()) return 0;
  const RiskPrices prices = current_prices(now);
  return prices.mark[market].value_or(0);
}

// A trigger order reserves nothing while it waits (as on Backpack): funds and margin are judged when
// it fires, as for any new order, and an order that no longer fits fails then (TriggerFailed). What
// can be judged now is: its market, its steps and bounds, its client id, and the account's cap.
Status Engine::place_trigger(const Command& c, const PlaceOrder& p) {
  auto mid = market_of(p.market);
  if (!mid) return mid.status();
  if (auto s = authorize(c, p.account); !s) return s;
  if (auto link = isolated(p.account); link && link->market != p.market)
    return reject(Error::InvalidArgument, "an isolated account trades only " + markets_[link->market].cfg.symbol);
  // In a claim market the account must be eligible now, and again when the order fires.
  if (auto estate = claim_estate(p.market))
    if (auto s = check_claim_trader(*estate, p.account, p.side, c.timestamp); !s) return s;
  const Market& m = markets_[p.market];
  if (p.quote_quantity != 0) return reject(Error::InvalidArgument, "a trigger order gives its quantity, not a quote quantity");
  if (p.quantity_share_bps != 0) {
    if (auto s = check_position_share(p, m); !s) return s;
  } else if (auto s = check_quantity(config_, m.cfg, p.quantity); !s) {
    return s;
  }
  if (p.type == OrderType::Limit || p.price != 0)
    if (auto s = check_price(config_, m.cfg, p.price); !s) return s;
  if (p.type == OrderType::Market && p.tif == TimeInForce::PostOnly) return reject(Error::InvalidArgument, "a market order cannot be post-only");
  if (auto s = check_price(config_, m.cfg, p.trigger_price); !s) return reject(s.code(), "trigger " + s.message());
  if (p.trigger_by == TriggerBy::MarkPrice && !m.is_perp())
    return reject(Error::InvalidArgument, fmt::format("triggerBy MarkPrice is for perpetual markets: {} has no mark price", m.cfg.symbol));
  if (p.type == OrderType::Limit && p.quantity_share_bps == 0 && hold_for(m, p.side, p.price / m.cfg.tick_size, p.quantity / m.cfg.lot_size) < 0)
    return notional_out_of_range(config_, m.cfg);
  const int64_t now_price = trigger_reference(p.market, p.trigger_by, c.timestamp);
  if (now_price == 0)
    return reject(Error::InvalidPrice, fmt::format("{} has no {} yet: a trigger order needs one to compare its trigger price with",
                                                   m.cfg.symbol, price_name(p.trigger_by)));
  if (now_price == p.trigger_price)
    return reject(Error::InvalidPrice, fmt::format("trigger price {} is the {} of {} now: send the order itself",
                                                   quote_text(config_, m.cfg, p.trigger_price), price_name(p.trigger_by), m.cfg.symbol));
  const uint64_t client_key = (static_cast<uint64_t>(p.account) << 32) | p.client_id;
  if (p.client_id != 0 && client_ids_.contains(client_key))
    return reject(Error::DuplicateClientOrderId, "client id already used by an open order");
  if (auto s = triggers_.can_add(p.account, p.client_id); !s) return s;

  TriggerOrder t{next_order_id_++, p, p.trigger_price > now_price};
  Event e;
  e.kind = EventKind::TriggerAccepted;
  e.account = p.account;
  e.market = p.market;
  e.order_id = t.id;
  e.client_id = p.client_id;
  e.side = p.side;
  e.price = p.trigger_price;
  e.quantity = p.quantity;
  e.remaining = p.price;
  events_.push_back(e);
  triggers_.add(std::move(t));
  return {};
}

bool Engine::cancel_trigger(AccountId account, MarketId market, OrderId id) {
  const TriggerOrder* pending = triggers_.find(id);
  if (pending == nullptr || pending->order.account != account || pending->order.market != market) return false;
  const TriggerOrder t = *triggers_.take(id);
  Event e;
  e.kind = EventKind::OrderCancelled;
  e.cause = CancelCause::User;
  e.account = account;
  e.market = market;
  e.order_id = id;
  e.side = t.order.side;
  e.price = t.order.price;
  e.remaining = t.order.quantity;
  events_.push_back(e);
  if (t.role != TriggerOrder::Role::Own) on_parent_done(t.parent);
  return true;
}

// One order at a time: the first market (by id) with an order its prices reached, that order, then
// the prices again, since its trades may reach the next. Each firing takes one order out for good (a
// fired order has no trigger), so this ends within the number pending at the start.
void Engine::fire_triggers(const Command& c) {
  for (size_t left = triggers_.size(); left > 0 && !triggers_.empty(); --left) {
    std::optional<OrderId> next;
    int64_t last = 0, mark = 0;
    for (MarketId mid : triggers_.markets()) {
      last = markets_[mid].stats.last_price;
      mark = triggers_.watches_mark(mid) ? trigger_reference(mid, TriggerBy::MarkPrice, c.timestamp) : 0;
      next = triggers_.next_to_fire(mid, last, mark);
      if (next) break;
    }
    if (!next) return;
    const TriggerOrder t = *triggers_.take(*next);
    PlaceOrder order = t.order;
    order.trigger_price = 0;
    // A share of the position becomes that share of it now, in whole lots, rounded down. A
    // take-profit or stop-loss only reduces: no more than the position it closes (a perpetual) or
    // the base the account has free (a spot sell), judged now.
    Status reducible;
    if (order.quantity_share_bps != 0) {
      const Market& m = markets_[order.market];
      const auto lots = static_cast<__int128>(reducible_lots(order.account, order.market, order.side));
      order.quantity = static_cast<int64_t>(lots * order.quantity_share_bps / 10000) * m.cfg.lot_size;
      order.quantity_share_bps = 0;
      if (order.quantity <= 0) reducible = Status(Error::ReduceOnly, "reduce-only: the share of the position is less than a lot");
    } else if (t.role != TriggerOrder::Role::Own) {
      const Market& m = markets_[order.market];
      int64_t most = INT64_MAX;
      if (m.is_perp()) {
        most = reducible_lots(order.account, order.market, order.side) * m.cfg.lot_size;
      } else if (order.side == book::Side::Sell) {
        const ledger::Balance& b = ledger_.balance(order.account, m.cfg.base);
        most = (b.total - b.held) / m.cfg.lot_size * m.cfg.lot_size;
      }
      order.quantity = std::min(order.quantity, most);
      if (order.quantity <= 0) reducible = Status(Error::ReduceOnly, "reduce-only: nothing left to reduce");
    }

    Event fired;
    fired.kind = EventKind::TriggerFired;
    fired.account = order.account;
    fired.market = order.market;
    fired.order_id = t.id;
    fired.client_id = order.client_id;
    fired.side = order.side;
    fired.price = t.order.trigger_by == TriggerBy::MarkPrice ? mark : last;
    events_.push_back(fired);

    // The order enters as its owner's, under its own id, through the same path as any new order.
    const Command as_owner{c.seq, c.timestamp, account_keys_[order.account - kFirstCustomer], order};
    fired_id_ = t.id;
    const Status s = reducible ? on(as_owner, order) : reducible;
    fired_id_.reset();
    if (!s) {
      Event failed = fired;
      failed.kind = EventKind::TriggerFailed;
      failed.error = s.code();
      failed.message = s.message();
      failed.price = order.price;
      events_.push_back(std::move(failed));
    }
    cancel_sibling(t);
  }
}

}  // namespace glassbook::engine
