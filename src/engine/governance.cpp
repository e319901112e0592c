// Governance: configuration changes proposed and approved by the operators under their m-of-n policy.
#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <type_traits>
#include <variant>

#include "core/assert.h"

#include "engine/config_codec.h"
#include "engine/engine.h"

namespace glassbook::engine {

namespace {
crypto::Digest config_hash_of(const ExchangeConfig& c) { return crypto::sha256(encode_config(c)); }
}  // namespace

std::vector<Engine::ProposalStatus> Engine::pending_proposals() const {
  std::vector<ProposalStatus> out;
  for (const auto& [id, p] : proposals_) out.push_back(ProposalStatus{id, p.config_hash, p.approvals, p.enactable_at});
  return out;
}

Status Engine::on(const Command& c, const TimedRoleCommand& t) {
  if (!t.inner) return reject(Error::InvalidArgument, "a timed role command without its command");
  // The same window as an account's signed request, against the sequencer's journaled time, so
  // that every replay of the journal gives the same answer.
  const Timestamp closes = t.signed_time > INT64_MAX - kRoleCommandWindowUs ? INT64_MAX : t.signed_time + kRoleCommandWindowUs;
  if (c.timestamp > closes)
    return reject(Error::Expired, fmt::format("role command expired: signed at {} µs, more than {} s before the sequencer's time {} µs",
                                              t.signed_time, kRoleCommandWindowUs / 1'000'000, c.timestamp));
  if (t.signed_time > c.timestamp && t.signed_time - c.timestamp > kRoleCommandLeadUs)
    return reject(Error::Expired, fmt::format("role command signed at {} µs, more than {} s ahead of the sequencer's time {} µs",
                                              t.signed_time, kRoleCommandLeadUs / 1'000'000, c.timestamp));
  const crypto::Digest digest = SequencedRequests::digest(c.signer, signing_bytes(CommandBody(t)));
  if (requests_.contains(digest))
    return reject(Error::DuplicateRequest, "duplicate role command: this signed command was already sequenced");
  Status s = std::visit(
      [&](const auto& body) -> Status {
        using B = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<B, Deposit> || std::is_same_v<B, ProposeConfig> || std::is_same_v<B, ApproveConfig> ||
                      std::is_same_v<B, EnactConfig>) {
          return on(c, body);
        } else if constexpr (std::is_same_v<B, RecordDepositAddress>) {
          return record_deposit_address(c, body);
        } else if constexpr (std::is_same_v<B, ApproveWithdrawal>) {
          return approve_withdrawal(c, body);
        } else if constexpr (std::is_same_v<B, BroadcastWithdrawal>) {
          return broadcast_withdrawal(c, body);
        } else if constexpr (std::is_same_v<B, SettleWithdrawal>) {
          return settle_withdrawal(c, body);
        } else if constexpr (std::is_same_v<B, ReverseDeposit>) {
          return reverse_deposit(c, body);
        } else if constexpr (std::is_same_v<B, CancelWithdrawal>) {
          return cancel_withdrawal(c, body);
        } else if constexpr (std::is_same_v<B, RegisterWallet>) {
          return register_wallet(c, body);
        } else if constexpr (std::is_same_v<B, ObserveWalletBalance>) {
          return observe_wallet_balance(c, body);
        } else if constexpr (std::is_same_v<B, Reconcile>) {
          return reconcile_on_demand(c);
        } else if constexpr (std::is_same_v<B, ResolveReconciliationAlert>) {
          return resolve_alert(c, body);
        } else {
          return reject(Error::InvalidArgument,
                        "a timed role command carries a deposit, a deposit address, a configuration, a withdrawal, a deposit reversal or a custody command only");
        }
      },
      t.inner->body);
  // Remembered only once it changed the state, like a signed request: a refused one changed nothing.
  if (s) requests_.add(digest, closes, c.timestamp);
  return s;
}

Status Engine::on(const Command& c, const ProposeConfig& p) {
  if (!config_.operators.contains(c.signer)) return reject(Error::Unauthorized, "configuration changes must be proposed by an operator");
  if (!p.config) return reject(Error::InvalidConfig, "proposal without a configuration");
  if (p.proposal_id <= highest_proposal_id_)
    return reject(Error::InvalidArgument, fmt::format("proposal id {} must exceed {}", p.proposal_id, highest_proposal_id_));
  if (proposals_.size() >= kMaxPendingProposals)
    return reject(Error::Overloaded, fmt::format("{} proposals are already pending", kMaxPendingProposals));
  if (auto v = validate_config(*p.config); !v) return v.status();
  if (auto s = check_config_change(config_, *p.config); !s) return s;
  highest_proposal_id_ = p.proposal_id;
  proposals_.emplace(p.proposal_id, Proposal{p.config, config_hash_of(*p.config), {}});
  approve(p.proposal_id, c.signer, c.timestamp);
  return {};
}

