// ExchangeView, the reconciliation (GET /api/v1/glassbook/reconciliation): the exchange's wallets
// with their observed balances, each asset's figures as the engine reconciles them now, and the open
// alerts, read from the shadow engine. Public like the open withdrawals: anyone may check that the
// wallets hold what the ledger owes.
#include <mutex>
#include <shared_mutex>
#include <string>

#include "api/exchange_view.h"
#include "api/json_writer.h"

namespace glassbook::api {

namespace {

// Amounts as decimal text in smallest units (never a double); the sums are 128-bit.
std::string units(__int128 v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  unsigned __int128 u = negative ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
  std::string digits;
  while (u != 0) {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  }
  return negative ? "-" + digits : digits;
}

const char* status_of(const engine::Engine::AssetReconciliation& r) {
  if (!r.observed) return "unobserved";
  if (r.discrepancy < 0) return "shortfall";
  if (r.discrepancy > 0) return "surplus";
  return "reconciled";
}

}  // namespace

std::string ExchangeView::reconciliation_json() const {
  std::shared_lock lock(mutex_);
  const engine::ExchangeConfig& config = shadow_->config();
  const engine::CustodyWallets& custody = shadow_->custody();
  auto symbol = [&](AssetId a) { return a < config.assets.size() ? config.assets[a].symbol : std::string("?"); };
  JsonWriter w;
  w.begin_object();
  w.key("haltWithdrawalsOnAlert").boolean(config.custody.halt_withdrawals_on_alert);
  w.key("wallets").begin_array();
  for (const engine::WalletRecord& r : custody.wallets()) {
    w.begin_object();
    w.key("blockchain").string(r.wallet.chain);
    w.key("address").string(r.wallet.address);
    w.key("symbol").string(symbol(r.wallet.asset));
    w.key("kind").string(engine::wallet_kind_name(r.wallet.kind));
    w.key("signers").begin_array();
    for (const auto& k : r.wallet.signers) w.string(crypto::base64_encode(k));
    w.end_array();
    w.key("threshold").unsigned_integer(r.wallet.threshold);
    w.key("height");
    if (r.observed) w.unsigned_integer(r.height); else w.null();
    w.key("balance");
    if (r.observed) w.string(std::to_string(r.balance)); else w.null();
    w.end_object();
  }
  w.end_array();
  w.key("assets").begin_array();
  for (const auto& r : shadow_->reconciliation()) {
    w.begin_object();
    w.key("symbol").string(symbol(r.asset));
    w.key("status").string(status_of(r));
    w.key("customerWallets").unsigned_integer(r.customer_wallets);
    w.key("liabilities").string(units(r.liabilities));
    w.key("exchangeOwn").string(units(r.exchange_own));
    w.key("expected").string(units(r.expected));
    w.key("customerWalletsBalance").string(units(r.customer_wallets_balance));
    w.key("operationalWalletsBalance").string(units(r.operational_wallets_balance));
    w.key("pendingDeposits").string(units(r.pending_deposits));
    w.key("pendingWithdrawals").string(units(r.pending_withdrawals));
    w.key("discrepancy").string(units(r.discrepancy));
    w.key("openAlert");
    if (r.open_alert) w.unsigned_integer(*r.open_alert); else w.null();
    w.key("withdrawalsHalted").boolean(r.open_alert.has_value() && config.custody.halt_withdrawals_on_alert);
    w.end_object();
  }
  w.end_array();
  w.key("alerts").begin_array();
  for (const auto& [id, a] : custody.alerts()) {
    w.begin_object();
    w.key("alertId").unsigned_integer(id);
    w.key("symbol").string(symbol(a.asset));
    w.key("kind").string(a.discrepancy < 0 ? "shortfall" : "surplus");
    w.key("discrepancy").string(std::to_string(a.discrepancy));
    w.key("raisedAtSeq").unsigned_integer(a.raised_at);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace glassbook::api
