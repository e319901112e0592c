// The engine's wallet and reconciliation handlers: operators register the exchange's wallets (m of
// n), chain watchers report their balances on chain (m of n), and every complete report, or an
// operator on demand, reconciles the ledger with the chain; an unexplained difference raises an
// alert that halts the asset's withdrawals until the operators resolve it with an explanation.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "engine/engine.h"

namespace glassbook::engine {

namespace {

int64_t saturated(__int128 v) {
  if (v > std::numeric_limits<int64_t>::max()) return std::numeric_limits<int64_t>::max();
  if (v < std::numeric_limits<int64_t>::min()) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

crypto::Digest vote_digest(const CommandBody& body) { return crypto::sha256(signing_bytes(body)); }

std::string register_subject(const RegisterWallet& r) { return "register " + r.chain + "\n" + r.address; }
std::string wallet_subject(size_t wallet) { return "wallet " + std::to_string(wallet); }
std::string alert_subject(uint64_t alert) { return "alert " + std::to_string(alert); }

// An explanation is text for people: printable ASCII or UTF-8, spaces allowed, no control characters.
bool printable_text(const std::string& text) {
  return std::none_of(text.begin(), text.end(), [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; });
}

}  // namespace

Status Engine::on(const Command&, const RegisterWallet&) {
  return reject(Error::InvalidArgument, "a wallet registration must be sent as a timed role command");
}
Status Engine::on(const Command&, const ObserveWalletBalance&) {
  return reject(Error::InvalidArgument, "a wallet balance observation must be sent as a timed role command");
}
Status Engine::on(const Command&, const Reconcile&) {
  return reject(Error::InvalidArgument, "a reconciliation must be asked for as a timed role command");
}
Status Engine::on(const Command&, const ResolveReconciliationAlert&) {
  return reject(Error::InvalidArgument, "an alert's resolution must be sent as a timed role command");
}

Status Engine::register_wallet(const Command& c, const RegisterWallet& r) {
  if (!config_.operators.contains(c.signer)) return reject(Error::Unauthorized, "wallets are registered by operators");
  if (auto s = check_wallet(r, config_); !s) return reject(s.code(), s.message());
  if (estate_of_claim_asset(config_, r.asset))
    return reject(Error::InvalidArgument, fmt::format("asset {} is an estate's claim units: no wallet holds them", config_.assets[r.asset].symbol));
  if (custody_.find(r.chain, r.address))
    return reject(Error::InvalidArgument, fmt::format("address {} is already registered as a wallet on {}", r.address, r.chain));
  if (custody_.wallets().size() >= CustodyWallets::kMaxWallets)
    return reject(Error::Overloaded, fmt::format("{} wallets are registered", CustodyWallets::kMaxWallets));
  auto votes = custody_.vote(vote_digest(r), register_subject(r), 0, c.signer);
  if (!votes) return reject(votes.status().code(), votes.status().message());
  const uint32_t needed = config_.operators.threshold;
  Event e;
  e.kind = EventKind::CustodyVote;
  e.asset = r.asset;
  e.client_id = static_cast<uint32_t>(*votes);
  e.remaining = needed;
  events_.push_back(e);
  if (*votes < needed) return {};
  custody_.drop_votes(register_subject(r));
  custody_.add(r);
  Event w;
  w.kind = EventKind::WalletRegistered;
  w.asset = r.asset;
  w.order_id = custody_.wallets().size() - 1;
  w.client_id = static_cast<uint32_t>(r.kind);
  events_.push_back(w);
  return {};
}

Status Engine::observe_wallet_balance(const Command& c, const ObserveWalletBalance& o) {
  if (!config_.chain_watchers.contains(c.signer)) return reject(Error::Unauthorized, "wallet balances are reported by chain watchers");
  const auto index = custody_.find(o.chain, o.address);
  if (!index) return reject(Error::InvalidArgument, fmt::format("no wallet {} is registered on {}", o.address, o.chain));
  if (o.balance < 0) return reject(Error::InvalidQuantity, "a wallet balance cannot be negative");
  const WalletRecord& wallet = custody_.wallets()[*index];
  if (wallet.observed && o.height <= wallet.height)
    return reject(Error::InvalidArgument, fmt::format("height {} is not after the wallet's last observed height {}", o.height, wallet.height));
  auto votes = custody_.vote(vote_digest(o), wallet_subject(*index), o.height, c.signer);
  if (!votes) return reject(votes.status().code(), votes.status().message());
  const AssetId asset = wallet.wallet.asset;
  const uint32_t needed = config_.chain_watchers.threshold;
  Event e;
  e.kind = EventKind::CustodyVote;
  e.asset = asset;
  e.order_id = *index;
  e.client_id = static_cast<uint32_t>(*votes);
  e.remaining = needed;
  events_.push_back(e);
  if (*votes < needed) return {};
  custody_.drop_votes(wallet_subject(*index), o.height);
  custody_.observe(*index, o.height, o.balance);
  Event b;
  b.kind = EventKind::WalletBalanceObserved;
  b.asset = asset;
  b.order_id = *index;
  b.quantity = o.balance;
  b.price = saturated(o.height);
  events_.push_back(b);
  // The chain side of the asset is complete at this height once every customer wallet of it on this
  // chain was observed there (and those on other chains at all): reconcile then, not in between,
  // where half the wallets would be counted at a height the ledger has moved past.
  if (!is_customer_wallet(wallet.wallet.kind)) return {};
  for (const WalletRecord& other : custody_.wallets()) {
    if (other.wallet.asset != asset || !is_customer_wallet(other.wallet.kind)) continue;
    if (!other.observed || (other.wallet.chain == o.chain && other.height != o.height)) return {};
  }
  for (const AssetReconciliation& r : reconciliation())
    if (r.asset == asset) reconcile_asset(c, r);
  return {};
}

Status Engine::reconcile_on_demand(const Command& c) {
  if (!config_.operators.contains(c.signer) && !config_.chain_watchers.contains(c.signer))
    return reject(Error::Unauthorized, "a reconciliation is asked for by an operator or a chain watcher");
  for (const AssetReconciliation& r : reconciliation())
    if (r.observed) reconcile_asset(c, r);
  return {};
}

void Engine::reconcile_asset(const Command& c, const AssetReconciliation& r) {
  GB_ASSERT(r.observed);
  Event e;
  e.kind = EventKind::Reconciled;
  e.asset = r.asset;
  e.quantity = saturated(r.discrepancy);
  e.price = saturated(r.expected);
  e.remaining = saturated(r.customer_wallets_balance);
  events_.push_back(e);
  if (r.discrepancy == 0 || custody_.open_alert(r.asset) != nullptr) return;
  Event a;
  a.kind = EventKind::ReconciliationAlertRaised;
  a.asset = r.asset;
  a.quantity = saturated(r.discrepancy);
  a.order_id = custody_.raise(r.asset, c.seq, a.quantity);
  events_.push_back(a);
}

Status Engine::resolve_alert(const Command& c, const ResolveReconciliationAlert& r) {
  if (!config_.operators.contains(c.signer)) return reject(Error::Unauthorized, "reconciliation alerts are resolved by operators");
  const ReconciliationAlert* alert = custody_.alert(r.alert_id);
  if (alert == nullptr) return reject(Error::OrderNotFound, fmt::format("no open reconciliation alert {}", r.alert_id));
  if (r.explanation.empty() || r.explanation.size() > kMaxExplanationBytes || !printable_text(r.explanation))
    return reject(Error::InvalidArgument, fmt::format("an alert is resolved with an explanation of 1..{} bytes of text", kMaxExplanationBytes));
  const AssetId asset = alert->asset;
  auto votes = custody_.vote(vote_digest(r), alert_subject(r.alert_id), 0, c.signer);
  if (!votes) return reject(votes.status().code(), votes.status().message());
  const uint32_t needed = config_.operators.threshold;
  Event e;
  e.kind = EventKind::CustodyVote;
  e.asset = asset;
  e.order_id = r.alert_id;
  e.client_id = static_cast<uint32_t>(*votes);
  e.remaining = needed;
  events_.push_back(e);
  if (*votes < needed) return {};
  custody_.drop_votes(alert_subject(r.alert_id));
  custody_.resolve(r.alert_id);
  Event x;
  x.kind = EventKind::ReconciliationAlertResolved;
  x.asset = asset;
  x.order_id = r.alert_id;
  events_.push_back(x);
  return {};
}

Status Engine::check_custody_destination(const std::string& address) {
  if (custody_.is_wallet_address(address))
    return reject(Error::InvalidArgument, fmt::format("address {} is one of the exchange's own wallets: customer assets reach an exchange "
                                                      "wallet only as deposits, and an operational one only through the fee sweep",
                                                      address));
  return {};
}

Status Engine::check_withdrawals_running(AssetId asset) {
  if (!config_.custody.halt_withdrawals_on_alert) return {};
  if (const ReconciliationAlert* a = custody_.open_alert(asset))
    return reject(Error::WithdrawalsHalted,
                  fmt::format("withdrawals of {} are halted: reconciliation alert {} ({} of {} units) is open until the operators resolve it",
                              config_.assets[asset].symbol, a->id, a->discrepancy < 0 ? "shortfall" : "surplus",
                              a->discrepancy < 0 ? -static_cast<__int128>(a->discrepancy) : a->discrepancy));
  return {};
}

// What the wallets must hold: every unit that came in from the chain and has not left, which the
// world account's balance counts (deposits come from it, confirmed withdrawals go back to it):
// customers' liabilities plus the exchange's own ledger balances (fees, insurance fund), which stay
// in customer wallets until swept. The chain side is the customer wallets' newest observed balances.
// In between, transfers in flight make the two differ within a band: a broadcast withdrawal may have
// left the wallet before the watchers settle it (the wallets hold up to its amount less), an attested
// deposit is on chain before it is credited (up to its amount more). Beyond the band is a discrepancy.
std::vector<Engine::AssetReconciliation> Engine::reconciliation() const {
  const size_t assets = config_.assets.size();
  std::vector<AssetReconciliation> by(assets);
  std::vector<bool> unobserved(assets, false);
  for (const WalletRecord& w : custody_.wallets()) {
    AssetReconciliation& r = by[w.wallet.asset];
    if (is_customer_wallet(w.wallet.kind)) {
      ++r.customer_wallets;
      if (w.observed) r.customer_wallets_balance += w.balance;
      else unobserved[w.wallet.asset] = true;
    } else if (w.observed) {
      r.operational_wallets_balance += w.balance;
    }
  }
  if (std::none_of(by.begin(), by.end(), [](const AssetReconciliation& r) { return r.customer_wallets > 0; })) return {};
  // Both walks are bounded by their queues (4,096 pending deposits, 65,536 open withdrawals), not by
  // the accounts.
  for (const auto& [id, p] : pending_deposits_.all())
    if (p.deposit.asset < assets) by[p.deposit.asset].pending_deposits += p.deposit.amount;
  for (const auto& [id, w] : withdrawals_.open())
    if (w.status == WithdrawalStatus::Broadcast) by[w.request.asset].pending_withdrawals += w.request.amount;
  std::vector<AssetReconciliation> out;
  for (AssetId a = 0; a < assets; ++a) {
    AssetReconciliation& r = by[a];
    if (r.customer_wallets == 0) continue;
    r.asset = a;
    r.observed = !unobserved[a];
    r.liabilities = ledger_.customer_liabilities(a);
    r.expected = -static_cast<__int128>(ledger_.balance(kWorldAccount, a).total);
    r.exchange_own = r.expected - r.liabilities;
    if (r.observed) {
      if (r.customer_wallets_balance + r.pending_withdrawals < r.expected)
        r.discrepancy = r.customer_wallets_balance + r.pending_withdrawals - r.expected;
      else if (r.customer_wallets_balance - r.pending_deposits > r.expected)
        r.discrepancy = r.customer_wallets_balance - r.pending_deposits - r.expected;
    }
    if (const ReconciliationAlert* alert = custody_.open_alert(a)) r.open_alert = alert->id;
    out.push_back(r);
  }
  return out;
}

}  // namespace glassbook::engine
