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

// What a configuration change may do. Assets and markets are only ever appended (ids are forever);
// an existing asset keeps its symbol and decimals; an existing market keeps everything that shapes
// its book and the funds its resting orders hold (symbol, assets, tick, lot, max price, capacity).
// Fees, minimum quantity, market protection, risk parameters, collateral weights, groups and every
// role may change.
Status check_config_change(const ExchangeConfig& now, const ExchangeConfig& next) {
  auto refuse = [](std::string why) { return Status(Error::InvalidConfig, "configuration change refused: " + why); };
  if (next.assets.size() < now.assets.size()) return refuse("assets can only be added, never removed");
  for (size_t i = 0; i < now.assets.size(); ++i) {
    AssetConfig reweighted = now.assets[i];
    reweighted.collateral_weight_ppm = next.assets[i].collateral_weight_ppm;
    if (!(next.assets[i] == reweighted))
      return refuse(fmt::format("asset {} ({}) may change only its collateral weight", i, now.assets[i].symbol));
  }
  if (has_perpetuals(now) && next.risk.margin_asset != now.risk.margin_asset) return refuse("the margin asset cannot change");
  if (next.markets.size() < now.markets.size()) return refuse("markets can only be added, never removed");
  for (size_t i = 0; i < now.markets.size(); ++i) {
    const MarketConfig& a = now.markets[i];
    const MarketConfig& b = next.markets[i];
    if (a.symbol != b.symbol || a.base != b.base || a.quote != b.quote || a.tick_size != b.tick_size ||
        a.lot_size != b.lot_size || a.max_price != b.max_price || a.max_orders != b.max_orders || a.kind != b.kind)
      return refuse(fmt::format("market {} ({}) may change only its fees, minimum quantity, market protection and risk parameters", i, a.symbol));
  }
  return {};
}

Status validate_governance(const ExchangeConfig& c) {
  auto bad = [](const std::string& why) { return Status(Error::InvalidConfig, "governance: " + why); };
  const GovernanceConfig& g = c.governance;
  if (g.config_timelock_us < 0 || g.config_timelock_us > kMaxConfigTimelockUs)
    return bad(fmt::format("the configuration timelock must be within 0..{} µs (30 days)", kMaxConfigTimelockUs));
  if (g.large_deposit.size() > c.assets.size()) return bad("more large-deposit limits than assets");
  for (int64_t v : g.large_deposit)
    if (v < 0) return bad("a large-deposit limit cannot be negative");
  // One encoding per value: missing entries are 0, so a trailing 0 is left out.
  if (!g.large_deposit.empty() && g.large_deposit.back() == 0) return bad("the large-deposit limits end with a 0: leave it out");
  return {};
}

uint32_t attestations_needed(const ExchangeConfig& c, AssetId asset, int64_t amount) {
  const auto& limits = c.governance.large_deposit;
  if (asset < limits.size() && limits[asset] > 0 && amount <= limits[asset]) return 1;
  return std::max<uint32_t>(c.chain_watchers.threshold, 1);
}

bool only_safer(const ExchangeConfig& now, const ExchangeConfig& next) {
  // Every field that `next` moves in the safe direction (or leaves alone) is set back to `now`'s:
  // what remains differs from `now` exactly when some change is not a safer one.
  ExchangeConfig rest = next;
  if (rest.assets.size() != now.assets.size() || rest.markets.size() != now.markets.size() || rest.groups.size() != now.groups.size())
    return false;
  for (size_t i = 0; i < now.assets.size(); ++i)
    if (rest.assets[i].collateral_weight_ppm <= now.assets[i].collateral_weight_ppm)
      rest.assets[i].collateral_weight_ppm = now.assets[i].collateral_weight_ppm;
  for (size_t i = 0; i < now.markets.size(); ++i) {
    int32_t& band = rest.markets[i].band_ppm;
    if (now.markets[i].band_ppm > 0 && band > 0 && band <= now.markets[i].band_ppm) band = now.markets[i].band_ppm;
  }
  for (size_t i = 0; i < now.groups.size(); ++i) {
    AccountGroup& g = rest.groups[i];
    if (g.max_notional <= now.groups[i].max_notional) g.max_notional = now.groups[i].max_notional;
    if (g.max_market_notional <= now.groups[i].max_market_notional) g.max_market_notional = now.groups[i].max_market_notional;
  }
  if (rest.governance.config_timelock_us >= now.governance.config_timelock_us)
    rest.governance.config_timelock_us = now.governance.config_timelock_us;
  // A lower limit sends more deposits to the full threshold; 0 sends all of them.
  auto limit = [](const std::vector<int64_t>& v, size_t a) { return a < v.size() ? v[a] : 0; };
  bool deposits_safer = true;
  for (size_t a = 0; a < now.assets.size(); ++a) {
    const int64_t was = limit(now.governance.large_deposit, a), is = limit(next.governance.large_deposit, a);
    deposits_safer = deposits_safer && (is == 0 || (was != 0 && is <= was));
  }
  if (deposits_safer) rest.governance.large_deposit = now.governance.large_deposit;
  return rest == now;
}

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
        } else {
          return reject(Error::InvalidArgument, "a timed role command carries a deposit or a configuration command only");
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
  pending_deposits_.keep_attesters_in(config_.chain_watchers);
  index_groups();
  // Tiers, weights and markets may have changed: every bound is judged again.
  ledger_.watch(has_perpetuals(config_) ? &changed_ : nullptr);
  rewatch_all();
  holders_.resize(markets_.size());
  short_holders_.resize(markets_.size());
}

}  // namespace glassbook::engine
