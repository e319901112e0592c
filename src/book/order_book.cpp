// OrderBook: matching, resting, removal and the consistency check.
#include "book/order_book.h"

#include "core/assert.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace glassbook::book {
namespace {

inline Event make_event(Event::Kind kind, OrderId id, AccountId account, Side side, Ticks price, Lots qty) {
  Event e{};
  e.kind = kind;
  e.id = id;
  e.account = account;
  e.side = side;
  e.price = price;
  e.qty = qty;
  return e;
}

const BookConfig& checked(const BookConfig& config) {
  if (config.max_price_ticks < 1 || config.max_price_ticks > kMaxPriceTicks)
    throw std::invalid_argument("book: max_price_ticks out of [1, 2^26]");
  if (config.max_orders < 1 || config.max_orders > kMaxOrders)
    throw std::invalid_argument("book: max_orders out of [1, 2^31]");
  return config;
}

size_t initial_id_capacity(uint32_t max_orders) {
  return std::min<size_t>(size_t{max_orders} * 2, 4096);
}

}  // namespace

OrderBook::OrderBook(const BookConfig& config)
    : config_(checked(config)),
      pool_(config.max_orders),
      ids_(initial_id_capacity(config.max_orders)),
      sides_{SideBook(config.max_price_ticks), SideBook(config.max_price_ticks)} {}

Ticks OrderBook::next_level(Side s, Ticks from) const {
  const LevelBitmap& bm = side(s).bitmap;
  int64_t p = s == Side::Buy ? bm.find_prev(from - 1) : bm.find_next(from + 1);
  return p == LevelBitmap::kNone ? 0 : p;
}

Reject OrderBook::validate(const NewOrder& o) const {
  if (static_cast<uint8_t>(o.side) > 1 || static_cast<uint8_t>(o.tif) > static_cast<uint8_t>(TimeInForce::PostOnly) ||
      static_cast<uint8_t>(o.stp) > static_cast<uint8_t>(Stp::CancelBoth))
    return Reject::BadSide;
  if (o.price < 1 || o.price > config_.max_price_ticks) return Reject::BadPrice;
  if (o.qty <= 0) return Reject::BadQuantity;
  if (ids_.find(o.id) != IndexMap<OrderId>::kEmpty) return Reject::DuplicateId;
  // A full book refuses only what would need a slot: a post-only order, or a GTC order that would
  // not fill completely now (one that would trades as an IOC order does).
  if (pool_.full() && (o.tif == TimeInForce::PostOnly || (o.tif == TimeInForce::GTC && !fok_fillable(o)))) return Reject::BookFull;
  return Reject::None;
}

Reject OrderBook::reject(const NewOrder& o, Reject r, std::vector<Event>& out) const {
  Event e = make_event(Event::Kind::Rejected, o.id, o.account, o.side, o.price, o.qty);
  e.reject = r;
  out.push_back(e);
  return r;
}

Reject OrderBook::reject_id(OrderId id, Ticks price, Lots qty, Reject r, std::vector<Event>& out) const {
  Event e = make_event(Event::Kind::Rejected, id, 0, Side::Buy, price, qty);
  e.reject = r;
  out.push_back(e);
  return r;
}

void OrderBook::emit_cancel(const Order& o, CancelReason reason, std::vector<Event>& out) const {
  Event e = make_event(Event::Kind::Cancelled, o.id, o.account, o.side, o.price, o.remaining);
  e.reason = reason;
  out.push_back(e);
}

Reject OrderBook::add(const NewOrder& o, std::vector<Event>& out) {
  Reject r = validate(o);
  if (r != Reject::None) return reject(o, r, out);
  out.push_back(make_event(Event::Kind::Accepted, o.id, o.account, o.side, o.price, o.qty));
  execute(o, out);
  return Reject::None;
}

