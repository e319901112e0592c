// The view's role state: pending deposits and configuration proposals, read from the shadow engine.
#include <algorithm>
#include <mutex>
#include <shared_mutex>

#include "api/exchange_view.h"
#include "api/json_writer.h"

namespace glassbook::api {

bool ExchangeView::deposit_credited(uint64_t deposit_id) const {
  std::shared_lock lock(mutex_);
  return shadow_->deposit_credited(deposit_id);
}

bool ExchangeView::deposit_attested_by(uint64_t deposit_id, const crypto::PublicKey& watcher) const {
  std::shared_lock lock(mutex_);
  const auto& pending = shadow_->pending_deposits().all();
  auto it = pending.find(deposit_id);
  if (it == pending.end()) return false;
  const auto& a = it->second.attesters;
  return std::find(a.begin(), a.end(), watcher) != a.end();
}

std::string ExchangeView::pending_deposits_json() const {
  std::shared_lock lock(mutex_);
  const engine::ExchangeConfig& config = shadow_->config();
  JsonWriter w;
  w.begin_array();
  for (const auto& [id, p] : shadow_->pending_deposits().all()) {
    const engine::Deposit& d = p.deposit;
    w.begin_object();
    w.key("depositId").unsigned_integer(id);
    w.key("account").unsigned_integer(d.account);
    w.key("asset").string(d.asset < config.assets.size() ? config.assets[d.asset].symbol : "?");
    w.key("amount").integer(d.amount);  // the asset's smallest units
    w.key("attestations").unsigned_integer(p.attesters.size());
    w.key("needed").unsigned_integer(engine::attestations_needed(config, d.asset, d.amount));
    w.key("attesters").begin_array();
    for (const auto& k : p.attesters) w.string(crypto::base64_encode(k));
    w.end_array();
    w.end_object();
  }
  w.end_array();
  return w.take();
}

std::string ExchangeView::proposals_json() const {
  std::shared_lock lock(mutex_);
  const engine::ExchangeConfig& config = shadow_->config();
  JsonWriter w;
  w.begin_object();
  w.key("threshold").unsigned_integer(config.operators.threshold);
  w.key("timelockUs").integer(config.governance.config_timelock_us);
  w.key("proposals").begin_array();
  for (const auto& p : shadow_->pending_proposals()) {
    w.begin_object();
    w.key("proposalId").unsigned_integer(p.id);
    w.key("configHash").string(crypto::to_hex(p.config_hash));
    w.key("approvals").unsigned_integer(p.approvals.size());
    w.key("approvers").begin_array();
    for (const auto& k : p.approvals) w.string(crypto::base64_encode(k));
    w.end_array();
    // Null while short of approvals; otherwise the sequencer time (µs) from which it may be enacted.
    w.key("enactableAt");
    if (p.enactable_at == 0) w.null(); else w.integer(p.enactable_at);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace glassbook::api