Status Engine::on(const Command& c, const ApproveConfig& a) {
  if (!config_.operators.contains(c.signer)) return reject(Error::Unauthorized, "configuration changes must be approved by operators");
  auto it = proposals_.find(a.proposal_id);
  if (it == proposals_.end()) return reject(Error::OrderNotFound, fmt::format("no pending proposal {}", a.proposal_id));
  if (it->second.config_hash != a.config_hash)
    return reject(Error::InvalidArgument, fmt::format("approval names another configuration than proposal {}", a.proposal_id));
  const auto& approvals = it->second.approvals;
  if (std::find(approvals.begin(), approvals.end(), c.signer) != approvals.end())
    return reject(Error::InvalidArgument, fmt::format("this operator already approved proposal {}", a.proposal_id));
  if (it->second.enactable_at != 0)
    return reject(Error::InvalidArgument, fmt::format("proposal {} is already approved: it waits for its timelock", a.proposal_id));
  approve(a.proposal_id, c.signer, c.timestamp);
  return {};
}

Status Engine::on(const Command& c, const EnactConfig& x) {
  if (!config_.operators.contains(c.signer)) return reject(Error::Unauthorized, "configuration changes must be enacted by an operator");
  auto it = proposals_.find(x.proposal_id);
  if (it == proposals_.end()) return reject(Error::OrderNotFound, fmt::format("no pending proposal {}", x.proposal_id));
  const Proposal& p = it->second;
  if (p.enactable_at == 0)
    return reject(Error::Unauthorized, fmt::format("proposal {} has {} of the {} approvals it needs", x.proposal_id,
                                                   p.approvals.size(), config_.operators.threshold));
  if (c.timestamp < p.enactable_at)
    return reject(Error::Timelocked, fmt::format("proposal {} is timelocked until {} µs ({} s from now)", x.proposal_id,
                                                 p.enactable_at, (p.enactable_at - c.timestamp + 999'999) / 1'000'000));
  enact(x.proposal_id);
  return {};
}

void Engine::approve(uint64_t proposal_id, const crypto::PublicKey& approver, Timestamp now) {
  Proposal& p = proposals_.at(proposal_id);
  p.approvals.push_back(approver);
  Event e;
  e.kind = EventKind::ConfigApproved;
  e.order_id = proposal_id;
  e.quantity = static_cast<int64_t>(p.approvals.size());
  events_.push_back(e);
  if (p.approvals.size() < config_.operators.threshold) return;
  // A change that only makes limits safer takes effect at once; any other waits for the timelock,
  // so that customers see it coming (GET /api/v1/glassbook/proposals) before it binds them.
  const int64_t timelock = config_.governance.config_timelock_us;
  if (timelock > 0 && !only_safer(config_, *p.config)) {
    p.enactable_at = now > INT64_MAX - timelock ? INT64_MAX : now + timelock;
    return;
  }
  enact(proposal_id);
}

void Engine::enact(uint64_t proposal_id) {
  const std::shared_ptr<const ExchangeConfig> next = proposals_.at(proposal_id).config;
  // Every other pending proposal was written against the configuration being replaced.
  proposals_.clear();
  install_config(*next);
  Event e;
  e.kind = EventKind::ConfigApplied;
  e.order_id = proposal_id;
  events_.push_back(e);
}

void Engine::install_config(const ExchangeConfig& next) {
  auto scales = validate_config(next);
  GB_ASSERT(scales.is_ok() && check_config_change(config_, next).is_ok());
  ledger_.grow_assets(next.assets.size());
  for (size_t i = 0; i < next.markets.size(); ++i) {
    if (i < markets_.size())
      markets_[i].cfg = next.markets[i];
    else
      add_market(next.markets[i], scales.value()[i]);
  }
  // Oracle samples follow their source's key: a new source starts empty, a removed one is dropped.
  std::vector<std::vector<risk::OracleSample>> oracle(next.assets.size(),
                                                      std::vector<risk::OracleSample>(next.oracle_sources.keys.size()));
  for (size_t a = 0; a < oracle_.size(); ++a)
    for (size_t i = 0; i < config_.oracle_sources.keys.size(); ++i)
      for (size_t j = 0; j < next.oracle_sources.keys.size(); ++j)
        if (next.oracle_sources.keys[j] == config_.oracle_sources.keys[i]) oracle[a][j] = oracle_[a][i];
  oracle_ = std::move(oracle);
  std::vector<Timestamp> report_times(next.oracle_sources.keys.size(), 0);
  for (size_t i = 0; i < config_.oracle_sources.keys.size(); ++i)
    for (size_t j = 0; j < next.oracle_sources.keys.size(); ++j)
      if (next.oracle_sources.keys[j] == config_.oracle_sources.keys[i]) report_times[j] = report_times_[i];
  report_times_ = std::move(report_times);
  ++oracle_version_;  // the sources, rules and assets may have changed
  if (has_margin_asset(next)) ledger_.set_margin_asset(next.risk.margin_asset);
  config_ = next;
  install_estates();
  pending_deposits_.keep_attesters_in(config_.chain_watchers);
  withdrawals_.keep_signers_in(config_.custodians, config_.chain_watchers);
  index_groups();
  // Tiers, weights and markets may have changed: every bound is judged again.
  ledger_.watch(has_perpetuals(config_) ? &changed_ : nullptr);
  rewatch_all();
  holders_.resize(markets_.size());
  short_holders_.resize(markets_.size());
  open_interest_.resize(markets_.size(), 0);
}

}  // namespace glassbook::engine
