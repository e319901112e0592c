// Oracle updates: one source's signed prices; then each perpetual's premium and basis samples,
// funding when it is due, and a liquidation sweep over every account with positions.
#include <fmt/format.h>

#include <algorithm>

#include "engine/engine.h"

namespace glassbook::engine {

Result<size_t> Engine::oracle_source(const Command& c) const {
  const auto& keys = config_.oracle_sources.keys;
  const auto it = std::find(keys.begin(), keys.end(), c.signer);
  if (it == keys.end()) return Status(Error::Unauthorized, "oracle prices must be signed by an oracle source");
  return static_cast<size_t>(it - keys.begin());
}

Status Engine::on(const Command& c, const OracleUpdate& u) {
  auto source = oracle_source(c);
  if (!source) return source.status();
  // The unsigned-time form: the gateway refuses it; in a journal it counts as signed at the sequencer's time.
  return apply_quotes(c, *source, u.quotes, c.timestamp);
}

Status Engine::on(const Command& c, const OracleReport& r) {
  auto source = oracle_source(c);
  if (!source) return source.status();
  const int64_t window = config_.risk.oracle_staleness_us;
  const __int128 skew = static_cast<__int128>(c.timestamp) - r.source_time;
  if (skew > window || -skew > window)
    return reject(Error::Expired, fmt::format("the report's time {} is more than {} µs from the sequencer's {}", r.source_time,
                                              window, c.timestamp));
  if (r.source_time <= report_times_[*source])
    return reject(Error::InvalidArgument, fmt::format("the source reported at {} already; a report must be later", report_times_[*source]));
  // Freshness runs from the source's own time: a report signed 9 s before it was sequenced is fresh
  // for 1 s more under a 10 s limit, not for 10. A source clock ahead of ours earns nothing extra.
  if (auto s = apply_quotes(c, *source, r.quotes, std::min<Timestamp>(r.source_time, c.timestamp)); !s) return s;
  report_times_[*source] = r.source_time;
  return {};
}

Status Engine::apply_quotes(const Command& c, size_t source, std::span<const OracleQuote> quotes, Timestamp signed_time) {
  const auto& u = quotes;
  if (u.empty() || u.size() > kMaxOracleQuotes)
    return reject(Error::InvalidArgument, fmt::format("an oracle update carries 1..{} quotes", kMaxOracleQuotes));
  for (size_t i = 0; i < u.size(); ++i) {
    const OracleQuote& q = u[i];
    if (q.asset >= config_.assets.size()) return reject(Error::UnknownAsset, fmt::format("unknown asset {}", q.asset));
    const Valuation v = config_.assets[q.asset].valuation;
    if (v != Valuation::Index && v != Valuation::Redemption)
      return reject(Error::InvalidArgument, fmt::format("asset {} is not priced by the oracle", config_.assets[q.asset].symbol));
    if (q.value <= 0) return reject(Error::InvalidPrice, "oracle prices and rates must be positive");
    for (size_t j = 0; j < i; ++j)
      if (u[j].asset == q.asset) return reject(Error::InvalidArgument, "an asset is quoted twice");
  }
  for (const OracleQuote& q : u) oracle_[q.asset][source] = risk::OracleSample{q.value, signed_time, true};
  ++oracle_version_;

  RiskPrices prices = current_prices(c.timestamp);
  for (MarketId mid = 0; mid < markets_.size(); ++mid) {
    Market& m = markets_[mid];
    if (!m.is_perp() || !prices.mark[mid]) continue;
    const int64_t interval = m.cfg.perp.funding_interval_us;
    if (m.perp.next_funding == 0) m.perp.next_funding = (c.timestamp / interval + 1) * interval;
    sample_premium(mid, prices);
    if (c.timestamp >= m.perp.next_funding) {
      // The interval due is paid now; any later ones that also ended before this update had no
      // oracle update to price them (the sources were silent or the index frozen): each is skipped
      // explicitly, never paid twice nor silently dropped.
      const Timestamp due = m.perp.next_funding;
      const int64_t passed = (c.timestamp - due) / interval + 1;  // >= 1 funding times in [due, now]
      if (!apply_funding(c, mid, prices)) skip_funding(mid, due, 1, kSkippedOverflow);
      if (passed > 1) skip_funding(mid, due + interval, passed - 1, kSkippedUnpriced);
      // The first funding time after now (saturated: an interval near 2^63 µs never comes due again).
      m.perp.next_funding = static_cast<Timestamp>(std::min<__int128>(static_cast<__int128>(due) + static_cast<__int128>(passed) * interval, INT64_MAX));
    }
  }
  // The new prices (and any funding) are judged at once, for every account with positions.
  prices = current_prices(c.timestamp);
  sweep_liquidations(c, prices);
  if (!debtors_.empty()) settle_debtors(c, prices);
  return {};
}

void Engine::sample_premium(MarketId mid, const RiskPrices& prices) {
  Market& m = markets_[mid];
  const auto index = prices.asset[m.cfg.base];
  if (!index) return;
  const int dec = config_.assets[m.cfg.base].decimals;
  std::vector<book::OrderBook::Level> raw;
  std::vector<risk::BookLevel> bids, asks;
  constexpr size_t kImpactLevels = 64;
  for (book::Side side : {book::Side::Buy, book::Side::Sell}) {
    raw.clear();
    m.book->depth(side, kImpactLevels, raw);
    auto& out = side == book::Side::Buy ? bids : asks;
    for (const auto& l : raw) out.push_back({l.price * m.cfg.tick_size, l.qty * m.cfg.lot_size});
  }
  const auto impact_bid = risk::impact_price(bids, m.cfg.perp.impact_notional, dec, false);
  const auto impact_ask = risk::impact_price(asks, m.cfg.perp.impact_notional, dec, true);
  // On the clock: what stood since the last oracle update counts once per whole second it stood,
  // then the new observation stands. A burst of updates within one second adds nothing but its last.
  const Timestamp now = prices.now;
  PerpState& s = m.perp;
  // The average starts at 0 (mark = index) and moves only with time: a book that stands at the
  // first oracle update gets no more weight than one second of it.
  s.basis.started = true;
  s.premium.add_repeated(s.premium_now.value, s.premium_now.boundaries_until(now));
  s.premium_now.set(risk::premium_sample(impact_bid, impact_ask, *index), now);
  s.basis.add_repeated(s.basis_now.value, s.basis_now.boundaries_until(now), m.cfg.perp.basis_alpha_ppm);
  if (!bids.empty() && !asks.empty()) {
    const int64_t mid_price = bids.front().price + (asks.front().price - bids.front().price) / 2;
    s.basis_now.set(mid_price - *index, now);
  } else {
    s.basis_now.clear(now);  // no mid: nothing stands, the average holds
  }
}

void Engine::skip_funding(MarketId mid, Timestamp first, int64_t intervals, uint32_t why) {
  Event e;
  e.kind = EventKind::FundingSkipped;
  e.market = mid;
  e.quantity = intervals;
  e.order_id = static_cast<uint64_t>(first);
  e.client_id = why;
  events_.push_back(e);
}

bool Engine::funding_fits(MarketId mid, int64_t per_lot) const {
  // Every payment lots x per_lot, every payer's balance after it, and the clearing account's balance
  // along the way (it passes at most the sum of all payments) stay within int64.
  const __int128 kMax = INT64_MAX;
  __int128 flow = 0;
  for (auto holder = holders_[mid].next(0); holder; holder = holders_[mid].next(*holder + 1)) {
    const __int128 pay = static_cast<__int128>(margin_[*holder].find(mid)->lots) * per_lot;
    const __int128 after = static_cast<__int128>(ledger_.balance(*holder, config_.risk.margin_asset).total) - pay;
    if (pay > kMax || pay < -kMax || after > kMax || after < -kMax) return false;
    flow += pay < 0 ? -pay : pay;
    if (flow > kMax) return false;
  }
  const __int128 clearing = ledger_.balance(kClearingAccount, config_.risk.margin_asset).total;
  return clearing + flow <= kMax && clearing - flow >= -kMax;
}

bool Engine::apply_funding(const Command& c, MarketId mid, const RiskPrices& prices) {
  (void)c;
  Market& m = markets_[mid];
  const int64_t rate = risk::funding_rate(m.perp.premium.average(), m.cfg.perp.funding);
  const int64_t per_lot =
      risk::funding_per_lot(rate, *prices.mark[mid], m.cfg.lot_size, config_.assets[m.cfg.base].decimals);
  m.perp.premium.reset();
  m.perp.last_funding_rate = rate;
  if (per_lot == 0) return true;
  if (!funding_fits(mid, per_lot)) return false;
  // Longs pay per_lot per lot and shorts receive it (or the reverse): lots sum to zero over all
  // positions, so the payments through the clearing account sum to exactly zero.
  for (auto holder = holders_[mid].next(0); holder; holder = holders_[mid].next(*holder + 1)) {
    const AccountId a = *holder;
    const PerpPosition* p = margin_[a].find(mid);
    const int64_t pay = p->lots * per_lot;
    settle_margin(a, kClearingAccount, pay, "perpetual: funding");
    Event e;
    e.kind = EventKind::FundingPaid;
    e.account = a;
    e.market = mid;
    e.quantity = pay;
    e.price = rate;
    events_.push_back(e);
  }
  return true;
}

}  // namespace glassbook::engine
