// The engine's withdrawal handlers: allow-listed addresses, requests with their risk checks and
// hold, custodians' approvals and broadcast, chain watchers' outcome, and deposit reversals.
#include <fmt/format.h>

#include <algorithm>

#include "core/checked.h"
#include "engine/engine.h"

namespace glassbook::engine {

namespace {

bool has(const std::vector<crypto::PublicKey>& keys, const crypto::PublicKey& k) {
  return std::find(keys.begin(), keys.end(), k) != keys.end();
}

Timestamp saturating_add(Timestamp t, int64_t d) { return t > INT64_MAX - d ? INT64_MAX : t + d; }

}  // namespace

void Engine::withdrawal_event(EventKind kind, const Withdrawal& w, int64_t remaining) {
  Event e;
  e.kind = kind;
  e.account = w.request.account;
  e.asset = w.request.asset;
  e.quantity = w.request.amount;
  e.order_id = w.id;
  e.client_id = w.request.client_id;
  e.remaining = remaining;
  events_.push_back(e);
}

Status Engine::on(const Command& c, const AddWithdrawalAddress& a) {
  if (auto s = authorize(c, a.account); !s) return s;
  if (isolated_.contains(a.account)) return reject(Error::InvalidArgument, "an isolated account has no withdrawal addresses: its owner withdraws");
  if (auto s = check_chain_text("address", a.address, kMaxWithdrawalAddressBytes); !s) return s;
  if (auto s = check_custody_destination(a.address); !s) return s;
  if (withdrawals_.usable_from(a.account, a.address))
    return reject(Error::InvalidArgument, fmt::format("address {} is already on account {}'s allow-list", a.address, a.account));
  if (withdrawals_.addresses_of(a.account) >= Withdrawals::kMaxAddressesPerAccount)
    return reject(Error::Overloaded, fmt::format("account {} already allow-lists {} addresses", a.account, Withdrawals::kMaxAddressesPerAccount));
  if (withdrawals_.address_count() >= Withdrawals::kMaxAddresses)
    return reject(Error::Overloaded, fmt::format("{} withdrawal addresses are allow-listed", Withdrawals::kMaxAddresses));
  // The cooling-off runs on the sequencer's journaled time: a stolen key cannot add an address and
  // drain the account to it before the owner sees the event.
  const Timestamp from = saturating_add(c.timestamp, config_.withdrawals.cooling_off_us);
  withdrawals_.allow(a.account, a.address, from);
  Event e;
  e.kind = EventKind::WithdrawalAddressAdded;
  e.account = a.account;
  e.price = from;
  events_.push_back(e);
  return {};
}

Status Engine::on(const Command& c, const RemoveWithdrawalAddress& a) {
  if (auto s = authorize(c, a.account); !s) return s;
  if (auto s = check_chain_text("address", a.address, kMaxWithdrawalAddressBytes); !s) return s;
  // Open withdrawals to it keep going: they passed their checks when asked for, and their funds are
  // held; the address only stops taking new ones. Put back, it cools off again.
  if (!withdrawals_.disallow(a.account, a.address))
    return reject(Error::InvalidArgument, fmt::format("address {} is not on account {}'s allow-list", a.address, a.account));
  Event e;
  e.kind = EventKind::WithdrawalAddressRemoved;
  e.account = a.account;
  events_.push_back(e);
  return {};
}

Status Engine::on(const Command& c, const RequestWithdrawal& w) {
  if (auto s = authorize(c, w.account); !s) return s;
  if (isolated_.contains(w.account)) return reject(Error::InvalidArgument, "an isolated account cannot withdraw: move its margin to its owner first");
  if (w.asset >= config_.assets.size()) return reject(Error::UnknownAsset, "unknown asset " + std::to_string(w.asset));
  if (w.amount <= 0) return reject(Error::InvalidQuantity, "the withdrawal amount must be positive");
  if (auto s = check_chain_text("address", w.address, kMaxWithdrawalAddressBytes); !s) return s;
  if (auto s = check_chain_text("blockchain", w.blockchain, kMaxBlockchainBytes); !s) return s;
  if (auto s = check_custody_destination(w.address); !s) return s;
  if (auto s = check_withdrawals_running(w.asset); !s) return s;
  const std::string& symbol = config_.assets[w.asset].symbol;
  // Claim units are a record of the estate's registry, not a token on any chain: they leave only by
  // trade or distribution, as they came in only by an attested, linked claim (a distribution round
  // relies on them staying put).
  if (estate_of_claim_asset(config_, w.asset))
    return reject(Error::InvalidArgument, fmt::format("asset {} is an estate's claim units: it cannot be withdrawn", symbol));
  if (w.client_id != 0 && withdrawals_.client_id_open(w.account, w.client_id))
    return reject(Error::DuplicateClientOrderId, fmt::format("client id {} already names an open withdrawal", w.client_id));
  const ledger::Balance& balance = ledger_.balance(w.account, w.asset);
  if (ledger_.in_debt(w.account, w.asset))
    return reject(Error::InsufficientFunds, fmt::format("account {} owes {} {} units after a deposit reversal: no withdrawal of {} until it is repaid",
                                                        w.account, std::max<int64_t>(balance.held - balance.total, -balance.total), symbol, symbol));
  const auto usable = withdrawals_.usable_from(w.account, w.address);
  if (!usable)
    return reject(Error::AddressCoolingOff, fmt::format("address {} is not on account {}'s withdrawal allow-list: add it first", w.address, w.account));
  if (c.timestamp < *usable)
    return reject(Error::AddressCoolingOff, fmt::format("address {} is cooling off until {} µs ({} s from now)", w.address, *usable,
                                                        (*usable - c.timestamp + 999'999) / 1'000'000));
  // Velocity: what was requested inside the window, this one included, stays within the limits.
  const WithdrawalConfig& rules = config_.withdrawals;
  const WithdrawalAssetLimits& limits = rules.of(w.asset);
  // Requests at or before `since` have left the window (forgotten only when this one is accepted:
  // a refused command changes nothing).
  const Timestamp since = c.timestamp - rules.window_us;
  if (limits.account_limit > 0) {
    const int64_t used = withdrawals_.recent_sum(w.asset, w.account, since);
    if (w.amount > limits.account_limit - used)
      return reject(Error::WithdrawalLimit, fmt::format("account {} may withdraw {} {} units per {} s and has requested {} of them", w.account,
                                                        limits.account_limit, symbol, rules.window_us / 1'000'000, used));
  }
  if (limits.global_limit > 0) {
    const int64_t used = withdrawals_.recent_sum(w.asset, std::nullopt, since);
    if (w.amount > limits.global_limit - used)
      return reject(Error::WithdrawalLimit, fmt::format("the exchange's withdrawals of {} are limited to {} units per {} s and {} are requested",
                                                        symbol, limits.global_limit, rules.window_us / 1'000'000, used));
  }
  const bool counted = rules.window_us > 0 && (limits.account_limit > 0 || limits.global_limit > 0);
  if (counted && withdrawals_.recent_count(since) >= Withdrawals::kMaxRecent)
    return reject(Error::Overloaded, fmt::format("{} withdrawals are inside the velocity window", Withdrawals::kMaxRecent));
  if (withdrawals_.open().size() >= Withdrawals::kMaxOpen)
    return reject(Error::Overloaded, fmt::format("{} withdrawals are already open", Withdrawals::kMaxOpen));
  if (balance.available() < w.amount)
    return reject(Error::InsufficientFunds, fmt::format("withdrawal of {} {} units: only {} are available", w.amount, symbol,
                                                        std::max<int64_t>(balance.available(), 0)));
  if (auto s = ledger_.hold(w.account, w.asset, w.amount); !s) return s;
  // Collateral backing positions or open perpetual orders stays: the account keeps its initial
  // margin with the withdrawal held (held funds are no collateral).
  if (w.account < margin_.size() && !margin_[w.account].positions.empty()) {
    const MarginSummary m = margin_of(w.account, current_prices(c.timestamp));
    const char* why = m.frozen ? "a price the account's margin depends on is frozen" : nullptr;
    if (why == nullptr && m.equity < m.initial) why = "the withdrawal would take the account below its initial margin";
    if (why != nullptr) {
      if (auto s = ledger_.release(w.account, w.asset, w.amount); !s) return s;  // cannot fail: just held
      return reject(m.frozen ? Error::IndexFrozen : Error::InsufficientMargin,
                    fmt::format("{} (equity {}, initial margin {})", why, static_cast<int64_t>(m.equity), static_cast<int64_t>(m.initial)));
    }
  }
  if (counted) withdrawals_.note_recent(RecentWithdrawal{c.timestamp, w.account, w.asset, w.amount}, since);
  const bool needs_approval = limits.approval_above == 0 || w.amount > limits.approval_above;
  const Withdrawal& x = withdrawals_.add(w, c.timestamp, needs_approval ? WithdrawalStatus::AwaitingApproval : WithdrawalStatus::Approved);
  withdrawal_event(EventKind::WithdrawalRequested, x, needs_approval ? std::max<int64_t>(config_.custodians.threshold, 1) : 0);
  if (!needs_approval) withdrawal_event(EventKind::WithdrawalApproved, x);
  return {};
}

// The bare forms of the role commands: a captured one could be sent again, so only the timed form
// (signed with its time, remembered inside its window) is accepted.
Status Engine::on(const Command&, const ApproveWithdrawal&) {
  return reject(Error::InvalidArgument, "a withdrawal approval must be sent as a timed role command");
}
Status Engine::on(const Command&, const BroadcastWithdrawal&) {
  return reject(Error::InvalidArgument, "a withdrawal broadcast must be sent as a timed role command");
}
Status Engine::on(const Command&, const SettleWithdrawal&) {
  return reject(Error::InvalidArgument, "a withdrawal outcome must be sent as a timed role command");
}
Status Engine::on(const Command&, const ReverseDeposit&) {
  return reject(Error::InvalidArgument, "a deposit reversal must be sent as a timed role command");
}
Status Engine::on(const Command&, const CancelWithdrawal&) {
  return reject(Error::InvalidArgument, "a withdrawal's cancellation must be sent as a timed role command");
}

Status Engine::approve_withdrawal(const Command& c, const ApproveWithdrawal& a) {
  if (!config_.custodians.contains(c.signer)) return reject(Error::Unauthorized, "withdrawals must be approved by a custodian");
  Withdrawal* w = withdrawals_.find(a.withdrawal_id);
  if (w == nullptr) return reject(Error::OrderNotFound, fmt::format("no open withdrawal {}", a.withdrawal_id));
  if (w->status != WithdrawalStatus::AwaitingApproval)
    return reject(Error::InvalidArgument, fmt::format("withdrawal {} is already approved", a.withdrawal_id));
  if (has(w->approvals, c.signer))
    return reject(Error::InvalidArgument, fmt::format("this custodian already approved withdrawal {}", a.withdrawal_id));
  w->approvals.push_back(c.signer);
  const uint32_t needed = std::max<uint32_t>(config_.custodians.threshold, 1);
  Event e;
  e.kind = EventKind::WithdrawalApproval;
  e.account = w->request.account;
  e.asset = w->request.asset;
  e.quantity = w->request.amount;
  e.order_id = w->id;
  e.client_id = static_cast<uint32_t>(w->approvals.size());
  e.remaining = needed;
  events_.push_back(e);
  if (w->approvals.size() < needed) return {};
  w->status = WithdrawalStatus::Approved;
  withdrawal_event(EventKind::WithdrawalApproved, *w);
  return {};
}

// One custodian cancels, only while the withdrawal awaits approvals: nothing leaves the account (its
// owner may ask again), and from `approved` on a broadcaster may have sent the transfer without
// having recorded it yet, so releasing the hold then could pay twice (docs/custody.md).
Status Engine::cancel_withdrawal(const Command& c, const CancelWithdrawal& x) {
  if (!config_.custodians.contains(c.signer)) return reject(Error::Unauthorized, "withdrawals must be cancelled by a custodian");
  const Withdrawal* w = withdrawals_.find(x.withdrawal_id);
  if (w == nullptr) return reject(Error::OrderNotFound, fmt::format("no open withdrawal {}", x.withdrawal_id));
  if (w->status != WithdrawalStatus::AwaitingApproval)
    return reject(Error::InvalidArgument, fmt::format("withdrawal {} is already {}: only one awaiting approvals can be cancelled", x.withdrawal_id,
                                                      w->status == WithdrawalStatus::Approved ? "approved" : "broadcast"));
  const Withdrawal done = *w;
  if (auto s = ledger_.release(done.request.account, done.request.asset, done.request.amount); !s) return s;  // held since the request
  withdrawals_.finish(done.id);
  withdrawal_event(EventKind::WithdrawalCancelled, done);
  return {};
}

Status Engine::broadcast_withdrawal(const Command& c, const BroadcastWithdrawal& b) {
  if (!config_.custodians.contains(c.signer)) return reject(Error::Unauthorized, "a withdrawal's broadcast must be signed by a custodian");
  Withdrawal* w = withdrawals_.find(b.withdrawal_id);
  if (w == nullptr) return reject(Error::OrderNotFound, fmt::format("no open withdrawal {}", b.withdrawal_id));
  if (w->status == WithdrawalStatus::AwaitingApproval)
    return reject(Error::Unauthorized, fmt::format("withdrawal {} has {} of the {} approvals it needs", b.withdrawal_id, w->approvals.size(),
                                                   std::max<uint32_t>(config_.custodians.threshold, 1)));
  if (w->status == WithdrawalStatus::Broadcast)
    return reject(Error::InvalidArgument, fmt::format("withdrawal {} was already broadcast as {}", b.withdrawal_id, w->tx_id));
  if (auto s = check_chain_text("transaction id", b.tx_id, kMaxWithdrawalAddressBytes); !s) return s;
  w->status = WithdrawalStatus::Broadcast;
  w->tx_id = b.tx_id;
  withdrawal_event(EventKind::WithdrawalBroadcast, *w);
  return {};
}

Status Engine::settle_withdrawal(const Command& c, const SettleWithdrawal& s) {
  if (!config_.chain_watchers.contains(c.signer)) return reject(Error::Unauthorized, "a withdrawal's outcome must be attested by a chain watcher");
  Withdrawal* w = withdrawals_.find(s.withdrawal_id);
  if (w == nullptr) return reject(Error::OrderNotFound, fmt::format("no open withdrawal {}", s.withdrawal_id));
  if (w->status != WithdrawalStatus::Broadcast)
    return reject(Error::InvalidArgument, fmt::format("withdrawal {} has not been broadcast", s.withdrawal_id));
  if (has(w->confirmed_by, c.signer) || has(w->failed_by, c.signer))
    return reject(Error::InvalidArgument, fmt::format("this chain watcher already attested withdrawal {}", s.withdrawal_id));
  auto& attesters = s.confirmed ? w->confirmed_by : w->failed_by;
  attesters.push_back(c.signer);
  const uint32_t needed = std::max<uint32_t>(config_.chain_watchers.threshold, 1);
  if (attesters.size() < needed) {
    Event e;
    e.kind = EventKind::WithdrawalAttested;
    e.account = w->request.account;
    e.asset = w->request.asset;
    e.quantity = w->request.amount;
    e.order_id = w->id;
    e.price = s.confirmed ? 1 : 0;
    e.client_id = static_cast<uint32_t>(attesters.size());
    e.remaining = needed;
    events_.push_back(e);
    return {};
  }
  const Withdrawal done = *w;
  const RequestWithdrawal& r = done.request;
  // Confirmed: the held funds leave for the outside world, where deposits come from (double
  // entry: the world account's balance is minus what customers hold). Failed: the hold is released.
  Status moved = s.confirmed ? ledger_.transfer_held(r.account, kWorldAccount, r.asset, r.amount) : ledger_.release(r.account, r.asset, r.amount);
  if (!moved) return moved;  // cannot fail while the hold invariant holds; refused, it changes nothing
  withdrawals_.finish(done.id);
  withdrawal_event(s.confirmed ? EventKind::WithdrawalConfirmed : EventKind::WithdrawalFailed, done);
  return {};
}

Status Engine::reverse_deposit(const Command& c, const ReverseDeposit& r) {
  if (!config_.chain_watchers.contains(c.signer)) return reject(Error::Unauthorized, "deposit reversals must be attested by a chain watcher");
  const bool fund = r.account == kInsuranceAccount;
  if (!fund && (!is_customer(r.account) || r.account - kFirstCustomer >= account_keys_.size()))
    return reject(Error::UnknownAccount, "unknown account " + std::to_string(r.account));
  if (r.asset >= config_.assets.size()) return reject(Error::UnknownAsset, "unknown asset " + std::to_string(r.asset));
  if (r.amount <= 0) return reject(Error::InvalidQuantity, "the reversed amount must be positive");
  if (withdrawals_.reversed(r.deposit_id)) return reject(Error::DuplicateDeposit, fmt::format("deposit {} was already reversed", r.deposit_id));
  if (!deposits_seen_.contains(r.deposit_id))
    return reject(Error::InvalidArgument, fmt::format("deposit {} was never credited: there is nothing to reverse", r.deposit_id));
  auto& pending = withdrawals_.pending_reversals();
  auto it = pending.find(r.deposit_id);
  if (it != pending.end()) {
    const ReverseDeposit& first = it->second.reversal;
    if (first.account != r.account || first.asset != r.asset || first.amount != r.amount)
      return reject(Error::InvalidArgument, fmt::format("the reversal of deposit {} was attested as {} of asset {} from account {}: this attestation differs",
                                                        r.deposit_id, first.amount, first.asset, first.account));
    if (has(it->second.attesters, c.signer))
      return reject(Error::DuplicateDeposit, fmt::format("this chain watcher already attested the reversal of deposit {}", r.deposit_id));
  } else if (pending.size() >= Withdrawals::kMaxPendingReversals) {
    return reject(Error::Overloaded, fmt::format("{} deposit reversals already wait for attestations", Withdrawals::kMaxPendingReversals));
  }
  const size_t attested = (it == pending.end() ? 0 : it->second.attesters.size()) + 1;
  const uint32_t needed = std::max<uint32_t>(config_.chain_watchers.threshold, 1);
  Event e;
  e.account = r.account;
  e.asset = r.asset;
  e.quantity = r.amount;
  e.order_id = r.deposit_id;
  if (attested < needed) {
    if (it == pending.end()) it = pending.emplace(r.deposit_id, PendingReversal{r, {}}).first;
    it->second.attesters.push_back(c.signer);
    e.kind = EventKind::DepositReversalAttested;
    e.client_id = static_cast<uint32_t>(attested);
    e.remaining = needed;
    events_.push_back(e);
    return {};
  }
  // What the credit bought must not keep trading: when the account has not the amount free, its
  // orders are cancelled first (their holds come back), then the credit is taken back whole, into
  // a debt if need be. Funds held by its withdrawals stay held: they are already on their way.
  const ledger::Balance& b = ledger_.balance(r.account, r.asset);
  if (!checked_sub(b.total, r.amount) || !checked_add(ledger_.balance(kWorldAccount, r.asset).total, r.amount))
    return reject(Error::Overflow, "the reversal would take a balance out of range");
  if (b.available() < r.amount) cancel_orders_everywhere(c, r.account, CancelCause::DepositReversed);
  if (auto s = ledger_.take_back(r.account, kWorldAccount, r.asset, r.amount); !s) return s;
  // The debt lowers the account's equity: it is judged after the command like an account whose
  // positions moved (liquidation, or a flat account's margin debt settled).
  if (has_perpetuals(config_) && is_customer(r.account)) touched_.set(r.account);
  withdrawals_.mark_reversed(r.deposit_id);
  e.kind = EventKind::DepositReversed;
  events_.push_back(e);
  return {};
}

}  // namespace glassbook::engine
