// ExchangeView, the risk overview (GET /api/v1/glassbook/risk): the oracle sources' last reports and
// whether each is stale, the insurance fund, and each market's circuit breaker, at the last command's time.
#include <algorithm>
#include <mutex>

#include "api/exchange_view.h"
#include "api/json_writer.h"
#include "core/decimal.h"
#include "crypto/ed25519.h"

namespace glassbook::api {

void ExchangeView::record_report(const engine::Command& command, std::span<const engine::Event> events) {
  const auto* report = std::get_if<engine::OracleReport>(&command.body);
  if (report == nullptr) return;
  for (const engine::Event& e : events)
    if (e.kind == engine::EventKind::Rejected) return;
  // At most one entry per configured source (the engine took the report, so the signer is one) and
  // per asset: bounded by the configuration.
  auto& prices = source_prices_[command.signer];
  for (const engine::OracleQuote& q : report->quotes) prices[q.asset] = q.value;
}

std::string ExchangeView::risk_overview() const {
  std::shared_lock lock(mutex_);
  const engine::ExchangeConfig& c = *config_;
  const Timestamp now = shadow_->last_timestamp();
  const int64_t staleness = c.risk.oracle_staleness_us;
  const int margin_decimals = c.assets.empty() ? 0 : c.assets[c.risk.margin_asset].decimals;
  JsonWriter w(1024);
  w.begin_object();
  w.key("timestamp").integer(now / 1000);
  w.key("stalenessMs").integer(staleness / 1000);
  w.key("sources").begin_array();
  for (size_t i = 0; i < c.oracle_sources.keys.size(); ++i) {
    const crypto::PublicKey& key = c.oracle_sources.keys[i];
    const Timestamp last = shadow_->last_report_time(i);
    w.begin_object();
    w.key("index").unsigned_integer(i);
    w.key("key").string(crypto::base64_encode(key));
    w.key("lastReportTimestamp");
    if (last == 0) w.null();
    else w.integer(last / 1000);
    w.key("stale").boolean(last == 0 || last < now - staleness);
    w.key("prices").begin_object();
    if (auto it = source_prices_.find(key); it != source_prices_.end())
      for (const auto& [asset, value] : it->second)
        if (asset < c.assets.size()) w.key(c.assets[asset].symbol).decimal(format_decimal(value, margin_decimals));
    w.end_object();
    w.end_object();
  }
  w.end_array();
  w.key("insuranceFund").begin_array();
  const ledger::Ledger& ledger = shadow_->ledger();
  for (AssetId a = 0; a < c.assets.size() && a < ledger.asset_count(); ++a) {
    if (!ledger.has_account(kInsuranceAccount)) break;
    const int64_t total = ledger.balance(kInsuranceAccount, a).total;
    if (total == 0 && a != c.risk.margin_asset) continue;
    w.begin_object();
    w.key("symbol").string(c.assets[a].symbol);
    w.key("balance").decimal(format_decimal(total, c.assets[a].decimals));
    w.end_object();
  }
  w.end_array();
  w.key("markets").begin_array();
  for (MarketId m = 0; m < markets_.size(); ++m) {
    w.begin_object();
    w.key("symbol").string(markets_[m].symbol);
    w.key("paused").boolean(shadow_->market_paused(m, now));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace glassbook::api
