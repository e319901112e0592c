// ExchangeView, the frames of the account's custody streams (account.withdrawalUpdate and
// account.depositUpdate): one at each change of its withdrawals, allow-list and deposits.
#include <fmt/format.h>

#include <variant>

#include "api/exchange_view.h"
#include "api/stream_custody_json.h"
#include "api/stream_json.h"
#include "engine/request_text.h"
#include "engine/request_translate.h"

namespace glassbook::api {

namespace {

using engine::EventKind;

// The address a command put on an allow-list or took off it: the native command's, or the one a
// signed withdrawalAddressAdd or withdrawalAddressRemove request names (the event carries the account
// and the time only).
std::string listed_address(const engine::CommandBody& body) {
  if (const auto* a = std::get_if<engine::AddWithdrawalAddress>(&body)) return a->address;
  if (const auto* a = std::get_if<engine::RemoveWithdrawalAddress>(&body)) return a->address;
  return {};
}

std::string command_address(const engine::Engine& shadow, const engine::Command& c) {
  if (std::string a = listed_address(c.body); !a.empty()) return a;
  const auto* r = std::get_if<engine::SignedRequest>(&c.body);
  if (r == nullptr) return {};
  const auto text = engine::parse_request_text(r->text);
  const auto account = shadow.account_of(c.signer);
  if (!text || !account) return {};
  const auto bodies = engine::translate_request(*text, shadow.config(), *account);
  if (!bodies || bodies->size() != 1) return {};
  return listed_address(bodies->front());
}

const char* withdrawal_kind(EventKind k) {
  switch (k) {
    case EventKind::WithdrawalRequested: return "withdrawalRequested";
    case EventKind::WithdrawalApproval: return "withdrawalApproval";
    case EventKind::WithdrawalApproved: return "withdrawalApproved";
    case EventKind::WithdrawalBroadcast: return "withdrawalBroadcast";
    case EventKind::WithdrawalConfirmed: return "withdrawalConfirmed";
    case EventKind::WithdrawalFailed: return "withdrawalFailed";
    case EventKind::WithdrawalCancelled: return "withdrawalCancelled";
    default: return nullptr;
  }
}

}  // namespace

void ExchangeView::custody_frame(const engine::Command& c, const engine::Event& e, std::vector<StreamFrame>& frames,
                                 const std::function<bool(std::string_view key)>& wants) const {
  const bool deposit = e.kind == EventKind::Deposited || e.kind == EventKind::DepositReversed;
  const char* kind = withdrawal_kind(e.kind);
  const bool listing = e.kind == EventKind::WithdrawalAddressAdded || e.kind == EventKind::WithdrawalAddressRemoved;
  if (!deposit && kind == nullptr && !listing) return;
  const std::string_view stream = deposit ? kDepositUpdateStream : kWithdrawalUpdateStream;
  std::string key = fmt::format("{}#{}", stream, e.account);
  if (wants && !wants(key)) return;
  const engine::ExchangeConfig& config = *config_;
  std::string data;
  if (deposit) {
    DepositRecord d{e.order_id, e.asset, e.quantity, c.timestamp, e.kind == EventKind::DepositReversed};
    bool known = e.kind == EventKind::Deposited;
    if (!known) {  // a reversal: when the deposit was credited, if the view still holds it
      if (const AccountHistory* h = find_history(e.account))
        for (auto it = h->deposits().rbegin(); it != h->deposits().rend() && !known; ++it)
          if (it->id == e.order_id) d.timestamp = it->timestamp, known = true;
    }
    data = deposit_update_event(config, e.kind == EventKind::Deposited ? "depositCredited" : "depositReversed", d, known, c.timestamp);
  } else if (e.kind == EventKind::WithdrawalAddressAdded) {
    data = withdrawal_address_event(command_address(*shadow_, c), e.price, c.timestamp);
  } else if (e.kind == EventKind::WithdrawalAddressRemoved) {
    data = withdrawal_address_removed_event(command_address(*shadow_, c), c.timestamp);
  } else {
    const WithdrawalRecord* found = withdrawals_.find(e.account, e.order_id);
    // The view keeps the newest records of each account; one it let go is written from the event.
    WithdrawalRecord r;
    if (found != nullptr) {
      r = *found;
    } else {
      r.id = e.order_id;
      r.account = e.account;
      r.asset = e.asset;
      r.amount = e.quantity;
      r.client_id = e.client_id;
      r.created_at = c.timestamp;
    }
    const bool approval = e.kind == EventKind::WithdrawalApproval;
    data = withdrawal_update_event(config, kind, r, c.timestamp, approval ? static_cast<int>(e.client_id) : -1,
                                   approval ? static_cast<int>(e.remaining) : -1);
  }
  frames.push_back({std::move(key), stream_frame(stream, data)});
}

}  // namespace glassbook::api