void OrderBook::execute(const NewOrder& o, std::vector<Event>& out) {
  auto cancel_taker = [&](Lots qty, CancelReason reason) {
    Event e = make_event(Event::Kind::Cancelled, o.id, o.account, o.side, o.price, qty);
    e.reason = reason;
    out.push_back(e);
  };
  if (o.tif == TimeInForce::PostOnly) {
    Ticks opp = best(opposite(o.side));
    bool crosses = opp != 0 && (o.side == Side::Buy ? opp <= o.price : opp >= o.price);
    if (crosses) {
      cancel_taker(o.qty, CancelReason::PostOnlyWouldCross);
    } else {
      rest(o, o.qty, out);
    }
    return;
  }
  if (o.tif == TimeInForce::FOK && !fok_fillable(o)) {
    cancel_taker(o.qty, CancelReason::FokUnfilled);
    return;
  }
  bool stopped = false;
  Lots left = o.side == Side::Buy ? match<Side::Buy>(o, o.qty, stopped, out)
                                  : match<Side::Sell>(o, o.qty, stopped, out);
  if (left == 0) return;
  if (stopped) {
    cancel_taker(left, CancelReason::SelfTrade);
  } else if (o.tif == TimeInForce::GTC) {
    rest(o, left, out);
  } else {
    GB_ASSERT(o.tif == TimeInForce::IOC);
    cancel_taker(left, CancelReason::IocRemainder);
  }
}

template <Side S>
Lots OrderBook::match(const NewOrder& o, Lots qty, bool& stopped, std::vector<Event>& out) {
  constexpr Side M = opposite(S);
  SideBook& sb = side(M);
  const bool stp = !config_.anonymous;
  while (qty > 0) {
    const Ticks p = sb.best;
    if (p == 0) break;
    if constexpr (S == Side::Buy) {
      if (p > o.price) break;
    } else {
      if (p < o.price) break;
    }
    PriceLevel& lvl = sb.ladder.at(p);
    uint32_t i = lvl.head;
    // The loop ends when the level empties (remove() then moves sb.best on) or
    // the taker is done.
    while (qty > 0 && lvl.count > 0) {
      Order& m = pool_[i];
      const uint32_t next = m.next;
      if (stp && m.account == o.account) {
        if (o.stp != Stp::CancelNewest) {  // CancelOldest / CancelBoth: the resting order goes
          emit_cancel(m, CancelReason::SelfTrade, out);
          remove(i);
        }
        if (o.stp != Stp::CancelOldest) {  // CancelNewest / CancelBoth: the taker stops
          stopped = true;
          return qty;
        }
        i = next;
        continue;
      }
      const Lots q = std::min(qty, m.remaining);
      touch(m.side, p);
      m.remaining -= q;
      lvl.qty -= q;
      qty -= q;
      Event e = make_event(Event::Kind::Trade, o.id, o.account, S, p, q);
      e.remaining = qty;
      e.maker_id = m.id;
      e.maker_account = m.account;
      e.maker_remaining = m.remaining;
      out.push_back(e);
      if (m.remaining == 0) remove(i);
      i = next;
    }
  }
  return qty;
}

Lots OrderBook::level_qty(Side s, Ticks price) const {
  if (static_cast<uint8_t>(s) > 1 || price < 1 || price > config_.max_price_ticks) return 0;
  const PriceLevel* lvl = side(s).ladder.find(price);
  return lvl == nullptr || lvl->count == 0 ? 0 : lvl->qty;
}

bool OrderBook::fok_fillable(const NewOrder& o) const {
  const Side m = opposite(o.side);
  const SideBook& sb = side(m);
  // Orders of the taker's own account do not count: with CancelOldest they are
  // cancelled, otherwise matching stops at the first of them.
  const bool own = !config_.anonymous && accounts_.count(o.account) > 0;
  Lots need = o.qty;
  for (Ticks p = sb.best; p != 0; p = next_level(m, p)) {
    if (o.side == Side::Buy ? p > o.price : p < o.price) break;
    const PriceLevel* lvl = sb.ladder.find(p);
    if (!own) {
      need -= lvl->qty;
      if (need <= 0) return true;
      continue;
    }
    for (uint32_t i = lvl->head; i != kNil; i = pool_[i].next) {
      const Order& r = pool_[i];
      if (r.account == o.account) {
        if (o.stp == Stp::CancelOldest) continue;
        return false;
      }
      need -= r.remaining;
      if (need <= 0) return true;
    }
  }
  return false;
}

void OrderBook::rest(const NewOrder& o, Lots qty, std::vector<Event>& out) {
  link_resting(o, qty);
  out.push_back(make_event(Event::Kind::Rested, o.id, o.account, o.side, o.price, qty));
}

