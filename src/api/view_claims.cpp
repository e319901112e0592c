// The view's claims bookkeeping, the account.claimUpdate frames, and the claims queries it answers.
#include "api/view_claims.h"

#include <fmt/format.h>

#include <algorithm>
#include <shared_mutex>

#include "api/claims_json.h"
#include "api/exchange_view.h"
#include "api/json_writer.h"
#include "api/stream_json.h"
#include "core/decimal.h"
#include "engine/claim_transfers.h"

namespace glassbook::api {
namespace {

using engine::Event;
using engine::EventKind;

std::string amount(const engine::ExchangeConfig& c, AssetId asset, int64_t v) { return format_decimal(v, c.assets[asset].decimals); }

bool contains(const std::vector<std::string>& codes, std::string_view code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// The start of a claimUpdate payload: e (the event), E and T (the command's time, µs, as every stream
// payload), the journal seq of the command, and the estate.
JsonWriter begin_update(std::string_view kind, const engine::Command& c, const engine::ExchangeConfig& config, uint16_t estate) {
  JsonWriter w(256);
  w.begin_object();
  w.key("e").string(kind);
  w.key("E").integer(c.timestamp);
  w.key("T").integer(c.timestamp);
  w.key("journalSeq").unsigned_integer(c.seq);
  w.key("estate").unsigned_integer(estate);
  w.key("estateName").string(config.estates[estate].name);
  return w;
}

const char* payout_kind_name(ClaimPayoutRecord::Kind k) {
  switch (k) {
    case ClaimPayoutRecord::Kind::Paid: return "paid";
    case ClaimPayoutRecord::Kind::Escrowed: return "escrowed";
    case ClaimPayoutRecord::Kind::Released: return "released";
  }
  return "unknown";
}

}  // namespace

void ViewClaims::seed(const engine::Engine& shadow) {
  const engine::ClaimsRegistry& registry = shadow.claims();
  // Link order is not in the state: a state's links are listed by estate and claim id.
  for (size_t e = 0; e < registry.estate_count(); ++e)
    for (const auto& [id, claim] : registry.estate(e).claims)
      if (claim.holder != 0) linked_[claim.holder].emplace_back(static_cast<uint16_t>(e), id);
}

const std::vector<std::pair<uint16_t, uint64_t>>* ViewClaims::linked(AccountId account) const {
  auto it = linked_.find(account);
  return it == linked_.end() ? nullptr : &it->second;
}

const std::deque<ClaimPayoutRecord>* ViewClaims::payouts(AccountId account) const {
  auto it = payouts_.find(account);
  return it == payouts_.end() ? nullptr : &it->second;
}

void ViewClaims::payout(AccountId account, const ClaimPayoutRecord& r) {
  std::deque<ClaimPayoutRecord>& h = payouts_[account];
  h.push_front(r);
  if (h.size() > kPayoutsPerAccount) h.pop_back();
}

void ViewClaims::on_event(const Event& e, const engine::Command& c, const engine::Engine& shadow, std::vector<StreamFrame>& frames,
                          const std::function<bool(std::string_view key)>& want) {
  const engine::ExchangeConfig& config = shadow.config();
  // A frame for `account`'s stream, when someone reads it: `fill` writes the event's own fields.
  const auto frame = [&](AccountId account, std::string_view kind, uint16_t estate, const std::function<void(JsonWriter&)>& fill) {
    std::string key(kClaimUpdateStream);
    key.append("#").append(std::to_string(account));
    if (want && !want(key)) return;
    JsonWriter w = begin_update(kind, c, config, estate);
    fill(w);
    w.end_object();
    frames.push_back({std::move(key), stream_frame(kClaimUpdateStream, w.text())});
  };
  const auto estate = static_cast<uint16_t>(e.market);
  switch (e.kind) {
    case EventKind::ClaimAttested: {
      if (e.account == 0) return;  // not linked yet: nobody's stream
      frame(e.account, "claimAttested", estate, [&](JsonWriter& w) {
        w.key("claimId").decimal(std::to_string(e.order_id));
        w.key("face").decimal(amount(config, config.estates[estate].claim_asset, e.quantity));
        w.key("status").string(claim_status_name(static_cast<engine::ClaimStatus>(e.client_id)));
        w.key("revision").integer(e.remaining);
      });
      return;
    }
    case EventKind::ClaimLinked: {
      linked_[e.account].emplace_back(estate, e.order_id);
      frame(e.account, "claimLinked", estate, [&](JsonWriter& w) { w.key("claimId").decimal(std::to_string(e.order_id)); });
      return;
    }
    case EventKind::ClaimUnitsIssued: {
      frame(e.account, e.quantity > 0 ? "claimUnitsCredited" : "claimUnitsTakenBack", estate, [&](JsonWriter& w) {
        w.key("claimId").decimal(std::to_string(e.order_id));
        w.key("symbol").string(config.assets[e.asset].symbol);
        w.key("quantity").decimal(amount(config, e.asset, e.quantity > 0 ? e.quantity : -e.quantity));
      });
      return;
    }
    case EventKind::KycAttested: {
      const auto& kyc = shadow.claims().estate(estate).kyc;
      const auto it = kyc.find(e.account);
      frame(e.account, "kycAttested", estate, [&](JsonWriter& w) {
        w.key("level").unsigned_integer(e.client_id);
        w.key("jurisdiction").string(it != kyc.end() ? it->second.jurisdiction : "");
        w.key("expiresAt").integer(static_cast<int64_t>(e.order_id));
      });
      return;
    }
    case EventKind::ClaimTransferred: {
      const engine::ClaimTransfer t = engine::claim_transfer_of(c, e);
      engine::count_transfer(traded_, t);
      const engine::MarketConfig& m = config.markets[t.market];
      for (const bool buyer : {false, true}) {
        frame(buyer ? t.buyer : t.seller, "claimTransferred", t.estate, [&](JsonWriter& w) {
          w.key("side").string(buyer ? "buyer" : "seller");
          w.key("market").string(m.symbol);
          w.key("tradeId").unsigned_integer(t.trade_id);
          w.key("counterparty").unsigned_integer(buyer ? t.seller : t.buyer);
          w.key("units").decimal(amount(config, m.base, t.units));
          w.key("price").decimal(amount(config, m.quote, t.price));
          w.key("quoteAmount").decimal(amount(config, m.quote, t.quote_amount));
        });
      }
      return;
    }
    case EventKind::DistributionPaid:
    case EventKind::DistributionEscrowed:
    case EventKind::EscrowReleased: {
      const ClaimPayoutRecord::Kind kind = e.kind == EventKind::DistributionPaid       ? ClaimPayoutRecord::Kind::Paid
                                           : e.kind == EventKind::DistributionEscrowed ? ClaimPayoutRecord::Kind::Escrowed
                                                                                       : ClaimPayoutRecord::Kind::Released;
      const bool released = kind == ClaimPayoutRecord::Kind::Released;
      const ClaimPayoutRecord r{kind, c.seq, c.timestamp, estate, released ? 0u : static_cast<uint32_t>(e.order_id), e.asset, e.quantity,
                                released ? 0 : e.remaining};
      payout(e.account, r);
      const char* name = released ? "escrowReleased" : kind == ClaimPayoutRecord::Kind::Paid ? "distributionPaid" : "distributionEscrowed";
      frame(e.account, name, estate, [&](JsonWriter& w) {
        if (!released) w.key("round").unsigned_integer(r.round);
        w.key("symbol").string(config.assets[r.asset].symbol);
        w.key("quantity").decimal(amount(config, r.asset, r.amount));
        if (!released) w.key("units").decimal(amount(config, config.estates[estate].claim_asset, r.units));
      });
      return;
    }
    default: return;
  }
}

std::string ExchangeView::claim_estates_json() const {
  std::shared_lock lock(mutex_);
  return api::claim_estates_json(*shadow_);
}

Result<std::string> ExchangeView::claim_report_json(uint64_t estate) const {
  std::shared_lock lock(mutex_);
  auto report = engine::estate_report(*shadow_, estate, claims_.traded());
  if (!report) return report.status();
  return estate_report_json(*report, *config_, estate, shadow_->last_seq());
}

Result<std::string> ExchangeView::account_claims_json(AccountId account, std::optional<uint64_t> estate) const {
  std::shared_lock lock(mutex_);
  const engine::ExchangeConfig& c = *config_;
  if (estate && *estate >= c.estates.size()) return Status(Error::InvalidArgument, fmt::format("unknown estate {}", *estate));
  JsonWriter w(512);
  w.begin_array();
  if (const auto* linked = claims_.linked(account)) {
    for (const auto& [e, id] : *linked) {
      if (estate && e != *estate) continue;
      const auto& claims = shadow_->claims().estate(e).claims;
      const auto it = claims.find(id);
      if (it == claims.end()) continue;
      const engine::ClaimRecord& r = it->second;
      const AssetId asset = c.estates[e].claim_asset;
      w.begin_object();
      w.key("estate").unsigned_integer(e);
      w.key("estateName").string(c.estates[e].name);
      w.key("claimId").decimal(std::to_string(id));
      w.key("claimAsset").string(c.assets[asset].symbol);
      w.key("face").decimal(amount(c, asset, r.face));
      w.key("status").string(claim_status_name(r.status));
      w.key("revision").unsigned_integer(r.revision);
      w.key("units").decimal(amount(c, asset, r.units()));
      w.end_object();
    }
  }
  w.end_array();
  return w.take();
}

std::string ExchangeView::account_kyc_json(AccountId account, Timestamp now_us) const {
  std::shared_lock lock(mutex_);
  const engine::ExchangeConfig& c = *config_;
  JsonWriter w(256);
  w.begin_array();
  for (size_t e = 0; e < c.estates.size(); ++e) {
    const auto& kyc = shadow_->claims().estate(e).kyc;
    const auto it = kyc.find(account);
    if (it == kyc.end()) continue;
    const engine::KycRecord& k = it->second;
    const engine::EstateConfig& estate = c.estates[e];
    const bool valid = k.valid_at(now_us);
    w.begin_object();
    w.key("estate").unsigned_integer(e);
    w.key("estateName").string(estate.name);
    w.key("level").unsigned_integer(k.level);
    w.key("jurisdiction").string(k.jurisdiction);
    w.key("issuedAt").integer(k.issued_at);
    w.key("expiresAt").integer(k.expires_at);
    w.key("valid").boolean(valid);
    // What the attestation allows now, by the estate's rules in force (docs/claims.md, "Trading").
    w.key("maySell").boolean(valid);
    w.key("mayBuy").boolean(valid && k.level >= estate.transfer_rules.min_kyc_level &&
                            !contains(estate.transfer_rules.barred_buyer_jurisdictions, k.jurisdiction));
    w.key("payoutsBarred").boolean(contains(estate.barred_jurisdictions, k.jurisdiction));
    w.end_object();
  }
  w.end_array();
  return w.take();
}

std::string ExchangeView::account_payouts_json(AccountId account, size_t limit, size_t offset) const {
  std::shared_lock lock(mutex_);
  const engine::ExchangeConfig& c = *config_;
  JsonWriter w(256);
  w.begin_array();
  if (const auto* h = claims_.payouts(account)) {
    for (size_t i = offset; i < h->size() && i < offset + limit; ++i) {
      const ClaimPayoutRecord& r = (*h)[i];
      w.begin_object();
      w.key("estate").unsigned_integer(r.estate);
      w.key("estateName").string(c.estates[r.estate].name);
      w.key("round");
      if (r.kind == ClaimPayoutRecord::Kind::Released) w.null();
      else w.unsigned_integer(r.round);
      w.key("status").string(payout_kind_name(r.kind));
      w.key("symbol").string(c.assets[r.asset].symbol);
      w.key("quantity").decimal(amount(c, r.asset, r.amount));
      w.key("units").decimal(amount(c, c.estates[r.estate].claim_asset, r.units));
      w.key("journalSeq").unsigned_integer(r.seq);
      w.key("timestamp").integer(r.at);
      w.end_object();
    }
  }
  w.end_array();
  return w.take();
}

std::string ExchangeView::account_escrow_json(AccountId account, Timestamp now_us) const {
  std::shared_lock lock(mutex_);
  const engine::ExchangeConfig& c = *config_;
  JsonWriter w(256);
  w.begin_array();
  for (size_t e = 0; e < c.estates.size(); ++e) {
    const engine::EstateDistributions& d = shadow_->distributions().estate(e);
    const auto& kyc = shadow_->claims().estate(e).kyc;
    const auto k = kyc.find(account);
    // Why ReleaseEscrow would be refused now (empty: it would release), as the engine judges it.
    std::string refusal;
    if (k == kyc.end()) refusal = "no KYC attestation for this estate";
    else if (!k->second.valid_at(now_us)) refusal = "the KYC attestation has expired";
    else if (contains(c.estates[e].barred_jurisdictions, k->second.jurisdiction))
      refusal = fmt::format("jurisdiction {} is barred from payouts", k->second.jurisdiction);
    for (auto it = d.escrow.lower_bound(engine::escrow_key(account, 0)); it != d.escrow.end() && engine::escrow_account_of(it->first) == account;
         ++it) {
      const AssetId asset = engine::escrow_asset_of(it->first);
      w.begin_object();
      w.key("estate").unsigned_integer(e);
      w.key("estateName").string(c.estates[e].name);
      w.key("symbol").string(c.assets[asset].symbol);
      w.key("quantity").decimal(amount(c, asset, it->second));
      w.key("releasable").boolean(refusal.empty());
      w.key("reason");
      if (refusal.empty()) w.null();
      else w.string(refusal);
      w.end_object();
    }
  }
  w.end_array();
  return w.take();
}

}  // namespace glassbook::api
