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
  return apply_quotes(c, *source, u.quotes);
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
  if (auto s = apply_quotes(c, *source, r.quotes); !s) return s;
  report_times_[*source] = r.source_time;
  return {};
}

Status Engine::apply_quotes(const Command& c, size_t source, std::span<const OracleQuote> quotes) {
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
  for (const OracleQuote& q : u) oracle_[q.asset][source] = risk::OracleSample{q.value, c.timestamp, true};
  ++oracle_version_;

  RiskPrices prices = current_prices(c.timestamp);
  for (MarketId mid = 0; mid < markets_.size(); ++mid) {
    Market& m = markets_[mid];
    if (!m.is_perp() || !prices.mark[mid]) continue;
    const int64_t interval = m.cfg.perp.funding_interval_us;
    if (m.perp.next_funding == 0) m.perp.next_funding = (c.timestamp / interval + 1) * interval;
    sample_premium(mid, prices);
    if (c.timestamp >= m.perp.next_funding) {
      apply_funding(c, mid, prices);
      while (m.perp.next_funding <= c.timestamp) m.perp.next_funding += interval;
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
  m.perp.premium.add(risk::premium_sample(impact_bid, impact_ask, *index));
  if (!bids.empty() && !asks.empty()) {
    const int64_t mid_price = bids.front().price + (asks.front().price - bids.front().price) / 2;
    m.perp.basis.add(mid_price - *index, m.cfg.perp.basis_alpha_ppm);
  }
}

void Engine::apply_funding(const Command& c, MarketId mid, const RiskPrices& prices) {
  (void)c;
  Market& m = markets_[mid];
  const int64_t rate = risk::funding_rate(m.perp.premium.average(), m.cfg.perp.funding);
  const int64_t per_lot =
      risk::funding_per_lot(rate, *prices.mark[mid], m.cfg.lot_size, config_.assets[m.cfg.base].decimals);
  m.perp.premium.reset();
  m.perp.last_funding_rate = rate;
  if (per_lot == 0) return;
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
}

}  // namespace glassbook::engine
