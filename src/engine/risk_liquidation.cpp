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
// How far ahead of its turn a deleveraged account's state is fetched.
constexpr size_t kAdlAhead = 4;

int64_t clamp64(__int128 v) {
  return static_cast<int64_t>(std::clamp<__int128>(v, INT64_MIN, INT64_MAX));
}

}  // namespace

bool Engine::check_liquidations(const Command& c, const RiskPrices& prices, std::span<const AccountId> accounts) {
  // Deleveraging queues are ranked once per sweep, at its prices.
  reset_adl_queues();
  return judge_and_liquidate(c, prices, accounts);
}

bool Engine::judge_and_liquidate(const Command& c, const RiskPrices& prices, std::span<const AccountId> accounts) {
  std::vector<Shortfall> below;
  for (AccountId a : accounts) {
    // The insurance fund is bounded by its floor and position cap when it takes a position over
    // (take_over), not by maintenance margin: liquidating it would undo the takeover it just
    // accepted and deleverage accounts while the fund could still absorb the loss.
    if (a == kInsuranceAccount) continue;
    if (a >= margin_.size() || margin_[a].positions.empty()) continue;
    const MarginSummary s = margin_of(a, prices);
    // A frozen price means the account cannot be judged: nothing is liquidated on it.
    if (!s.has_positions || s.frozen || s.equity >= s.maintenance) continue;
    below.push_back({s.maintenance - s.equity, a});
  }
  return liquidate_worst_first(c, prices, below);
}

bool Engine::liquidate_worst_first(const Command& c, const RiskPrices& prices, std::vector<Shortfall>& below) {
  // The deepest shortfall first: its losses are the largest and the book's best bids should go to
  // them before shallower ones take them; ties by account id, so the order is the same everywhere.
  std::sort(below.begin(), below.end(), [](const Shortfall& x, const Shortfall& y) {
    return x.amount != y.amount ? x.amount > y.amount : x.account < y.account;
  });
  // Room for their events at once rather than by doubling: a cascade's command makes hundreds of
  // thousands of them, and each doubling copied the vector into fresh pages (the crash bench makes
  // 3,620,297 events for 400,237 liquidations, about 9 each).
  // Growing at least twofold keeps a command's many small rounds from reallocating at each.
  constexpr size_t kEventsPerLiquidation = 9;
  if (const size_t want = events_.size() + below.size() * kEventsPerLiquidation; want > events_.capacity())
    events_.reserve(std::max(want, 2 * events_.capacity()));
  bool any = false;
  // In shortfall order the accounts are scattered over the whole id range: each one's position and
  // balances are fetched a few accounts ahead, as the deleveraging queue's walk does.
  constexpr size_t kAhead = 4;
  for (size_t i = 0; i < below.size(); ++i) {
    if (i + kAhead < below.size()) prefetch_account(below[i + kAhead].account);
    const AccountId a = below[i].account;
    // An earlier liquidation may have changed it (a maker filled, a position deleveraged): it is
    // judged again in its state now, and that judgement is the one the liquidation starts from.
    const MarginSummary s = margin_of(a, prices);
    if (!s.has_positions || s.frozen || s.equity >= s.maintenance) continue;
    liquidate(c, a, prices, s);
    any = true;
  }
  return any;
}

void Engine::prefetch_account(AccountId a) const {
  if (a >= margin_.size()) return;
  // Addresses only, never a load: the account's one position lives inside its MarginAccount, which
  // may straddle two cache lines. (Prefetching through positions.data() loaded the vector's header
  // first and stalled on the very miss it meant to hide: 22% of the sweep's samples.)
  const char* account = reinterpret_cast<const char*>(&margin_[a]);
  __builtin_prefetch(account);
  __builtin_prefetch(account + sizeof(MarginAccount) - 1);
  __builtin_prefetch(&ledger_.balance(a, 0));
}

