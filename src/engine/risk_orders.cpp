// The risk checks a new order passes before the book: circuit breaker pause, price band, frozen
// index, group limits and initial margin; and the circuit breaker's observations.
#include <fmt/format.h>

#include <algorithm>

#include "core/checked.h"
#include "engine/engine.h"
#include "risk/margin_tiers.h"
#include "risk/price_band.h"
#include "risk/units.h"

namespace glassbook::engine {

namespace {

int64_t worst_lots(const PerpPosition& p) { return std::max(std::abs(p.lots + p.open_buy), std::abs(p.lots - p.open_sell)); }

}  // namespace

void Engine::index_groups() {
  group_index_.clear();
  for (size_t g = 0; g < config_.groups.size(); ++g)
    for (AccountId a : config_.groups[g].accounts) group_index_.emplace(a, static_cast<int>(g));
}

int Engine::group_of(AccountId a) const {
  if (auto link = isolated(a)) a = link->owner;  // an isolated account counts in its owner's group
  auto it = group_index_.find(a);
  return it == group_index_.end() ? -1 : it->second;
}

Status Engine::check_group(AccountId a, MarketId mid, const RiskPrices& prices) const {
  const int g = group_of(a);
  if (g < 0) return {};
  const AccountGroup& group = config_.groups[g];
  __int128 total_worst = 0, market_worst = 0, total_held = 0;
  std::vector<__int128> held_by_market(markets_.size(), 0);
  // Every member and every isolated account of a member: isolation never escapes a group's limits.
  std::vector<AccountId> accounts;
  for (AccountId member : group.accounts) {
    accounts.push_back(member);
    for (auto it = isolated_by_owner_.lower_bound(static_cast<uint64_t>(member) << 16);
         it != isolated_by_owner_.end() && (it->first >> 16) == member; ++it)
      accounts.push_back(it->second);
  }
  for (AccountId member : accounts) {
    if (member >= margin_.size()) continue;
    for (const PerpPosition& p : margin_[member].positions) {
      const Market& m = markets_[p.market];
      const auto mark = prices.mark[p.market];
      if (!mark) return Status(Error::IndexFrozen, "a group member's perpetual has a frozen index");
      const int dec = config_.assets[m.cfg.base].decimals;
      const __int128 worst = lots_value(m.cfg, dec, worst_lots(p), *mark);
      const __int128 held = lots_value(m.cfg, dec, std::abs(p.lots), *mark);
      total_worst += worst;
      total_held += held;
      held_by_market[p.market] += held;
      if (p.market == mid) market_worst += worst;
    }
  }
  bool over = total_held >= group.max_notional;
  for (__int128 h : held_by_market) over = over || h >= group.max_market_notional;
  if (over) return Status(Error::ReduceOnly, fmt::format("group {} is at its exposure limit: reduce-only", group.name));
  if (total_worst > group.max_notional || market_worst > group.max_market_notional)
    return Status(Error::GroupLimit, fmt::format("the order would take group {} beyond its exposure limits", group.name));
  return {};
}

Status Engine::check_order_risk(const Command& c, const Market& m, MarketId mid, AccountId account, book::Side side,
                                book::Ticks& ticks, book::Lots lots, bool is_market, std::optional<ReplacedOrder> replaced) {
  band_stop_.reset();
  const bool perp = m.is_perp();
  // A paused spot market takes cancels only; a paused perpetual also takes orders that can only
  // reduce a position (judged below), so that traders can get out while the book is thin.
  const bool paused = m.breaker.paused(c.timestamp);
  if (paused && !perp)
    return reject(Error::MarketPaused, fmt::format("market {} is paused until {}: only cancels are accepted", m.cfg.symbol,
                                                   m.breaker.paused_until()));
  const bool margin_account = account < margin_.size() && !margin_[account].positions.empty();
  if (!perp && m.cfg.band_ppm == 0 && !margin_account) return {};  // the spot fast path

  RiskPrices prices = (perp || margin_account) ? current_prices(c.timestamp) : RiskPrices{};
  // Price band around the reference: the mark for a perpetual, the last trade for spot.
  std::optional<int64_t> reference;
  if (perp) reference = prices.mark[mid];
  else if (m.stats.last_price > 0) reference = m.stats.last_price;
  if (m.cfg.band_ppm != 0 && reference) {
    const risk::PriceBand band = risk::band_around(*reference, m.cfg.band_ppm);
    const book::Ticks lower = (band.lower + m.cfg.tick_size - 1) / m.cfg.tick_size;
    const book::Ticks upper = std::min<book::Ticks>(band.upper / m.cfg.tick_size, m.scale.max_price_ticks);
    if (is_market) {  // a market order stops at the band; what is left expires
      const book::Ticks stop = side == book::Side::Buy ? std::min(ticks, upper) : std::max(ticks, std::max<book::Ticks>(lower, 1));
      if (stop != ticks) band_stop_ = std::pair{mid, stop};
      ticks = stop;
    } else if (ticks < lower || ticks > upper) {
      return reject(Error::PriceOutOfBand,
                    fmt::format("price {} is outside the band [{}, {}] around {}", ticks * m.cfg.tick_size,
                                lower * m.cfg.tick_size, upper * m.cfg.tick_size, *reference));
    }
  }

  if (!perp) {
    if (!margin_account) return {};
    // A spot order's hold leaves the account's collateral: its perpetuals must keep initial margin.
    const MarginSummary before = margin_of(account, prices);
    if (before.frozen) return reject(Error::IndexFrozen, "an index the account's margin depends on is frozen");
    const AssetId asset = hold_asset(m, side);
    // What the order would newly hold: all of it, or for an amend what it adds to the old hold.
    const int64_t hold = hold_for(m, side, ticks, lots) - (replaced ? hold_for(m, side, replaced->ticks, replaced->lots) : 0);
    if (hold <= 0) return {};
    // What leaves the collateral: valued again with the hold, so that a concentration haircut on
    // what stays (a smaller whole, a larger share) counts too.
    bool frozen = false;
    const __int128 leaves = collateral_of(account, prices, frozen) - collateral_of(account, prices, frozen, asset, hold);
    if (before.equity - leaves < before.initial)
      return reject(Error::InsufficientMargin, "the hold would take the account below its initial margin");
    return {};
  }

  // A perpetual order: count it as open, judge the worst case, then take it back out (the caller
  // reserves it for real once every check has passed).
  // For an amend, the order it replaces is taken out at the same time.
  PerpPosition& pos = position_slot(account, mid);
  int64_t& open = side == book::Side::Buy ? pos.open_buy : pos.open_sell;
  const int64_t worst_before = worst_lots(pos);
  const int64_t delta = lots - (replaced ? replaced->lots : 0);
  open += delta;
  const int64_t worst_after = worst_lots(pos);
  // Whether the side's open orders, this one included, could take the position past zero to the
  // other side: such an order opens (or flips) a position, and is judged on the result.
  const bool can_open = side == book::Side::Buy ? pos.lots + pos.open_buy > 0 : pos.lots - pos.open_sell < 0;
  const int64_t held = pos.lots;
  // Reduce-only in the strict sense: with this order, the account's open orders on this side can
  // at most close the position, never turn it.
  const bool reduce_only = side == book::Side::Sell ? pos.lots > 0 && pos.open_sell <= pos.lots
                                                    : pos.lots < 0 && pos.open_buy <= -pos.lots;
  const MarginSummary after = margin_of(account, prices);
  const Status group = worst_after > worst_before ? check_group(account, mid, prices) : Status{};
  open -= delta;
  drop_if_empty(account, mid);
  // An order that can only reduce the position, or an amend that shrinks the worst case, passes the
  // fill rule alone; an amend that keeps the worst case but moves its price against the mark is
  // judged like a new order (it may fill at once, worse), and so is an order that keeps the worst
  // case but could flip the position.
  const bool worse_price = replaced && (side == book::Side::Buy ? ticks > replaced->ticks : ticks < replaced->ticks);
  const bool only_reduces = worst_after < worst_before || (!can_open && worst_after == worst_before && !worse_price);
  if (paused && !(only_reduces && reduce_only))
    return reject(Error::MarketPaused, fmt::format("market {} is paused until {}: only cancels and orders that only reduce a "
                                                   "position are accepted", m.cfg.symbol, m.breaker.paused_until()));
  if (only_reduces) return check_reducing(m, mid, account, side, held, ticks, lots, is_market, after, prices);
  // Every fill of the position this order could make, at any price the market accepts, and the
  // entry cost and realized PnL built from such fills, must fit in 64 bits: the product is checked
  // here, at entry, so that no fill (and no replay of one) can overflow. Half of INT64_MAX leaves
  // room for a realized PnL (a close's value minus the entry cost).
  const __int128 worst_at_max_price =
      static_cast<__int128>(worst_after) * m.scale.max_price_ticks * m.scale.notional_per_tick_lot;
  if (worst_at_max_price > INT64_MAX / 2)
    return reject(Error::InvalidQuantity, fmt::format("a position of {} lots of {} could be worth more than {} at the market's "
                                                      "maximum price: refused so that no fill can overflow",
                                                      worst_after, m.cfg.symbol, INT64_MAX / 2));

  const auto mark = prices.mark[mid];
  if (!mark || after.frozen)
    return reject(Error::IndexFrozen, fmt::format("the index of {} (or of the account's collateral) is frozen: only orders that "
                                                  "reduce positions are accepted", m.cfg.symbol));
  if (!group) return reject(group.code(), group.message());
  if (auto cap = check_open_interest(m, mid, side, held, lots, worst_after); !cap) return reject(cap.code(), cap.message());
  const int dec = config_.assets[m.cfg.base].decimals;
  const __int128 worst_notional = lots_value(m.cfg, dec, worst_after, *mark);
  if (worst_notional > m.cfg.perp.tiers.back().max_notional)
    return reject(Error::InsufficientMargin, "the position would exceed the market's largest margin tier");
  // What filling the order would cost at once: the taker fee and, for a price worse than the
  // mark, the difference (a market order is judged at the touch).
  book::Ticks fill = ticks;
  if (is_market) {
    const book::Ticks touch = side == book::Side::Buy ? m.book->best_ask() : m.book->best_bid();
    if (touch != 0) fill = touch;
  }
  const int64_t fill_price = fill * m.cfg.tick_size;
  const __int128 fee = lots_value(m.cfg, dec, lots, fill_price) * m.cfg.taker_fee_ppm / risk::kPpm + 1;
  const int64_t worse = side == book::Side::Buy ? fill_price - *mark : *mark - fill_price;
  const __int128 loss = worse > 0 ? lots_value(m.cfg, dec, lots, worse) : 0;
  if (after.equity - fee - loss < after.initial)
    return reject(Error::InsufficientMargin,
                  fmt::format("initial margin {} exceeds equity {} after fees", static_cast<int64_t>(after.initial),
                              static_cast<int64_t>(after.equity - fee - loss)));
  return {};
}

Status Engine::check_open_interest(const Market& m, MarketId mid, book::Side side, int64_t held, book::Lots lots,
                                  int64_t worst_lots_after) const {
  const PerpetualConfig& pc = m.cfg.perp;
  const int64_t lot = m.cfg.lot_size;
  const auto base_units = [lot](__int128 lots) { return static_cast<int64_t>(std::min<__int128>(lots * lot, INT64_MAX)); };
  // The account's cap bounds the worst case of its position and open orders, so no later fill of
  // its resting orders can take it beyond the cap either.
  if (pc.max_account_position != 0 && base_units(worst_lots_after) > pc.max_account_position)
    return Status(Error::OpenInterestCap,
                  fmt::format("{}: the account's position with its open orders could reach {} (base units), beyond the cap of {} per "
                              "account", m.cfg.symbol, base_units(worst_lots_after), pc.max_account_position));
  if (pc.max_open_interest == 0) return {};
  // A fill raises the open interest (the sum of longs, equally of shorts) by at most what it opens
  // for the taker: the buyer's long grows by no more than that while the seller's long can only
  // shrink (and the same for shorts). So what this order opens from the position it has now bounds
  // everything its match can add, and a match that passes this check never crosses the cap.
  const int64_t opens = side == book::Side::Buy ? std::max<int64_t>(held + lots, 0) - std::max<int64_t>(held, 0)
                                                : std::max<int64_t>(lots - held, 0) - std::max<int64_t>(-held, 0);
  const int64_t after = base_units(static_cast<__int128>(open_interest_[mid]) + opens);
  if (opens > 0 && after > pc.max_open_interest)
    return Status(Error::OpenInterestCap,
                  fmt::format("{}: the order could take the open interest from {} to {} (base units), beyond the cap of {}", m.cfg.symbol,
                              base_units(open_interest_[mid]), after, pc.max_open_interest));
  return {};
}

Status Engine::check_reducing(const Market& m, MarketId mid, AccountId account, book::Side side, int64_t held,
                              book::Ticks& ticks, book::Lots lots, bool is_market, const MarginSummary& s,
                              const RiskPrices& prices) {
  const auto mark = prices.mark[mid];
  if (held == 0) return {};
  if (!mark || s.frozen) return check_reducing_frozen(m, mid, account, side, held, ticks, is_market, prices);
  // Beyond the bankruptcy price the sale alone would leave the account's equity below zero: the
  // loss would fall on the insurance fund while the buyer books it as profit.
  const book::Ticks bp = bankruptcy_ticks(mid, held, s.equity, *mark);
  const bool beyond = side == book::Side::Sell ? ticks < bp : ticks > bp;
  if (beyond) {
    if (!is_market)
      return reject(Error::OrderBeyondBankruptcy,
                    fmt::format("the order's price {} is beyond the account's bankruptcy price {} in {}", ticks * m.cfg.tick_size,
                                bp * m.cfg.tick_size, m.cfg.symbol));
    ticks = bp;  // a market order stops at the bankruptcy price; what is left expires
  }
  const int64_t signed_lots = side == book::Side::Buy ? lots : -lots;
  if (fill_deepens_shortfall(account, mid, signed_lots, ticks * m.cfg.tick_size, m.cfg.taker_fee_ppm, prices))
    return reject(Error::OrderBeyondBankruptcy,
                  fmt::format("filled at {}, the order would leave the account below its maintenance margin with a larger shortfall",
                              ticks * m.cfg.tick_size));
  return {};
}

Status Engine::check_reducing_frozen(const Market& m, MarketId mid, AccountId account, book::Side side, int64_t held,
                                     book::Ticks& ticks, bool is_market, const RiskPrices& prices) {
  // A price the account depends on is frozen, so its margin cannot be judged; but its bankruptcy
  // price in this market does not depend on this market's mark (closing the whole position realizes
  // it at the order's price, whatever the mark), so the order's own price stands in for a frozen
  // mark. Another position on a frozen mark leaves nothing to judge by: such an account can only
  // cancel until prices return. Collateral on a frozen price cannot be valued either; its holder
  // keeps it, and it pays what the account owes once prices return (risk_debt.cpp): its reducing
  // orders pass, as before.
  RiskPrices judged = prices;
  if (!judged.mark[mid]) judged.mark[mid] = ticks * m.cfg.tick_size;
  for (const PerpPosition& p : margin_[account].positions)
    if (p.lots != 0 && !judged.mark[p.market])
      return reject(Error::IndexFrozen, fmt::format("the index of {} is frozen: the account's bankruptcy price in {} cannot be judged, "
                                                    "so only cancels are accepted until prices return",
                                                    markets_[p.market].cfg.symbol, m.cfg.symbol));
  bool frozen = false;
  __int128 equity = collateral_of(account, judged, frozen);
  if (frozen) return {};
  for (const PerpPosition& p : margin_[account].positions) {
    if (p.lots == 0) continue;
    const Market& pm = markets_[p.market];
    equity += lots_value(pm.cfg, config_.assets[pm.cfg.base].decimals, p.lots, *judged.mark[p.market]) - p.cost;
  }
  const book::Ticks bp = bankruptcy_ticks(mid, held, equity, *judged.mark[mid]);
  const bool beyond = side == book::Side::Sell ? ticks < bp : ticks > bp;
  if (!beyond) return {};
  if (!is_market)
    return reject(Error::OrderBeyondBankruptcy,
                  fmt::format("the order's price {} is beyond the account's bankruptcy price {} in {} (judged while its index is frozen)",
                              ticks * m.cfg.tick_size, bp * m.cfg.tick_size, m.cfg.symbol));
  ticks = bp;  // a market order stops at the bankruptcy price; what is left expires
  return {};
}

void Engine::observe_breaker(const Command& c, MarketId mid, book::Ticks price, int64_t notional, bool at_band) {
  Market& m = markets_[mid];
  if (band_stop_ && band_stop_->first == mid && band_stop_->second == price) at_band = true;
  if (!m.breaker.observe_trade(price * m.cfg.tick_size, notional, c.timestamp, at_band, m.cfg.breaker)) return;
  Event e;
  e.kind = EventKind::MarketPaused;
  e.market = mid;
  e.order_id = static_cast<uint64_t>(m.breaker.paused_until());
  events_.push_back(e);
}

}  // namespace glassbook::engine
