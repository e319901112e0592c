// ExchangeView, perpetual queries: market, mark prices, funding rates, open interest, positions,
// funding payments and collateral, all from the shadow engine at the last command's timestamp.
#include <algorithm>
#include <mutex>
#include <span>

#include "api/exchange_view.h"
#include "api/iso_time.h"
#include "api/perp_json.h"
#include "core/checked.h"
#include "risk/funding.h"
#include "risk/margin_tiers.h"

namespace glassbook::api {

namespace {

using engine::Engine;
using engine::RiskPrices;

__int128 abs128(__int128 v) { return v < 0 ? -v : v; }

// a * b / d rounded toward negative infinity (d > 0), as the engine values positions.
__int128 mul_div_floor128(__int128 a, __int128 b, __int128 d) {
  const __int128 p = a * b;
  __int128 q = p / d;
  if (p < 0 && q * d != p) q -= 1;
  return q;
}

int64_t clamp64(__int128 v) { return static_cast<int64_t>(std::clamp<__int128>(v, INT64_MIN, INT64_MAX)); }

bool is_perp(const engine::ExchangeConfig& c, MarketId m) { return c.markets[m].kind == engine::MarketKind::Perpetual; }

MarkFigures mark_figures(const Engine& e, const RiskPrices& prices, MarketId m) {
  const engine::MarketConfig& c = e.config().markets[m];
  const engine::PerpState* st = e.perp_state(m);
  MarkFigures f;
  f.mark = prices.mark[m];
  f.index = prices.asset[c.base];
  f.funding_rate = risk::funding_rate(st->premium.average(), c.perp.funding);
  // Before the first oracle update the engine has no funding time yet: the next interval boundary.
  const int64_t interval = c.perp.funding_interval_us;
  f.next_funding = st->next_funding != 0 ? st->next_funding : (floor_div(prices.now, interval) + 1) * interval;
  return f;
}

// The mark price at which the account's equity would meet its maintenance margin, moving only this
// position's mark (other positions, collateral values and this position's margin tier held).
std::optional<int64_t> liquidation_price(const engine::MarketConfig& c, int64_t unit, int64_t q, int64_t mark,
                                         __int128 notional, const engine::MarginSummary& s) {
  if (s.frozen) return std::nullopt;
  const auto tiers = std::span<const risk::MarginTier>(c.perp.tiers);
  size_t k = 0;
  while (k + 1 < tiers.size() && notional > tiers[k].max_notional) ++k;
  const __int128 r = tiers[k].maintenance_ppm;
  const __int128 deduction = r * notional / 1'000'000 - risk::maintenance_margin(tiers, clamp64(notional));
  // equity + q (P - mark) / unit = r |q| P / (unit 1e6) - deduction, solved for P.
  const __int128 num = static_cast<__int128>(q) * mark * 1'000'000 - (s.equity + deduction) * unit * 1'000'000;
  const __int128 den = static_cast<__int128>(q) * 1'000'000 - r * abs128(q);
  return clamp64(std::max<__int128>(num / den, 0));
}

PositionFigures position_figures(const Engine& e, const RiskPrices& prices, const engine::MarginSummary& s, AccountId a,
                                 MarketId m, const engine::PerpPosition& p, const PositionTrack* track) {
  const engine::MarketConfig& c = e.config().markets[m];
  const int64_t unit = pow10(e.config().assets[c.base].decimals);
  PositionFigures f;
  f.account = a;
  if (track != nullptr) {
    f.track = *track;
    f.id = track->id;
  }
  f.quantity = p.lots * c.lot_size;
  f.cost = p.cost;
  f.entry_price = clamp64(abs128(p.cost) * unit / abs128(f.quantity));
  f.exposure = std::max(std::abs(p.lots + p.open_buy), std::abs(p.lots - p.open_sell)) * c.lot_size;
  f.mark = prices.mark[m];
  if (!f.mark) return f;
  const __int128 value = mul_div_floor128(f.quantity, *f.mark, unit);
  const __int128 notional = abs128(value);
  f.unrealized = value - p.cost;
  f.exposure_notional = static_cast<__int128>(f.exposure) * *f.mark / unit;
  const auto tiers = std::span<const risk::MarginTier>(c.perp.tiers);
  if (notional > 0) {
    f.imf_ppm = clamp64(static_cast<__int128>(risk::initial_margin(tiers, clamp64(notional))) * 1'000'000 / notional);
    f.mmf_ppm = clamp64(static_cast<__int128>(risk::maintenance_margin(tiers, clamp64(notional))) * 1'000'000 / notional);
  }
  // Break-even: where closing it all leaves the position's realized PnL, fees and funding at zero.
  const __int128 net = static_cast<__int128>(f.track.realized) - f.track.fees - f.track.funding;
  f.break_even = clamp64(std::max<__int128>((p.cost - net) * unit / f.quantity, 0));
  f.liquidation = liquidation_price(c, unit, f.quantity, *f.mark, notional, s);
  return f;
}

}  // namespace

Result<std::string> ExchangeView::market(std::string_view symbol) const {
  std::shared_lock lock(mutex_);
  auto m = require_market(symbol);
  if (!m) return m.status();
  JsonWriter w(512);
  write_market(w, MarketView{*config_, *m, markets_[*m].format});
  return w.take();
}

std::optional<int64_t> ExchangeView::index_price(AssetId asset) const {
  std::shared_lock lock(mutex_);
  if (asset >= config_->assets.size() || config_->assets[asset].valuation != engine::Valuation::Index) return std::nullopt;
  return shadow_->oracle_aggregate_at(asset, shadow_->last_timestamp());
}

Timestamp ExchangeView::last_report_time(const crypto::PublicKey& source) const {
  std::shared_lock lock(mutex_);
  const auto& keys = config_->oracle_sources.keys;
  const auto it = std::find(keys.begin(), keys.end(), source);
  return it == keys.end() ? 0 : shadow_->last_report_time(static_cast<size_t>(it - keys.begin()));
}

Result<std::string> ExchangeView::mark_prices(std::string_view symbol) const {
  std::shared_lock lock(mutex_);
  auto filter = perp_filter(symbol);
  if (!filter) return filter.status();
  const std::optional<MarketId> only = *filter;
  const RiskPrices prices = shadow_->prices_at(shadow_->last_timestamp());
  JsonWriter w(256);
  w.begin_array();
  for (MarketId m = 0; m < markets_.size(); ++m)
    if (is_perp(*config_, m) && (!only || *only == m))
      write_mark_price(w, MarketView{*config_, m, markets_[m].format}, mark_figures(*shadow_, prices, m));
  w.end_array();
  return w.take();
}

Result<std::string> ExchangeView::funding_rates(std::string_view symbol, size_t limit, size_t offset) const {
  std::shared_lock lock(mutex_);
  auto m = require_perp(symbol);
  if (!m) return m.status();
  const auto& ring = markets_[*m].funding_rates;
  const MarketView mv{*config_, *m, markets_[*m].format};
  JsonWriter w(256);
  w.begin_array();
  for (size_t i = offset; i < ring.size() && i - offset < limit; ++i) write_funding_rate(w, mv, ring[ring.size() - 1 - i]);
  w.end_array();
  return w.take();
}

Result<std::string> ExchangeView::open_interest(std::string_view symbol) const {
  std::shared_lock lock(mutex_);
  auto filter = perp_filter(symbol);
  if (!filter) return filter.status();
  const std::optional<MarketId> only = *filter;
  JsonWriter w(128);
  w.begin_array();
  for (MarketId m = 0; m < markets_.size(); ++m)
    if (is_perp(*config_, m) && (!only || *only == m))
      write_open_interest(w, MarketView{*config_, m, markets_[m].format}, markets_[m].open_interest, shadow_->last_timestamp());
  w.end_array();
  return w.take();
}

Result<std::string> ExchangeView::positions(AccountId account, std::string_view symbol) const {
  std::shared_lock lock(mutex_);
  auto filter = perp_filter(symbol);
  if (!filter) return filter.status();
  const std::optional<MarketId> only = *filter;
  const RiskPrices prices = shadow_->prices_at(shadow_->last_timestamp());
  const engine::MarginSummary summary = shadow_->margin_of(account, prices);
  const AccountHistory* h = find_history(account);
  JsonWriter w(1024);
  w.begin_array();
  for (MarketId m = 0; m < markets_.size(); ++m) {
    if (!is_perp(*config_, m) || (only && *only != m)) continue;
    const engine::PerpPosition* p = shadow_->position(account, m);
    if (p == nullptr || p->lots == 0) continue;
    const PositionTrack* t = h == nullptr ? nullptr : h->find_track(m);
    PositionFigures f = position_figures(*shadow_, prices, summary, account, m, *p, t);
    f.adl = shadow_->adl_place(account, m, prices);
    write_position(w, MarketView{*config_, m, markets_[m].format}, f);
  }
  w.end_array();
  return w.take();
}

std::string ExchangeView::funding_payments(AccountId account, std::string_view symbol, size_t limit, size_t offset) const {
  std::shared_lock lock(mutex_);
  const MarketFilter only = filter(symbol);
  JsonWriter w(512);
  w.begin_array();
  const AccountHistory* h = find_history(account);
  if (h != nullptr && !only.none) {
    size_t seen = 0, written = 0;
    for (auto it = h->funding().rbegin(); it != h->funding().rend() && written < limit; ++it) {
      if (!only.accepts(it->market)) continue;
      if (seen++ < offset) continue;
      write_funding_payment(w, MarketView{*config_, it->market, markets_[it->market].format}, account, *it);
      ++written;
    }
  }
  w.end_array();
  return w.take();
}

Result<std::string> ExchangeView::insurance_fund() const {
  std::shared_lock lock(mutex_);
  const RiskPrices prices = shadow_->prices_at(shadow_->last_timestamp());
  const engine::MarginSummary s = shadow_->margin_of(kInsuranceAccount, prices);
  const ledger::Ledger& ledger = shadow_->ledger();
  const __int128 balance = ledger.has_account(kInsuranceAccount) ? ledger.balance(kInsuranceAccount, config_->risk.margin_asset).total : 0;
  JsonWriter w(1024);
  w.begin_object();
  write_insurance_figures(w, *config_, balance, s);
  w.key("positions").begin_array();
  for (MarketId m = 0; m < markets_.size(); ++m) {
    const engine::PerpPosition* p = is_perp(*config_, m) ? shadow_->position(kInsuranceAccount, m) : nullptr;
    if (p == nullptr || p->lots == 0) continue;
    write_position(w, MarketView{*config_, m, markets_[m].format},
                   position_figures(*shadow_, prices, s, kInsuranceAccount, m, *p, nullptr));
  }
  w.end_array();
  w.end_object();
  return w.take();
}

std::string ExchangeView::collateral(AccountId account) const {
  std::shared_lock lock(mutex_);
  const RiskPrices prices = shadow_->prices_at(shadow_->last_timestamp());
  const engine::MarginSummary s = shadow_->margin_of(account, prices);
  const ledger::Ledger& ledger = shadow_->ledger();
  std::vector<CollateralLine> lines;
  __int128 unrealized = 0;
  if (ledger.has_account(account) && is_customer(account)) {
    for (AssetId x = 0; x < config_->assets.size() && x < ledger.asset_count(); ++x) {
      const engine::AssetConfig& a = config_->assets[x];
      const ledger::Balance& b = ledger.balance(account, x);
      const int64_t unit = pow10(a.decimals);
      const int64_t free = b.total - b.held;
      CollateralLine l{x, prices.asset[x], 0, 0};
      if (l.price) l.notional = mul_div_floor128(b.total, *l.price, unit);
      if (a.valuation == engine::Valuation::MarginAsset) {
        l.value = free;  // debt included, as the engine counts it
      } else if (l.price && free > 0) {
        // What the engine's margin gives it: with a concentration haircut, what the asset adds to the
        // account's collateral (the excess over its share at the lower weight).
        l.value = a.has_concentration() ? shadow_->concentrated_value_of(account, x, prices)
                                        : mul_div_floor128(free, *l.price, unit) * a.collateral_weight_ppm / 1'000'000;
      }
      lines.push_back(l);
    }
    for (MarketId m = 0; m < markets_.size(); ++m) {
      const engine::PerpPosition* p = is_perp(*config_, m) ? shadow_->position(account, m) : nullptr;
      if (p == nullptr || p->lots == 0 || !prices.mark[m]) continue;
      const engine::MarketConfig& c = config_->markets[m];
      unrealized += mul_div_floor128(p->lots * c.lot_size, *prices.mark[m], pow10(config_->assets[c.base].decimals)) - p->cost;
    }
  }
  JsonWriter w(1024);
  write_collateral(w, *config_, ledger, account, s, unrealized, lines);
  return w.take();
}

}  // namespace glassbook::api
