// Trigger orders waiting for their price: bookkeeping, the order a price move fires next, and their bytes.
#include "engine/trigger_orders.h"

#include <fmt/format.h>

#include "core/assert.h"

namespace glassbook::engine {

namespace {
// The flags byte of an order's bytes: fires on a rise; its quantity field is a share of the position in
// basis points (PlaceOrder::quantity_share_bps). An order without a share keeps the bytes it had.
constexpr uint8_t kRises = 1, kShare = 2;

size_t requested(const Attached& a) { return (a.take_profit_trigger != 0 ? 1 : 0) + (a.stop_loss_trigger != 0 ? 1 : 0); }

void release_slots(std::map<AccountId, size_t>& slots, AccountId account, size_t n) {
  auto it = slots.find(account);
  GB_ASSERT(it != slots.end() && it->second >= n);  // only slots that were taken are released
  if ((it->second -= n) == 0) slots.erase(it);
}
}  // namespace

Status TriggerOrders::can_add(AccountId account, uint32_t client_id) const {
  if (slots_of(account) >= kMaxPerAccount)
    return Status(Error::BookFull, fmt::format("an account may hold at most {} trigger orders, counting the take-profit and stop-loss its open orders carry", kMaxPerAccount));
  if (client_id != 0 && clients_.contains(client_key(account, client_id)))
    return Status(Error::DuplicateClientOrderId, "client id already used by a pending trigger order");
  return {};
}

void TriggerOrders::add(TriggerOrder t) {
  queue_of(t).insert(key_of(t));
  ++per_account_[t.order.account];
  if (t.role == TriggerOrder::Role::Own) ++slots_[t.order.account];
  if (t.order.client_id != 0) clients_.emplace(client_key(t.order.account, t.order.client_id), t.id);
  const OrderId id = t.id;
  orders_.emplace(id, std::move(t));
}

std::optional<TriggerOrder> TriggerOrders::take(OrderId id) {
  auto it = orders_.find(id);
  if (it == orders_.end()) return std::nullopt;
  TriggerOrder t = std::move(it->second);
  orders_.erase(it);
  queue_of(t).erase(key_of(t));
  if (queues_[t.order.market].empty()) queues_.erase(t.order.market);
  if (--per_account_[t.order.account] == 0) per_account_.erase(t.order.account);
  if (t.role == TriggerOrder::Role::Own) release_slots(slots_, t.order.account, 1);
  if (t.order.client_id != 0) clients_.erase(client_key(t.order.account, t.order.client_id));
  return t;
}

void TriggerOrders::add_quantity(OrderId id, int64_t quantity) {
  auto it = orders_.find(id);
  if (it != orders_.end()) it->second.order.quantity += quantity;
}

size_t TriggerOrders::slots_of(AccountId account) const {
  auto it = slots_.find(account);
  return it == slots_.end() ? 0 : it->second;
}

void TriggerOrders::attach(OrderId parent, Attached a) {
  if (attached_.emplace(parent, a).second) slots_[a.account] += requested(a);
}

void TriggerOrders::detach(OrderId parent) {
  auto it = attached_.find(parent);
  if (it == attached_.end()) return;
  release_slots(slots_, it->second.account, requested(it->second));
  attached_.erase(it);
}

Attached* TriggerOrders::attached(OrderId parent) {
  auto it = attached_.find(parent);
  return it == attached_.end() ? nullptr : &it->second;
}

const TriggerOrder* TriggerOrders::find(OrderId id) const {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

std::optional<OrderId> TriggerOrders::by_client(AccountId account, uint32_t client_id) const {
  auto it = clients_.find(client_key(account, client_id));
  if (client_id == 0 || it == clients_.end()) return std::nullopt;
  return it->second;
}

std::vector<OrderId> TriggerOrders::of_account(AccountId account, MarketId market) const {
  std::vector<OrderId> out;
  if (!per_account_.contains(account)) return out;
  for (const auto& [id, t] : orders_)
    if (t.order.account == account && (market == kAllMarkets || t.order.market == market)) out.push_back(id);
  return out;
}

size_t TriggerOrders::count_of(AccountId account) const {
  auto it = per_account_.find(account);
  return it == per_account_.end() ? 0 : it->second;
}

std::optional<OrderId> TriggerOrders::next_to_fire(MarketId market, int64_t last, int64_t mark) const {
  auto q = queues_.find(market);
  if (q == queues_.end()) return std::nullopt;
  std::optional<OrderId> best;
  auto consider = [&](const Queue& queue, bool rising, int64_t price) {
    if (price <= 0 || queue.empty()) return;
    const auto& [key, id] = *queue.begin();
    const bool reached = rising ? price >= key : price <= -key;
    if (reached && (!best || id < *best)) best = id;
  };
  const int64_t prices[2] = {last, mark};
  for (size_t by = 0; by < 2; ++by) {
    consider(q->second.rising[by], true, prices[by]);
    consider(q->second.falling[by], false, prices[by]);
  }
  return best;
}

bool TriggerOrders::watches_mark(MarketId market) const {
  auto q = queues_.find(market);
  const auto mark = static_cast<size_t>(TriggerBy::MarkPrice);
  return q != queues_.end() && (!q->second.rising[mark].empty() || !q->second.falling[mark].empty());
}

std::vector<MarketId> TriggerOrders::markets() const {
  std::vector<MarketId> out;
  for (const auto& [m, q] : queues_) out.push_back(m);
  return out;
}

void TriggerOrders::write(ByteWriter& w) const {
  w.u32(static_cast<uint32_t>(orders_.size()));
  for (const auto& [id, t] : orders_) {
    const PlaceOrder& p = t.order;
    w.u64(id);
    w.u32(p.account);
    w.u16(p.market);
    w.u8(static_cast<uint8_t>(p.side));
    w.u8(static_cast<uint8_t>(p.type));
    w.u8(static_cast<uint8_t>(p.tif));
    w.u8(static_cast<uint8_t>(p.stp));
    w.i64(p.price);
    w.i64(p.quantity_share_bps != 0 ? p.quantity_share_bps : p.quantity);
    w.u32(p.client_id);
    w.i64(p.trigger_price);
    w.u8(static_cast<uint8_t>(p.trigger_by));
    w.u8(static_cast<uint8_t>((t.rises ? kRises : 0) | (p.quantity_share_bps != 0 ? kShare : 0)));
    w.u8(static_cast<uint8_t>(t.role));
    w.u64(t.parent);
    w.u64(t.sibling);
  }
  w.u32(static_cast<uint32_t>(attached_.size()));
  for (const auto& [parent, a] : attached_) {
    w.u64(parent);
    w.u32(a.account);
    w.u16(a.market);
    w.u8(static_cast<uint8_t>(a.side));
    w.i64(a.take_profit_trigger);
    w.i64(a.take_profit_limit);
    w.u8(static_cast<uint8_t>(a.take_profit_by));
    w.i64(a.stop_loss_trigger);
    w.i64(a.stop_loss_limit);
    w.u8(static_cast<uint8_t>(a.stop_loss_by));
    w.u64(a.take_profit);
    w.u64(a.stop_loss);
  }
}

Status TriggerOrders::read(ByteReader& r) {
  uint32_t n = 0;
  r.u32(n);
  if (!r.ok()) return Status(Error::Corruption, "trigger orders: truncated");
  OrderId previous = 0;
  for (uint32_t i = 0; i < n; ++i) {
    TriggerOrder t;
    PlaceOrder& p = t.order;
    uint8_t side = 0, type = 0, tif = 0, stp = 0, by = 0, flags = 0, role = 0;
    r.u64(t.id);
    r.u32(p.account);
    r.u16(p.market);
    r.u8(side);
    r.u8(type);
    r.u8(tif);
    r.u8(stp);
    r.i64(p.price);
    r.i64(p.quantity);
    r.u32(p.client_id);
    r.i64(p.trigger_price);
    r.u8(by);
    r.u8(flags);
    r.u8(role);
    r.u64(t.parent);
    r.u64(t.sibling);
    if (!r.ok()) return Status(Error::Corruption, "trigger orders: truncated");
    auto bad = [&](const char* why) { return Status(Error::Corruption, fmt::format("trigger order {}: {}", t.id, why)); };
    if (t.id <= previous) return bad("ids not increasing");
    previous = t.id;
    if (side > static_cast<uint8_t>(Side::Sell) || type > static_cast<uint8_t>(OrderType::Market) ||
        tif > static_cast<uint8_t>(TimeInForce::PostOnly) || stp > static_cast<uint8_t>(Stp::CancelBoth) ||
        by > static_cast<uint8_t>(TriggerBy::MarkPrice) || role > static_cast<uint8_t>(TriggerOrder::Role::StopLoss) ||
        (flags & ~(kRises | kShare)) != 0)
      return bad("an enum out of range");
    t.rises = (flags & kRises) != 0;
    if ((flags & kShare) != 0) {
      if (p.quantity <= 0 || p.quantity > 10000 || t.role != TriggerOrder::Role::Own) return bad("a share of the position out of range");
      p.quantity_share_bps = static_cast<uint16_t>(p.quantity);
      p.quantity = 0;
    }
    p.side = static_cast<Side>(side);
    p.type = static_cast<OrderType>(type);
    p.tif = static_cast<TimeInForce>(tif);
    p.stp = static_cast<Stp>(stp);
    p.trigger_by = static_cast<TriggerBy>(by);
    t.role = static_cast<TriggerOrder::Role>(role);
    if ((t.role == TriggerOrder::Role::Own) != (t.parent == 0) || (t.role == TriggerOrder::Role::Own && t.sibling != 0))
      return bad("a take-profit or stop-loss without its order, or an own order with one");
    if ((p.quantity <= 0 && p.quantity_share_bps == 0) || p.trigger_price <= 0 || p.price < 0)
      return bad("a quantity, price or trigger price out of range");
    if (auto s = can_add(p.account, p.client_id); !s) return bad(s.code() == Error::BookFull ? "over the account's cap" : "client id twice");
    add(std::move(t));
  }
  for (const auto& [id, t] : orders_)
    if (t.sibling != 0 && (!orders_.contains(t.sibling) || orders_.at(t.sibling).sibling != id))
      return Status(Error::Corruption, fmt::format("trigger order {}: its sibling {} does not name it", id, t.sibling));
  uint32_t attached = 0;
  r.u32(attached);
  if (!r.ok()) return Status(Error::Corruption, "attached orders: truncated");
  OrderId previous_parent = 0;
  for (uint32_t i = 0; i < attached; ++i) {
    OrderId parent = 0;
    Attached a;
    uint8_t side = 0, tp_by = 0, sl_by = 0;
    r.u64(parent);
    r.u32(a.account);
    r.u16(a.market);
    r.u8(side);
    r.i64(a.take_profit_trigger);
    r.i64(a.take_profit_limit);
    r.u8(tp_by);
    r.i64(a.stop_loss_trigger);
    r.i64(a.stop_loss_limit);
    r.u8(sl_by);
    r.u64(a.take_profit);
    r.u64(a.stop_loss);
    if (!r.ok()) return Status(Error::Corruption, "attached orders: truncated");
    auto bad = [&](const char* why) { return Status(Error::Corruption, fmt::format("order {}'s take-profit and stop-loss: {}", parent, why)); };
    if (parent <= previous_parent) return bad("ids not increasing");
    previous_parent = parent;
    if (side > static_cast<uint8_t>(Side::Sell) || tp_by > static_cast<uint8_t>(TriggerBy::MarkPrice) ||
        sl_by > static_cast<uint8_t>(TriggerBy::MarkPrice))
      return bad("an enum out of range");
    a.side = static_cast<Side>(side);
    a.take_profit_by = static_cast<TriggerBy>(tp_by);
    a.stop_loss_by = static_cast<TriggerBy>(sl_by);
    if (a.take_profit_trigger < 0 || a.stop_loss_trigger < 0 || a.take_profit_limit < 0 || a.stop_loss_limit < 0 ||
        (a.take_profit_trigger == 0 && a.stop_loss_trigger == 0))
      return bad("prices out of range");
    for (OrderId child : {a.take_profit, a.stop_loss})
      if (child != 0 && (!orders_.contains(child) || orders_.at(child).parent != parent)) return bad("a child that is not pending");
    attach(parent, a);
  }
  for (const auto& [account, n] : slots_)
    if (n > kMaxPerAccount) return Status(Error::Corruption, fmt::format("account {}: {} trigger slots, over the cap", account, n));
  return {};
}

}  // namespace glassbook::engine
