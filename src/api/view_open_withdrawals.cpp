// ExchangeView, the open withdrawals (GET /api/v1/glassbook/withdrawals): what the custodians approve
// and broadcast and the chain watchers settle, read from the shadow engine. Public like the pending
// deposits: the journal's records feed already serves every withdrawal request to anyone.
#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include "api/exchange_view.h"
#include "api/json_writer.h"

namespace glassbook::api {

namespace {

const char* status_name(engine::WithdrawalStatus s) {
  switch (s) {
    case engine::WithdrawalStatus::AwaitingApproval: return "awaitingApproval";
    case engine::WithdrawalStatus::Approved: return "approved";
    case engine::WithdrawalStatus::Broadcast: return "broadcast";
  }
  return "?";
}

void keys(JsonWriter& w, const char* name, const std::vector<crypto::PublicKey>& list) {
  w.key(name).begin_array();
  for (const auto& k : list) w.string(crypto::base64_encode(k));
  w.end_array();
}

}  // namespace

std::string ExchangeView::open_withdrawals_json() const {
  std::shared_lock lock(mutex_);
  const engine::ExchangeConfig& config = shadow_->config();
  JsonWriter w;
  w.begin_array();
  for (const auto& [id, x] : shadow_->withdrawals().open()) {
    const engine::RequestWithdrawal& r = x.request;
    w.begin_object();
    w.key("withdrawalId").unsigned_integer(id);
    w.key("account").unsigned_integer(r.account);
    w.key("symbol").string(r.asset < config.assets.size() ? config.assets[r.asset].symbol : "?");
    w.key("amount").string(std::to_string(r.amount));  // smallest units, as text: never a double
    w.key("address").string(r.address);
    w.key("blockchain").string(r.blockchain);
    w.key("status").string(status_name(x.status));
    w.key("approvalsNeeded").unsigned_integer(std::max<uint32_t>(config.custodians.threshold, 1));
    keys(w, "approvers", x.approvals);
    w.key("txId");
    if (x.tx_id.empty()) w.null(); else w.string(x.tx_id);
    keys(w, "confirmedBy", x.confirmed_by);
    keys(w, "failedBy", x.failed_by);
    w.end_object();
  }
  w.end_array();
  return w.take();
}

}  // namespace glassbook::api
