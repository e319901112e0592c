// The exchange view's withdrawal records, folded from the engine's withdrawal events, in Backpack's JSON.
#include "api/view_withdrawals.h"

#include "api/iso_time.h"
#include "api/json_writer.h"
#include "core/decimal.h"

namespace glassbook::api {

namespace {

WithdrawalState state_of(engine::WithdrawalStatus s) {
  switch (s) {
    case engine::WithdrawalStatus::AwaitingApproval: return WithdrawalState::AwaitingApproval;
    case engine::WithdrawalStatus::Approved: return WithdrawalState::Approved;
    case engine::WithdrawalStatus::Broadcast: return WithdrawalState::Broadcast;
  }
  return WithdrawalState::AwaitingApproval;
}

WithdrawalRecord record_of(const engine::Withdrawal& w) {
  return WithdrawalRecord{w.id,         w.request.account,   w.request.asset, w.request.amount, w.request.address,
                          w.request.blockchain, w.request.client_id, w.requested_at, state_of(w.status), w.tx_id};
}

// Backpack's status: "pending" until the chain decides, then "confirmed", or "void" for a failure or
// a custodian's cancellation.
// Glassbook's own step is in `glassbookStatus`.
const char* backpack_status(WithdrawalState s) {
  switch (s) {
    case WithdrawalState::Confirmed: return "confirmed";
    case WithdrawalState::Failed:
    case WithdrawalState::Cancelled: return "void";
    default: return "pending";
  }
}

const char* own_status(WithdrawalState s) {
  switch (s) {
    case WithdrawalState::AwaitingApproval: return "awaitingApproval";
    case WithdrawalState::Approved: return "approved";
    case WithdrawalState::Broadcast: return "broadcast";
    case WithdrawalState::Confirmed: return "confirmed";
    case WithdrawalState::Failed: return "failed";
    case WithdrawalState::Cancelled: return "cancelled";
  }
  return "awaitingApproval";
}

void write_record(JsonWriter& w, const engine::ExchangeConfig& config, const WithdrawalRecord& r) {
  w.begin_object();
  ViewWithdrawals::write_fields(w, config, r);
  w.end_object();
}

}  // namespace

void ViewWithdrawals::write_fields(JsonWriter& w, const engine::ExchangeConfig& config, const WithdrawalRecord& r) {
  w.key("id").unsigned_integer(r.id);
  w.key("blockchain").string(r.blockchain);
  if (r.client_id != 0)
    w.key("clientId").string(std::to_string(r.client_id));
  else
    w.key("clientId").null();
  w.key("identifier").null();
  w.key("quantity").decimal(format_decimal(r.amount, config.assets[r.asset].decimals, true));
  w.key("fee").decimal("0");
  w.key("symbol").string(config.assets[r.asset].symbol);
  w.key("status").string(backpack_status(r.state));
  w.key("glassbookStatus").string(own_status(r.state));
  w.key("subaccountId").null();
  w.key("toAddress").string(r.address);
  if (r.tx_id.empty())
    w.key("transactionHash").null();
  else
    w.key("transactionHash").string(r.tx_id);
  w.key("createdAt").string(iso_millis(r.created_at));
  w.key("isInternal").boolean(false);
}

void ViewWithdrawals::add(WithdrawalRecord r) {
  auto& ring = by_account_[r.account];
  ring.push_back(std::move(r));
  while (ring.size() > per_account_) ring.pop_front();
}

void ViewWithdrawals::seed(const engine::Engine& shadow) {
  for (const auto& [id, w] : shadow.withdrawals().open()) add(record_of(w));
}

void ViewWithdrawals::on_event(const engine::Event& e, const engine::Engine& shadow, Timestamp now) {
  using engine::EventKind;
  if (e.kind == EventKind::WithdrawalRequested) {
    const engine::Withdrawal* w = shadow.withdrawals().find(e.order_id);
    if (w == nullptr) return;  // cannot be: the shadow just opened it
    WithdrawalRecord r = record_of(*w);
    r.created_at = now;
    add(std::move(r));
    return;
  }
  auto it = by_account_.find(e.account);
  if (it == by_account_.end()) return;
  for (auto r = it->second.rbegin(); r != it->second.rend(); ++r) {
    if (r->id != e.order_id) continue;
    switch (e.kind) {
      case EventKind::WithdrawalApproved: r->state = WithdrawalState::Approved; break;
      case EventKind::WithdrawalBroadcast:
        r->state = WithdrawalState::Broadcast;
        if (const engine::Withdrawal* w = shadow.withdrawals().find(e.order_id)) r->tx_id = w->tx_id;
        break;
      case EventKind::WithdrawalConfirmed: r->state = WithdrawalState::Confirmed; break;
      case EventKind::WithdrawalFailed: r->state = WithdrawalState::Failed; break;
      case EventKind::WithdrawalCancelled: r->state = WithdrawalState::Cancelled; break;
      default: break;
    }
    return;
  }
}

const WithdrawalRecord* ViewWithdrawals::find(AccountId account, uint64_t id) const {
  auto it = by_account_.find(account);
  if (it == by_account_.end()) return nullptr;
  for (auto r = it->second.rbegin(); r != it->second.rend(); ++r)
    if (r->id == id) return &*r;
  return nullptr;
}

std::string ViewWithdrawals::json(const engine::ExchangeConfig& config, AccountId account, size_t limit, size_t offset) const {
  JsonWriter w(512);
  w.begin_array();
  if (auto it = by_account_.find(account); it != by_account_.end()) {
    const auto& ring = it->second;
    for (size_t i = offset; i < ring.size() && i - offset < limit; ++i) write_record(w, config, ring[ring.size() - 1 - i]);
  }
  w.end_array();
  return w.take();
}

std::string ViewWithdrawals::json_of(const engine::ExchangeConfig& config, const WithdrawalRecord& r) {
  JsonWriter w(256);
  write_record(w, config, r);
  return w.take();
}

}  // namespace glassbook::api