void Engine::liquidate(const Command& c, AccountId a, const RiskPrices& prices, MarginSummary s) {
  Event started;
  started.kind = EventKind::LiquidationStarted;
  started.account = a;
  started.price = clamp64(s.equity);
  started.quantity = clamp64(s.maintenance);
  events_.push_back(started);

  // 1. Every open order goes: it frees spot holds and no longer adds to the worst case. (With none
  // cancelled nothing changed, and the judgement stands.)
  if (cancel_orders_everywhere(c, a, CancelCause::Liquidation)) s = margin_of(a, prices);
  // Past bankruptcy, what margin did not count goes toward the loss before anyone else bears it.
  bool judged = true;  // s is the account's state now
  if (const size_t before = events_.size(); !s.frozen && s.equity < 0) {
    seize_unweighted(a, -s.equity, prices);
    judged = events_.size() == before;  // nothing seized (each seizure is an event)
  }

  // 2. Steps: the largest position, down one margin tier at a time (all of it in the first tier).
  for (int step = 0; step < kMaxLiquidationSteps; ++step) {
    // A step that closed the last position leaves nothing to judge: an account without positions
    // is done whatever its equity (settle_debt below takes care of that).
    if (!judged && flat(a)) break;
    if (!judged) s = margin_of(a, prices);
    judged = false;
    if (!s.has_positions || s.frozen || s.equity >= s.maintenance) break;
    const PerpPosition* largest = largest_position(a, prices);
    const MarketId mid = largest->market;
    const int64_t lots = largest->lots;
    Market& m = markets_[mid];
    const int dec = config_.assets[m.cfg.base].decimals;
    const int64_t mark = *prices.mark[mid];
    const __int128 largest_notional = lots_value(m.cfg, dec, std::abs(lots), mark);
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
    const book::Ticks limit = bankruptcy_ticks(mid, lots, s.equity, mark);
    const book::Side side = lots > 0 ? book::Side::Sell : book::Side::Buy;
    // Makers are held to the fill rule like everyone else.
    cancel_unsafe_makers(c, mid, a, side, limit, close, &prices);

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
      liquidation_prices_ = &prices;
      settle(c, mid, Taker{a, side, limit, 0});
      liquidation_prices_ = nullptr;
      cancel_cause_ = CancelCause::User;
    } else {
      PerpPosition& undo = position_slot(a, mid);
      (side == book::Side::Buy ? undo.open_buy : undo.open_sell) -= close;
      drop_if_empty(a, mid);
    }
    const PerpPosition* after = margin_[a].find(mid);
    const int64_t lots_after = after == nullptr ? 0 : after->lots;
    const int64_t filled = std::abs(lots) - std::abs(lots_after);
    charge_liquidation_fee(a, mid, filled, prices);
    // 3. What the book could not take at the bankruptcy price.
    const int64_t left = close - filled;
    if (left > 0) take_over(c, a, mid, sign_of(lots) * left, limit, prices);
  }
  settle_debt(c, a, prices);
}

void Engine::charge_liquidation_fee(AccountId a, MarketId mid, int64_t lots, const RiskPrices& prices) {
  const Market& m = markets_[mid];
  // The fund's own deleveraging (risk_fund_floor.cpp) pays no fee to itself.
  if (lots <= 0 || m.cfg.perp.liquidation_fee_ppm <= 0 || a == kInsuranceAccount) return;
  // The liquidation fee on the notional closed (at mark), paid to the insurance fund however the
  // position was closed (book, fund or deleveraging), never beyond what is left of the account's
  // equity: a fee must not itself create bad debt.
  const int dec = config_.assets[m.cfg.base].decimals;
  const __int128 fee = lots_value(m.cfg, dec, lots, *prices.mark[mid]) * m.cfg.perp.liquidation_fee_ppm / risk::kPpm;
  const __int128 equity = equity_of(a, prices);
  settle_margin(a, kInsuranceAccount, clamp64(std::min(fee, std::max<__int128>(equity, 0))), "liquidation fee");
}

void Engine::take_over(const Command& c, AccountId a, MarketId mid, int64_t lots, book::Ticks bp_ticks, const RiskPrices& prices) {
  (void)c;
  const Market& m = markets_[mid];
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
    charge_liquidation_fee(a, mid, q, prices);
  };

  // The insurance fund takes what it can, part of it if need be: within its position cap and while
  // its equity, the position's loss at mark included, stays at or above its floor.
  const int64_t fund_take = a == kInsuranceAccount ? 0 : fund_capacity(mid, dir, left, bp_ticks, prices);
  if (fund_take > 0) {
    transfer(kInsuranceAccount, fund_take, 0);
    left -= fund_take;
  }
  if (left == 0) return;

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
      rank_adl(mid, -dir, prices, queue);
      fresh = true;
      continue;
    }
    const AccountId b = queue.front();
    // In queue order the accounts are scattered: the next ones' state is fetched ahead.
    if (const auto later = queue.peek(kAdlAhead)) prefetch_account(*later);
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

