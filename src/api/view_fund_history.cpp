// ExchangeView, the insurance fund over time (GET /api/v1/glassbook/insurance/history): its
// margin-asset balance after every command that changed it, newest kept, oldest dropped past a bound.
#include <mutex>

#include "api/exchange_view.h"
#include "api/json_writer.h"
#include "core/decimal.h"

namespace glassbook::api {

namespace {

int64_t fund_balance(const engine::Engine& e) {
  const ledger::Ledger& ledger = e.ledger();
  if (!ledger.has_account(kInsuranceAccount)) return 0;
  return ledger.balance(kInsuranceAccount, e.config().risk.margin_asset).total;
}

}  // namespace

// Called after every command under the unique lock: one balance read, a point only on a change.
void ExchangeView::record_fund() {
  const int64_t balance = fund_balance(*shadow_);
  if (!fund_history_.empty() && fund_history_.back().balance == balance) return;
  fund_history_.push_back({shadow_->last_timestamp(), balance});
  if (fund_history_.size() > kFundHistoryPoints) fund_history_.pop_front();
}

std::string ExchangeView::fund_history() const {
  std::shared_lock lock(mutex_);
  const engine::ExchangeConfig& c = *config_;
  const int decimals = c.assets.empty() ? 0 : c.assets[c.risk.margin_asset].decimals;
  JsonWriter w(64 + fund_history_.size() * 48);
  w.begin_object();
  w.key("symbol").string(c.assets.empty() ? "" : c.assets[c.risk.margin_asset].symbol);
  w.key("points").begin_array();
  for (const FundPoint& p : fund_history_) {
    w.begin_object();
    w.key("timestamp");
    if (p.at == 0) {
      w.null();  // the state before any command (genesis) has no time
    } else {
      w.integer(p.at / 1000);
    }
    w.key("balance").decimal(format_decimal(p.balance, decimals, true));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace glassbook::api