Reject OrderBook::restore_order(const NewOrder& o) {
  const NewOrder gtc{o.id, o.account, o.side, o.price, o.qty, TimeInForce::GTC, o.stp};
  if (Reject r = validate(gtc); r != Reject::None) return r;
  const Ticks opp = best(opposite(o.side));
  if (opp != 0 && (o.side == Side::Buy ? opp <= o.price : opp >= o.price)) return Reject::BadPrice;
  link_resting(gtc, o.qty);
  return Reject::None;
}

void OrderBook::link_resting(const NewOrder& o, Lots qty) {
  const uint32_t i = pool_.allocate();
  Order& r = pool_[i];
  r.id = o.id;
  r.price = o.price;
  r.remaining = qty;
  r.seq = ++seq_;
  r.next = kNil;
  r.account = o.account;
  r.side = o.side;
  r.stp = o.stp;
  touch(o.side, o.price);
  SideBook& sb = side(o.side);
  PriceLevel& lvl = sb.ladder.at(o.price);
  if (lvl.count == 0) {
    r.prev = kNil;
    lvl.head = i;
    sb.bitmap.set(o.price);
    if (sb.best == 0 || (o.side == Side::Buy ? o.price > sb.best : o.price < sb.best)) sb.best = o.price;
  } else {
    r.prev = lvl.tail;
    pool_[lvl.tail].next = i;
  }
  lvl.tail = i;
  ++lvl.count;
  lvl.qty += qty;
  ids_.insert(o.id, i);
  if (!config_.anonymous) accounts_.link(pool_, i);
}

void OrderBook::remove(uint32_t i) {
  Order& o = pool_[i];
  touch(o.side, o.price);
  SideBook& sb = side(o.side);
  PriceLevel& lvl = sb.ladder.at(o.price);
  if (o.prev != kNil) pool_[o.prev].next = o.next; else lvl.head = o.next;
  if (o.next != kNil) pool_[o.next].prev = o.prev; else lvl.tail = o.prev;
  lvl.qty -= o.remaining;
  if (--lvl.count == 0) {
    sb.bitmap.clear(o.price);
    if (sb.best == o.price) sb.best = next_level(o.side, o.price);
  }
  if (!config_.anonymous) accounts_.unlink(pool_, i);
  ids_.erase(o.id);
  pool_.release(i);
}

Reject OrderBook::cancel(OrderId id, std::vector<Event>& out) {
  const uint32_t i = ids_.find(id);
  if (i == IndexMap<OrderId>::kEmpty) return reject_id(id, 0, 0, Reject::NotFound, out);
  emit_cancel(pool_[i], CancelReason::User, out);
  remove(i);
  return Reject::None;
}

Reject OrderBook::amend(OrderId id, Ticks new_price, Lots new_qty, std::vector<Event>& out) {
  const uint32_t i = ids_.find(id);
  if (i == IndexMap<OrderId>::kEmpty) return reject_id(id, new_price, new_qty, Reject::NotFound, out);
  if (new_price < 1 || new_price > config_.max_price_ticks)
    return reject_id(id, new_price, new_qty, Reject::BadPrice, out);
  if (new_qty <= 0) return reject_id(id, new_price, new_qty, Reject::BadQuantity, out);
  Order& o = pool_[i];
  if (new_price == o.price && new_qty <= o.remaining) {
    touch(o.side, o.price);
    side(o.side).ladder.at(o.price).qty -= o.remaining - new_qty;
    o.remaining = new_qty;
    out.push_back(make_event(Event::Kind::Amended, o.id, o.account, o.side, o.price, new_qty));
    return Reject::None;
  }
  return reinsert(i, new_price, new_qty, out);
}

Reject OrderBook::modify(OrderId id, Ticks new_price, Lots new_qty, std::vector<Event>& out) {
  const uint32_t i = ids_.find(id);
  if (i == IndexMap<OrderId>::kEmpty) return reject_id(id, new_price, new_qty, Reject::NotFound, out);
  if (new_price < 1 || new_price > config_.max_price_ticks)
    return reject_id(id, new_price, new_qty, Reject::BadPrice, out);
  if (new_qty <= 0) return reject_id(id, new_price, new_qty, Reject::BadQuantity, out);
  return reinsert(i, new_price, new_qty, out);
}

Reject OrderBook::reinsert(uint32_t i, Ticks new_price, Lots new_qty, std::vector<Event>& out) {
  const Order& o = pool_[i];
  const NewOrder n{o.id, o.account, o.side, new_price, new_qty, TimeInForce::GTC, o.stp};
  emit_cancel(o, CancelReason::Amend, out);
  remove(i);  // frees a pool slot, so the re-insert can always rest
  out.push_back(make_event(Event::Kind::Amended, n.id, n.account, n.side, n.price, n.qty));
  execute(n, out);
  return Reject::None;
}

