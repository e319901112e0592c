// ExchangeView's perpetual bookkeeping: position tracks and open interest from PositionChanged events,
// funding payments, and the fundings each market applied (read from its PerpState around an OracleUpdate).
#include <algorithm>

#include "api/exchange_view.h"

namespace glassbook::api {

void ExchangeView::seed_positions() {
  // Once, at construction: every account's open positions (customers and system accounts).
  const AccountId end = kFirstCustomer + static_cast<AccountId>(shadow_->customer_count());
  for (MarketId m = 0; m < markets_.size(); ++m) {
    if (config_->markets[m].kind != engine::MarketKind::Perpetual) continue;
    for (AccountId a = 0; a < end; ++a) {
      const engine::PerpPosition* p = shadow_->position(a, m);
      if (p == nullptr || p->lots == 0) continue;
      const int64_t q = p->lots * config_->markets[m].lot_size;
      history(a).track(m).quantity = q;
      markets_[m].open_interest += std::max<int64_t>(q, 0);
    }
  }
}

void ExchangeView::track_position(const engine::Event& e, SeqNo seq) {
  AccountHistory& h = history(e.account);
  const PositionTrack* old = h.find_track(e.market);
  const int64_t before = old == nullptr ? 0 : old->quantity;
  // A fill that turns a long into a short (or back) closes the position and opens a new one: its
  // realized PnL was the closed one's, and the new one's history (id, PnL, funding, fees) starts here.
  const bool flipped = before != 0 && e.quantity != 0 && (before < 0) != (e.quantity < 0);
  const bool fresh = old == nullptr || flipped;
  if (flipped) h.drop_track(e.market);
  PositionTrack& t = h.track(e.market);
  if (fresh) t.id = seq;
  t.quantity = e.quantity;
  if (!flipped) t.realized += e.remaining;
  markets_[e.market].open_interest += std::max<int64_t>(e.quantity, 0) - std::max<int64_t>(before, 0);
  if (e.quantity == 0) h.drop_track(e.market);
}

void ExchangeView::track_funding(const engine::Event& e, Timestamp interval_end) {
  AccountHistory& h = history(e.account);
  h.add_funding(FundingPaymentRecord{e.market, e.quantity, e.price, interval_end});
  if (h.find_track(e.market) != nullptr) h.track(e.market).funding += e.quantity;
}

void ExchangeView::track_fee(AccountId account, MarketId market, int64_t fee) {
  AccountHistory& h = history(account);
  if (h.find_track(market) != nullptr) h.track(market).fees += fee;
}

std::vector<Timestamp> ExchangeView::funding_times() const {
  std::vector<Timestamp> out(markets_.size(), 0);
  for (MarketId m = 0; m < markets_.size(); ++m)
    if (const engine::PerpState* s = shadow_->perp_state(m)) out[m] = s->next_funding;
  return out;
}

void ExchangeView::record_fundings(const std::vector<Timestamp>& before) {
  for (MarketId m = 0; m < before.size() && m < markets_.size(); ++m) {
    const engine::PerpState* s = shadow_->perp_state(m);
    // The engine moves the funding time on exactly when it applies a funding (0 -> set is the first
    // oracle update, not a funding).
    if (s == nullptr || before[m] == 0 || s->next_funding == before[m]) continue;
    auto& ring = markets_[m].funding_rates;
    if (limits_.funding_rates_per_market == 0) continue;
    if (ring.size() >= limits_.funding_rates_per_market) ring.pop_front();
    ring.push_back(FundingRateRecord{s->last_funding_rate, before[m]});
  }
}

}  // namespace glassbook::api
