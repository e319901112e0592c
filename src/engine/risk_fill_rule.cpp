// The fill rule: no fill may leave an account below maintenance margin with a larger shortfall
// (maintenance minus equity) than it had before, so no account can hand its loss to the insurance
// fund by trading with a colluding account; the bankruptcy price is where that rule bites first.
#include <algorithm>

#include "core/assert.h"
#include "core/checked.h"
#include "engine/engine.h"
#include "risk/margin_tiers.h"
#include "risk/units.h"

namespace glassbook::engine {

namespace {

__int128 abs128(__int128 v) { return v < 0 ? -v : v; }

int64_t clamp_notional(__int128 v) { return static_cast<int64_t>(std::min<__int128>(v, INT64_MAX)); }

}  // namespace

book::Ticks Engine::bankruptcy_ticks(MarketId mid, int64_t lots, __int128 equity, int64_t mark) const {
  GB_ASSERT(lots != 0);
  const Market& m = markets_[mid];
  const int dec = config_.assets[m.cfg.base].decimals;
  const __int128 size = static_cast<__int128>(lots) * m.cfg.lot_size;
  // Truncating division rounds the price toward solvency: up for a long's sale, down for a short's buy.
  const __int128 bp = mark - equity * pow10(dec) / size;
  const int64_t tick = m.cfg.tick_size;
  __int128 ticks = lots > 0 ? (bp + tick - 1) / tick : bp / tick;
  if (lots > 0 && bp <= 0) ticks = 1;  // a long with equity above its notional cannot go bankrupt
  return static_cast<book::Ticks>(std::clamp<__int128>(ticks, 1, m.scale.max_price_ticks));
}

bool Engine::fill_deepens_shortfall(AccountId a, MarketId mid, int64_t lots, int64_t price, int64_t fee_ppm,
                                    const RiskPrices& prices) const {
  const auto mark = prices.mark[mid];
  if (!mark || a >= margin_.size()) return false;
  const MarginSummary s = margin_of(a, prices);
  if (s.frozen) return false;  // it cannot be judged; the frozen-index rules hold it instead
  const Market& m = markets_[mid];
  const int dec = config_.assets[m.cfg.base].decimals;
  const PerpPosition* p = margin_[a].find(mid);
  const int64_t held = p == nullptr ? 0 : p->lots;
  // Buying `lots` at `price` turns cash worth lots x price into a position worth lots x mark.
  const __int128 paid = lots_value(m.cfg, dec, lots, price);
  const __int128 fee = (abs128(paid) * fee_ppm + risk::kPpm - 1) / risk::kPpm;
  const __int128 equity = s.equity + lots_value(m.cfg, dec, lots, *mark) - paid - fee;
  const auto tiers = std::span<const risk::MarginTier>(m.cfg.perp.tiers);
  const __int128 maintenance = s.maintenance -
                               risk::maintenance_margin(tiers, clamp_notional(abs128(lots_value(m.cfg, dec, held, *mark)))) +
                               risk::maintenance_margin(tiers, clamp_notional(abs128(lots_value(m.cfg, dec, held + lots, *mark))));
  if (equity >= maintenance) return false;
  return maintenance - equity > s.maintenance - s.equity;
}

void Engine::cancel_unsafe_makers(const Command& c, MarketId mid, AccountId taker, book::Side side, book::Ticks limit,
                                  book::Lots lots, const RiskPrices* known) {
  Market& m = markets_[mid];
  const book::Side maker_side = side == book::Side::Buy ? book::Side::Sell : book::Side::Buy;
  const book::Ticks best = m.book->best(maker_side);
  if (best == 0 || (side == book::Side::Buy ? best > limit : best < limit)) return;  // nothing crosses
  std::optional<RiskPrices> computed;
  if (known == nullptr) computed = current_prices(c.timestamp);
  const RiskPrices& prices = known != nullptr ? *known : *computed;
  // The makers the order would meet, in priority order: each is judged on the fill it would get.
  std::vector<OrderId> unsafe;
  book::Lots left = lots;
  m.book->for_each_order_while(maker_side, [&](const book::Order& o) {
    if (side == book::Side::Buy ? o.price > limit : o.price < limit) return false;
    if (o.account == taker) return true;  // self-trade prevention decides, no fill
    const book::Lots q = std::min(left, o.remaining);
    const int64_t signed_lots = maker_side == book::Side::Buy ? q : -q;
    if (fill_deepens_shortfall(o.account, mid, signed_lots, o.price * m.cfg.tick_size, m.cfg.maker_fee_ppm, prices)) {
      unsafe.push_back(o.id);
      return true;
    }
    left -= q;
    return left > 0;
  });
  if (unsafe.empty()) return;
  const CancelCause cause = cancel_cause_;
  cancel_cause_ = CancelCause::BeyondBankruptcy;
  for (OrderId id : unsafe) {
    book_events_.clear();
    const book::Side s = maker_side;
    if (m.book->cancel(id, book_events_) == book::Reject::None) settle(c, mid, Taker{taker, s, 0, 0});
  }
  cancel_cause_ = cause;
}

}  // namespace glassbook::engine