size_t OrderBook::cancel_all(AccountId account, std::vector<Event>& out) {
  if (config_.anonymous) return 0;
  size_t n = 0;
  for (uint32_t i = accounts_.head(account); i != kNil;) {
    const uint32_t next = pool_[i].acct_next;
    emit_cancel(pool_[i], CancelReason::User, out);
    remove(i);
    ++n;
    i = next;
  }
  return n;
}

void OrderBook::touch(Side s, Ticks price) {
  const LevelTouch t{s, price};
  if (!touched_.empty() && touched_.back() == t) return;  // a taker walking one level
  touched_.push_back(t);
  // Fold repeats away once the list is long (nobody took it for a while): 4096 touches cost
  // 64 KiB; after folding the list holds distinct levels only, so it stays within twice them.
  if (touched_.size() >= 4096 && (touched_.size() & (touched_.size() - 1)) == 0) {
    const auto key = [](const LevelTouch& x) { return std::pair(static_cast<int>(x.side), x.price); };
    std::sort(touched_.begin(), touched_.end(), [&](const LevelTouch& a, const LevelTouch& b) { return key(a) < key(b); });
    touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
  }
}

void OrderBook::take_touched_levels(std::vector<LevelTouch>& out) const {
  out.insert(out.end(), touched_.begin(), touched_.end());
  touched_.clear();
}

const Order* OrderBook::find(OrderId id) const {
  const uint32_t i = ids_.find(id);
  return i == IndexMap<OrderId>::kEmpty ? nullptr : &pool_[i];
}

void OrderBook::depth(Side s, size_t n, std::vector<Level>& out) const {
  out.clear();
  const SideBook& sb = side(s);
  for (Ticks p = sb.best; p != 0 && out.size() < n; p = next_level(s, p)) {
    const PriceLevel* lvl = sb.ladder.find(p);
    out.push_back(Level{p, lvl->qty, lvl->count});
  }
}

bool OrderBook::check_invariants() const {
  size_t total = 0;
  std::map<AccountId, uint32_t> per_account;
  for (Side s : {Side::Buy, Side::Sell}) {
    const SideBook& sb = side(s);
    const Ticks max = config_.max_price_ticks;
    int64_t extreme = s == Side::Buy ? sb.bitmap.find_prev(max) : sb.bitmap.find_next(1);
    if (sb.best != (extreme == LevelBitmap::kNone ? 0 : extreme)) return false;
    for (Ticks p = 1; p <= max; ++p) {
      const PriceLevel* lvl = sb.ladder.find(p);
      const bool bit = sb.bitmap.test(p);
      if (lvl == nullptr || lvl->count == 0) {
        if (bit) return false;
        continue;
      }
      if (!bit) return false;
      uint32_t prev = kNil;
      uint32_t count = 0;
      Lots qty = 0;
      uint64_t last_seq = 0;
      for (uint32_t i = lvl->head; i != kNil; i = pool_[i].next) {
        const Order& o = pool_[i];
        if (o.prev != prev || o.price != p || o.side != s || o.remaining <= 0) return false;
        if (o.seq <= last_seq || ids_.find(o.id) != i) return false;
        if (++count > lvl->count) return false;
        last_seq = o.seq;
        qty += o.remaining;
        prev = i;
        ++per_account[o.account];
      }
      if (prev != lvl->tail || count != lvl->count || qty != lvl->qty) return false;
      total += count;
    }
  }
  if (total != pool_.used() || total != ids_.size()) return false;
  if (best_bid() != 0 && best_ask() != 0 && best_bid() >= best_ask()) return false;
  if (!config_.anonymous) {
    if (accounts_.accounts() != per_account.size()) return false;
    for (const auto& [account, count] : per_account) {
      if (accounts_.count(account) != count) return false;
      uint32_t seen = 0;
      uint32_t prev = kNil;
      for (uint32_t i = accounts_.head(account); i != kNil; i = pool_[i].acct_next) {
        if (pool_[i].account != account || pool_[i].acct_prev != prev || ++seen > count) return false;
        prev = i;
      }
      if (seen != count) return false;
    }
  }
  return true;
}

}  // namespace glassbook::book
