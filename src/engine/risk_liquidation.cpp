// Liquidation: an account below maintenance margin loses its open orders, then its positions are
// closed in steps through the book down to the bankruptcy price; what the book cannot take goes to
// the insurance fund, and when the fund cannot absorb it, auto-deleveraging closes the opposite
// positions of the highest-ranked profitable accounts at the bankruptcy price.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/checked.h"
#include "engine/engine.h"
#include "risk/adl_queue.h"
#include "risk/margin_tiers.h"
#include "risk/units.h"

namespace glassbook::engine {

namespace {

constexpr int kMaxLiquidationSteps = 64;

int64_t clamp64(__int128 v) {
  return static_cast<int64_t>(std::clamp<__int128>(v, INT64_MIN, INT64_MAX));
}

}  // namespace

void Engine::check_liquidations(const Command& c, const RiskPrices& prices, std::span<const AccountId> accounts) {
  // Deleveraging queues are ranked once per sweep, at its prices.
  adl_queues_.assign(markets_.size(), {});
  for (AccountId a : accounts) {
    // The insurance fund is bounded by its floor and position cap when it takes a position over
    // (take_over), not by maintenance margin: liquidating it would undo the takeover it just
    // accepted and deleverage accounts while the fund could still absorb the loss.
    if (a == kInsuranceAccount) continue;
    if (a >= margin_.size() || margin_[a].positions.empty()) continue;
    const MarginSummary s = margin_of(a, prices);
    // A frozen price means the account cannot be judged: nothing is liquidated on it.
    if (!s.has_positions || s.frozen || s.equity >= s.maintenance) continue;
    liquidate(c, a, prices);
  }
}

void Engine::liquidate(const Command& c, AccountId a, const RiskPrices& prices) {
  MarginSummary s = margin_of(a, prices);
  Event started;
  started.kind = EventKind::LiquidationStarted;
  started.account = a;
  started.price = clamp64(s.equity);
  started.quantity = clamp64(s.maintenance);
  events_.push_back(started);

  // 1. Every open order goes: it frees spot holds and no longer adds to the worst case.
  cancel_cause_ = CancelCause::Liquidation;
  for (MarketId mid = 0; mid < markets_.size(); ++mid) {
    book_events_.clear();
    if (markets_[mid].book->cancel_all(a, book_events_) > 0) settle(c, mid, Taker{a, book::Side::Buy, 0, 0});
  }
  cancel_cause_ = CancelCause::User;

  // 2. Steps: the largest position, down one margin tier at a time (all of it in the first tier).
  for (int step = 0; step < kMaxLiquidationSteps; ++step) {
    s = margin_of(a, prices);
    if (!s.has_positions || s.frozen || s.equity >= s.maintenance) break;
    const PerpPosition* largest = nullptr;
    __int128 largest_notional = -1;
    for (const PerpPosition& p : margin_[a].positions) {
      if (p.lots == 0) continue;
      const Market& m = markets_[p.market];
      const __int128 n = lots_value(m.cfg, config_.assets[m.cfg.base].decimals, std::abs(p.lots), *prices.mark[p.market]);
      if (n > largest_notional) {
        largest_notional = n;
        largest = &p;
      }
    }
    const MarketId mid = largest->market;
    const int64_t lots = largest->lots;
    Market& m = markets_[mid];
    const int dec = config_.assets[m.cfg.base].decimals;
    const int64_t mark = *prices.mark[mid];
    const auto& tiers = m.cfg.perp.tiers;
    int64_t close = std::abs(lots);
    size_t tier = 0;
    while (tier + 1 < tiers.size() && largest_notional > tiers[tier].max_notional) ++tier;
    if (tier > 0) {
      const __int128 per_lot = static_cast<__int128>(m.cfg.lot_size) * mark;
      const int64_t keep = per_lot <= 0 ? 0 : clamp64(static_cast<__int128>(tiers[tier - 1].max_notional) * pow10(dec) / per_lot);
      if (keep > 0 && keep < std::abs(lots)) close = std::abs(lots) - keep;
    }
    // The bankruptcy price of the position: where closing all of it leaves the account's equity
    // at zero. Rounded toward the account's solvency (up for a long's sale, down for a short's buy).
    const __int128 size = static_cast<__int128>(lots) * m.cfg.lot_size;
    const __int128 shift = s.equity * pow10(dec);
    // Truncating division rounds the price toward solvency here: up for a long, down for a short.
    __int128 bp = mark - shift / size;  // long: below the mark while equity > 0; short: above it
    const int64_t tick = m.cfg.tick_size;
    __int128 bp_ticks = lots > 0 ? (bp + tick - 1) / tick : bp / tick;
    bp_ticks = std::clamp<__int128>(bp_ticks, 1, m.scale.max_price_ticks);
    const book::Ticks limit = static_cast<book::Ticks>(bp_ticks);
    const book::Side side = lots > 0 ? book::Side::Sell : book::Side::Buy;

    // Through the book, immediate-or-cancel at the bankruptcy price.
    PerpPosition& pos = position_slot(a, mid);
    (side == book::Side::Buy ? pos.open_buy : pos.open_sell) += close;
    const OrderId id = next_order_id_++;
    book_events_.clear();
    const book::NewOrder order{id, a, side, limit, close, book::TimeInForce::IOC, book::Stp::CancelNewest};
    // While the market is paused its book may be thin: nothing goes through it, and the position
    // goes to the insurance fund or auto-deleveraging at the bankruptcy price (step 3).
    const bool through_book = !m.breaker.paused(c.timestamp);
    if (through_book && m.book->add(order, book_events_) == book::Reject::None) {
      cancel_cause_ = CancelCause::Liquidation;
      settle(c, mid, Taker{a, side, limit, 0});
      cancel_cause_ = CancelCause::User;
    } else {
      PerpPosition& undo = position_slot(a, mid);
      (side == book::Side::Buy ? undo.open_buy : undo.open_sell) -= close;
      drop_if_empty(a, mid);
    }
    const PerpPosition* after = margin_[a].find(mid);
    const int64_t lots_after = after == nullptr ? 0 : after->lots;
    const int64_t filled = std::abs(lots) - std::abs(lots_after);
    // The liquidation fee on the notional the book took (at mark), paid to the insurance fund,
    // never beyond what is left of the account's equity.
    if (filled > 0 && m.cfg.perp.liquidation_fee_ppm > 0) {
      const __int128 fee = lots_value(m.cfg, dec, filled, mark) * m.cfg.perp.liquidation_fee_ppm / risk::kPpm;
      const __int128 equity = margin_of(a, prices).equity;
      const int64_t charge = clamp64(std::min(fee, std::max<__int128>(equity, 0)));
      settle_margin(a, kInsuranceAccount, charge, "liquidation fee");
    }
    // 3. What the book could not take at the bankruptcy price.
    const int64_t left = close - filled;
    if (left > 0) take_over(c, a, mid, sign_of(lots) * left, limit, prices);
  }
  settle_debt(a, prices);
}

void Engine::take_over(const Command& c, AccountId a, MarketId mid, int64_t lots, book::Ticks bp_ticks, const RiskPrices& prices) {
  (void)c;
  const Market& m = markets_[mid];
  const int dec = config_.assets[m.cfg.base].decimals;
  const int64_t mark = *prices.mark[mid];
  const int64_t dir = sign_of(lots);
  int64_t left = std::abs(lots);
  auto transfer = [&](AccountId to, int64_t q, uint32_t how) {
    apply_fill(a, mid, -dir * q, bp_ticks);
    apply_fill(to, mid, dir * q, bp_ticks);
    Event e;
    e.kind = EventKind::PositionTakenOver;
    e.market = mid;
    e.account = a;
    e.maker_account = to;
    e.side = dir > 0 ? book::Side::Buy : book::Side::Sell;
    e.price = bp_ticks * m.cfg.tick_size;
    e.quantity = q * m.cfg.lot_size;
    e.client_id = how;
    events_.push_back(e);
  };

  // The insurance fund, within its position cap and while its equity stays above its floor.
  const PerpPosition* fund = margin_[kInsuranceAccount].find(mid);
  const int64_t fund_lots = fund == nullptr ? 0 : fund->lots;
  const int64_t cap_lots = m.cfg.perp.insurance_max_position / m.cfg.lot_size;
  const MarginSummary fs = margin_of(kInsuranceAccount, prices);
  const int64_t bp = bp_ticks * m.cfg.tick_size;
  const __int128 gain = dir > 0 ? lots_value(m.cfg, dec, left, mark - bp) : lots_value(m.cfg, dec, left, bp - mark);
  if (a != kInsuranceAccount && !fs.frozen && std::abs(fund_lots + dir * left) <= cap_lots && fs.equity + gain >= config_.risk.insurance_floor) {
    transfer(kInsuranceAccount, left, 0);
    return;
  }

  // Auto-deleveraging: opposite positions in the order of the sweep's queue, taken at the
  // bankruptcy price. Positions sum to zero, so they always cover what is left.
  risk::AdlQueue& queue = adl_queues_[mid][dir > 0 ? 1 : 0];  // the opposite side: shorts when a long is closed
  bool fresh = false;  // the queue was just ranked and nothing has been taken from it since
  while (left > 0) {
    if (queue.empty()) {
      if (fresh) {
        std::fprintf(stderr, "glassbook: internal invariant broken: no opposite position left to deleverage\n");
        std::abort();
      }
      queue = adl_queue(mid, -dir, prices);
      fresh = true;
      continue;
    }
    const AccountId b = queue.front();
    const PerpPosition* p = margin_[b].find(mid);
    // Earlier steps of the sweep may have closed or turned this position: it is only taken while
    // it is still on the opposite side, and never from the account being liquidated.
    if (b == a || p == nullptr || sign_of(p->lots) != -dir) {
      queue.pop();
      continue;
    }
    const int64_t q = std::min(left, std::abs(p->lots));
    const bool whole = q == std::abs(p->lots);
    transfer(b, q, 1);
    left -= q;
    fresh = false;
    if (whole) queue.pop();
  }
}

// Every position of the side `dir` (> 0 longs, < 0 shorts) in the market: the profitable ones by
// rank (PnL ratio x leverage), then the rest by account id.
risk::AdlQueue Engine::adl_queue(MarketId mid, int64_t dir, const RiskPrices& prices) const {
  const Market& m = markets_[mid];
  const int dec = config_.assets[m.cfg.base].decimals;
  const int64_t mark = *prices.mark[mid];
  std::vector<risk::AdlCandidate> ranked;
  std::vector<AccountId> others;
  // Only the side's own positions are read: longs are the holders that are not short. The walk
  // over a million accounts is bound by memory, so each account's position and balances are
  // fetched a few accounts ahead of their use.
  const IdBitmap& holders = dir < 0 ? short_holders_[mid] : holders_[mid];
  const IdBitmap& shorts = short_holders_[mid];
  std::vector<AccountId> side;
  side.reserve(holders.size());
  for (auto holder = holders.next(0); holder; holder = holders.next(*holder + 1))
    if (dir < 0 || !shorts.test(*holder)) side.push_back(*holder);
  constexpr size_t kAhead = 8;
  for (size_t i = 0; i < side.size(); ++i) {
    if (i + kAhead < side.size()) {
      __builtin_prefetch(&margin_[side[i + kAhead]]);
      __builtin_prefetch(&ledger_.balance(side[i + kAhead], 0));
    }
    const AccountId b = side[i];
    const PerpPosition* p = margin_[b].find(mid);
    const __int128 value = lots_value(m.cfg, dec, p->lots, mark);
    const __int128 upnl = value - p->cost;
    if (upnl <= 0) {
      others.push_back(b);
      continue;
    }
    const __int128 equity = equity_of(b, prices);
    if (equity > 0)
      ranked.push_back({b, clamp64(upnl), clamp64(p->cost < 0 ? -static_cast<__int128>(p->cost) : p->cost),
                        clamp64(value < 0 ? -value : value), clamp64(equity)});
    else
      others.push_back(b);
  }
  return risk::AdlQueue(ranked, std::move(others));
}

void Engine::cover_bad_debt(AccountId a, const RiskPrices& prices) {
  const MarginSummary s = margin_of(a, prices);
  if (s.has_positions || s.frozen || s.equity >= 0) return;
  // Bankrupt: what collateral is left goes to the insurance fund, which pays the margin debt.
  for (AssetId x = 0; x < config_.assets.size(); ++x) {
    if (x == config_.risk.margin_asset || config_.assets[x].collateral_weight_ppm == 0) continue;
    const ledger::Balance& b = ledger_.balance(a, x);
    if (b.available() > 0) {
      if (auto st = ledger_.transfer(a, kInsuranceAccount, x, b.available()); !st) continue;
    }
  }
  const ledger::Balance& m = ledger_.balance(a, config_.risk.margin_asset);
  const int64_t debt = m.total < 0 ? -m.total : 0;
  if (debt == 0) return;
  settle_margin(kInsuranceAccount, a, debt, "insurance fund: bad debt");
  Event e;
  e.kind = EventKind::BadDebtCovered;
  e.account = a;
  e.quantity = debt;
  events_.push_back(e);
}

}  // namespace glassbook::engine