int64_t Engine::fund_capacity(MarketId mid, int64_t dir, int64_t lots, book::Ticks bp_ticks, const RiskPrices& prices) const {
  const Market& m = markets_[mid];
  const MarginSummary fs = margin_of(kInsuranceAccount, prices);
  if (fs.frozen) return 0;
  const PerpPosition* fund = margin_[kInsuranceAccount].find(mid);
  const int64_t fund_lots = fund == nullptr ? 0 : fund->lots;
  const int64_t cap_lots = m.cfg.perp.insurance_max_position / m.cfg.lot_size;
  // Room under the cap on the side the fund would take (more when it holds the other side).
  int64_t take = std::clamp<int64_t>(cap_lots - dir * fund_lots, 0, lots);
  // Each lot taken at the bankruptcy price is worth (mark - bp) to the fund when it buys, (bp -
  // mark) when it sells: a loss when the account was already past bankruptcy.
  const int dec = config_.assets[m.cfg.base].decimals;
  const int64_t bp = bp_ticks * m.cfg.tick_size;
  const int64_t mark = *prices.mark[mid];
  const __int128 loss_per_lot = -lots_value(m.cfg, dec, 1, dir > 0 ? mark - bp : bp - mark);
  // The fund keeps its equity above the floor by at least the maintenance margin of what it holds
  // (risk_fund_floor.cpp deleverages it below that): each lot taken also needs the highest tier's
  // maintenance on its notional, the stressed move a position of any size may make before it is cut.
  const __int128 margin_per_lot = lots_value(m.cfg, dec, 1, mark) * m.cfg.perp.tiers.back().maintenance_ppm / risk::kPpm + 1;
  const __int128 room = fs.equity - config_.risk.insurance_floor - fs.maintenance;
  const __int128 cost_per_lot = loss_per_lot + margin_per_lot;
  if (cost_per_lot > 0) take = static_cast<int64_t>(std::clamp<__int128>(room / (cost_per_lot + 1), 0, take));
  else if (room < 0) take = 0;
  return take;
}

const PerpPosition* Engine::largest_position(AccountId a, const RiskPrices& prices) const {
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
  return largest;
}

// Every position of the side `dir` (> 0 longs, < 0 shorts) in the market: the profitable ones by
// rank (PnL ratio x leverage), then the rest by account id.
risk::AdlQueue Engine::adl_queue(MarketId mid, int64_t dir, const RiskPrices& prices) const {
  risk::AdlQueue queue;
  rank_adl(mid, dir, prices, queue);
  return queue;
}

void Engine::rank_adl(MarketId mid, int64_t dir, const RiskPrices& prices, risk::AdlQueue& queue) const {
  const Market& m = markets_[mid];
  const int dec = config_.assets[m.cfg.base].decimals;
  const int64_t mark = *prices.mark[mid];
  queue.clear();
  // Only the side's own positions are read: longs are the holders that are not short. The walk
  // over a million accounts is bound by memory, so each account's position and balances are
  // fetched a few accounts ahead of their use (a second walk of the bitmap runs that far ahead).
  const IdBitmap& holders = dir < 0 ? short_holders_[mid] : holders_[mid];
  const IdBitmap& shorts = short_holders_[mid];
  const auto next_of_side = [&](AccountId from) {
    auto holder = holders.next(from);
    while (holder && dir > 0 && shorts.test(*holder)) holder = holders.next(*holder + 1);
    return holder;
  };
  constexpr int kAhead = 8;
  auto ahead = next_of_side(0);
  for (int i = 0; i < kAhead && ahead; ++i) ahead = next_of_side(*ahead + 1);
  for (auto holder = next_of_side(0); holder; holder = next_of_side(*holder + 1)) {
    if (ahead) {
      prefetch_account(*ahead);
      ahead = next_of_side(*ahead + 1);
    }
    const AccountId b = *holder;
    const PerpPosition* p = margin_[b].find(mid);
    const __int128 value = lots_value(m.cfg, dec, p->lots, mark);
    const __int128 upnl = value - p->cost;
    if (upnl <= 0) {
      queue.add_rest(b);
      continue;
    }
    const __int128 equity = equity_of(b, prices);
    if (equity > 0)
      queue.add({b, clamp64(upnl), clamp64(p->cost < 0 ? -static_cast<__int128>(p->cost) : p->cost),
                 clamp64(value < 0 ? -value : value), clamp64(equity)});
    else
      queue.add_rest(b);
  }
}

void Engine::reset_adl_queues() {
  adl_queues_.resize(markets_.size());
  for (auto& sides : adl_queues_)
    for (risk::AdlQueue& q : sides) q.clear();
}

}  // namespace glassbook::engine
