// Tallies the events a shock produced on the copy.
#include "stress/event_tally.h"

#include <algorithm>

#include "core/checked.h"

namespace glassbook::stress {

namespace {

void insert_sorted(std::vector<AccountId>& v, AccountId a) {
  const auto it = std::lower_bound(v.begin(), v.end(), a);
  if (it == v.end() || *it != a) v.insert(it, a);
}

// price (quote units per whole base) x quantity (base units), in quote units, rounded down.
int64_t notional(const engine::ExchangeConfig& config, MarketId m, int64_t price, int64_t quantity) {
  const int dec = config.assets[config.markets[m].base].decimals;
  return mul_div_floor(price, quantity, pow10(dec)).value_or(INT64_MAX);
}

}  // namespace

void tally_events(std::span<const engine::Event> events, const engine::ExchangeConfig& config, StressReport& r) {
  using engine::EventKind;
  for (const engine::Event& e : events) {
    ++r.events;
    switch (e.kind) {
      case EventKind::LiquidationStarted:
        ++r.liquidations;
        insert_sorted(r.liquidated, e.account);
        break;
      case EventKind::OrderCancelled:
        if (e.cause == engine::CancelCause::Liquidation) ++r.orders_cancelled;
        break;
      case EventKind::Trade:
        ++r.book_fills;
        r.book_quantity += e.quantity;
        r.book_notional += notional(config, e.market, e.price, e.quantity);
        break;
      case EventKind::PositionTakenOver:
        if (e.client_id == 0) {
          ++r.fund_takeovers;
          r.fund_takeover_quantity += e.quantity;
          r.fund_takeover_notional += notional(config, e.market, e.price, e.quantity);
        } else {
          ++r.adl_events;
          insert_sorted(r.adl_counterparties, e.maker_account);
          r.adl_quantity += e.quantity;
          r.adl_notional += notional(config, e.market, e.price, e.quantity);
        }
        break;
      case EventKind::BadDebtCovered:
        ++r.bad_debt_events;
        r.bad_debt += e.quantity;
        break;
      case EventKind::FundingPaid:
        ++r.funding_payments;
        break;
      default:
        break;
    }
  }
}

}  // namespace glassbook::stress
