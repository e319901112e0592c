// Perpetual positions: fills at a price move a position and realize PnL against the clearing
// account; fees and funding settle in the margin asset.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/checked.h"
#include "engine/engine.h"

namespace glassbook::engine {

namespace {
// The value of `lots` at `ticks`; the pre-trade checks keep every position within the largest
// margin tier, so a fill's value fits in 64 bits.
int64_t value_at(int64_t lots, int64_t ticks, int64_t notional_per_tick_lot) {
  const __int128 v = static_cast<__int128>(lots) * ticks * notional_per_tick_lot;
  if (v > INT64_MAX || v < INT64_MIN) {
    std::fprintf(stderr, "glassbook: internal invariant broken: a perpetual fill's value overflows\n");
    std::abort();
  }
  return static_cast<int64_t>(v);
}
}  // namespace

PerpPosition& Engine::position_slot(AccountId a, MarketId m) {
  if (logging_changes_) note_position(a, m);
  state_marks_.mark(a);  // the only way to a writable position: the state root rehashes its bucket
  MarginAccount& acc = margin_[a];
  // The liquidation watch judges the account again (risk_sweep.cpp).
  changed_.mark(a);
  auto it = std::lower_bound(acc.positions.begin(), acc.positions.end(), m,
                             [](const PerpPosition& p, MarketId id) { return p.market < id; });
  if (it != acc.positions.end() && it->market == m) return *it;
  PerpPosition p;
  p.market = m;
  return *acc.positions.insert(it, p);
}

void Engine::drop_if_empty(AccountId a, MarketId m) {
  MarginAccount& acc = margin_[a];
  auto it = std::find_if(acc.positions.begin(), acc.positions.end(), [&](const PerpPosition& p) { return p.market == m; });
  if (it == acc.positions.end() || !it->empty()) return;
  state_marks_.mark(a);
  acc.positions.erase(it);
}

void Engine::index_holders() {
  holders_.assign(markets_.size(), IdBitmap{});
  short_holders_.assign(markets_.size(), IdBitmap{});
  open_interest_.assign(markets_.size(), 0);
  for (AccountId a = 0; a < margin_.size(); ++a)
    for (const PerpPosition& p : margin_[a].positions) {
      if (p.lots != 0) holders_[p.market].set(a);
      if (p.lots < 0) short_holders_[p.market].set(a);
      if (p.lots > 0) open_interest_[p.market] += p.lots;
    }
}

size_t Engine::accounts_with_positions() const {
  size_t n = 0;
  for (const MarginAccount& acc : margin_) n += acc.positions.empty() ? 0 : 1;
  return n;
}

void Engine::settle_margin(AccountId from, AccountId to, int64_t amount, const char* what) {
  if (amount == 0) return;
  if (amount < 0) return settle_margin(to, from, -amount, what);
  if (auto s = ledger_.settle_margin(from, to, amount); !s) {
    std::fprintf(stderr, "glassbook: internal invariant broken in %s: %s\n", what, s.to_string().c_str());
    std::abort();
  }
}

void Engine::apply_fill(AccountId a, MarketId mid, int64_t lots, int64_t ticks) {
  const Market& m = markets_[mid];
  const int64_t ntl = m.scale.notional_per_tick_lot;
  PerpPosition& p = position_slot(a, mid);
  const int64_t long_before = std::max<int64_t>(p.lots, 0);
  int64_t realized = 0;
  if (p.lots == 0 || sign_of(p.lots) == sign_of(lots)) {
    p.lots += lots;
    p.cost += value_at(lots, ticks, ntl);
  } else {
    const int64_t close = std::min(std::abs(lots), std::abs(p.lots));
    const int64_t dir = sign_of(lots);
    // The closed part's share of the entry cost, rounded toward zero: the rest keeps its sign.
    const int64_t cost_removed = static_cast<int64_t>(static_cast<__int128>(p.cost) * close / std::abs(p.lots));
    realized = -value_at(dir * close, ticks, ntl) - cost_removed;
    p.cost -= cost_removed;
    p.lots += dir * close;
    const int64_t rest = std::abs(lots) - close;
    if (rest > 0) {  // the fill flips the position: the rest opens the other side at this price
      p.lots += dir * rest;
      p.cost += value_at(dir * rest, ticks, ntl);
    }
  }
  const int64_t lots_after = p.lots;
  const int64_t cost_after = p.cost;
  open_interest_[mid] += std::max<int64_t>(lots_after, 0) - long_before;
  if (lots_after != 0) holders_[mid].set(a);
  else holders_[mid].reset(a);
  if (lots_after < 0) short_holders_[mid].set(a);
  else short_holders_[mid].reset(a);
  settle_margin(kClearingAccount, a, realized, "perpetual: realized PnL");
  Event e;
  e.kind = EventKind::PositionChanged;
  e.account = a;
  e.market = mid;
  e.side = lots > 0 ? book::Side::Buy : book::Side::Sell;
  e.quantity = lots_after * m.cfg.lot_size;
  if (lots_after != 0) {
    const int dec = config_.assets[m.cfg.base].decimals;
    e.price = *mul_div_floor(std::abs(cost_after), pow10(dec), std::abs(lots_after) * m.cfg.lot_size);
  }
  e.remaining = realized;
  events_.push_back(e);
  touched_.set(a);
  drop_if_empty(a, mid);
}

void Engine::settle_perp_trade(const Command& c, MarketId mid, const Taker& taker, const book::Event& be) {
  (void)taker;
  const Market& m = markets_[mid];
  const bool taker_buys = be.side == book::Side::Buy;
  const AccountId buyer = taker_buys ? be.account : be.maker_account;
  const AccountId seller = taker_buys ? be.maker_account : be.account;
  // The filled lots leave both orders' reservations first, then move both positions.
  PerpPosition& tp = position_slot(be.account, mid);
  (taker_buys ? tp.open_buy : tp.open_sell) -= be.qty;
  PerpPosition& mp = position_slot(be.maker_account, mid);
  (taker_buys ? mp.open_sell : mp.open_buy) -= be.qty;
  apply_fill(buyer, mid, be.qty, be.price);
  apply_fill(seller, mid, -be.qty, be.price);
  // Fees on the fill's notional, rounded up, in the margin asset.
  const int64_t notional = value_at(be.qty, be.price, m.scale.notional_per_tick_lot);
  int64_t taker_fee = *mul_div_ceil(notional, m.cfg.taker_fee_ppm, 1'000'000);
  // A liquidation's taker fee never takes the account below its bankruptcy (equity zero): it would
  // come back as bad debt the insurance fund pays.
  if (liquidation_prices_ != nullptr)
    taker_fee = static_cast<int64_t>(std::clamp<__int128>(equity_of(be.account, *liquidation_prices_), 0, taker_fee));
  const int64_t maker_fee = *mul_div_ceil(notional, m.cfg.maker_fee_ppm, 1'000'000);
  settle_margin(be.account, kFeeAccount, taker_fee, "perpetual: taker fee");
  settle_margin(be.maker_account, kFeeAccount, maker_fee, "perpetual: maker fee");
  record_trade(c, mid, be, taker_fee, maker_fee);
}

}  // namespace glassbook::engine
