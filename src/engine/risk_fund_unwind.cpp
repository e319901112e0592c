// The insurance fund's own liquidator: positions the fund took over are sold back through the book
// in bounded immediate-or-cancel slices, at most one per market in each second of journaled time,
// priced no further from the mark than half the market's band, so the fund sheds the risk it holds
// without dumping it on a thin book, and never pays for it below its floor.
#include <algorithm>

#include "core/checked.h"
#include "engine/engine.h"
#include "risk/units.h"

namespace glassbook::engine {

void Engine::unwind_fund(const Command& c, Timestamp previous, const RiskPrices& prices) {
  // One slice per market in each interval (risk.fund_unwind_interval_us, 1 s by default).
  const Timestamp interval = config_.risk.fund_unwind_interval_us;
  if (c.timestamp / interval == previous / interval) return;
  if (kInsuranceAccount >= margin_.size()) return;
  for (MarketId mid = 0; mid < markets_.size(); ++mid) {
    Market& m = markets_[mid];
    const PerpPosition* pos = margin_[kInsuranceAccount].find(mid);
    if (!m.is_perp() || pos == nullptr || pos->lots == 0 || !prices.mark[mid] || m.breaker.paused(c.timestamp)) continue;
    const MarginSummary fund = margin_of(kInsuranceAccount, prices);
    if (fund.frozen) return;
    const int64_t lots = pos->lots;
    const book::Side side = lots > 0 ? book::Side::Sell : book::Side::Buy;
    const int64_t mark = *prices.mark[mid];
    const int64_t tick = m.cfg.tick_size;
    const int64_t reach = static_cast<int64_t>(static_cast<__int128>(mark) * (m.cfg.band_ppm / 2) / risk::kPpm);
    __int128 limit = side == book::Side::Sell ? (mark - reach + tick - 1) / tick : (mark + reach) / tick;
    limit = std::clamp<__int128>(limit, 1, m.scale.max_price_ticks);
    const int64_t cap_lots = m.cfg.perp.insurance_max_position / m.cfg.lot_size;
    // A slice is a share of the fund's position cap in the market (risk.fund_slices_per_cap, 20 by
    // default): the cap is what the fund may hold at all, so it sheds a full position in at least
    // that many intervals.
    int64_t slice = std::min<int64_t>(std::abs(lots), std::max<int64_t>(1, cap_lots / config_.risk.fund_slices_per_cap));
    // What the slice could lose against the mark, fee included, stays within the fund's room above
    // its floor.
    const int dec = config_.assets[m.cfg.base].decimals;
    const __int128 room = fund.equity - config_.risk.insurance_floor;
    const __int128 per_lot = lots_value(m.cfg, dec, 1, reach + tick) +
                             lots_value(m.cfg, dec, 1, mark + reach + tick) * m.cfg.taker_fee_ppm / risk::kPpm + 1;
    slice = static_cast<int64_t>(std::clamp<__int128>(room / per_lot, 0, slice));
    if (slice == 0) continue;
    const book::Ticks ticks = static_cast<book::Ticks>(limit);
    PerpPosition& reserve = position_slot(kInsuranceAccount, mid);
    (side == book::Side::Buy ? reserve.open_buy : reserve.open_sell) += slice;
    cancel_unsafe_makers(c, mid, kInsuranceAccount, side, ticks, slice, &prices);
    book_events_.clear();
    const book::NewOrder order{next_order_id_++, kInsuranceAccount, side, ticks, slice, book::TimeInForce::IOC, book::Stp::CancelNewest};
    if (m.book->add(order, book_events_) == book::Reject::None) {
      settle(c, mid, Taker{kInsuranceAccount, side, ticks, 0});
    } else {
      PerpPosition& undo = position_slot(kInsuranceAccount, mid);
      (side == book::Side::Buy ? undo.open_buy : undo.open_sell) -= slice;
      drop_if_empty(kInsuranceAccount, mid);
    }
  }
}

}  // namespace glassbook::engine
