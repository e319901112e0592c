// Governance: configuration changes proposed and approved by the operators under their m-of-n policy.
#include <fmt/format.h>

#include <algorithm>
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

namespace {
crypto::Digest config_hash_of(const ExchangeConfig& c) { return crypto::sha256(encode_config(c)); }
}  // namespace

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
  approve(p.proposal_id, c.signer);
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
  approve(a.proposal_id, c.signer);
  return {};
}

void Engine::approve(uint64_t proposal_id, const crypto::PublicKey& approver) {
  Proposal& p = proposals_.at(proposal_id);
  p.approvals.push_back(approver);
  Event e;
  e.kind = EventKind::ConfigApproved;
  e.order_id = proposal_id;
  e.quantity = static_cast<int64_t>(p.approvals.size());
  events_.push_back(e);
  if (p.approvals.size() < config_.operators.threshold) return;
  const std::shared_ptr<const ExchangeConfig> next = p.config;
  // Every other pending proposal was written against the configuration being replaced.
  proposals_.clear();
  install_config(*next);
  e.kind = EventKind::ConfigApplied;
  e.quantity = 0;
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
  index_groups();
  // Tiers, weights and markets may have changed: every bound is judged again.
  ledger_.watch(has_perpetuals(config_) ? &changed_ : nullptr);
  rewatch_all();
  holders_.resize(markets_.size());
  short_holders_.resize(markets_.size());
}

}  // namespace glassbook::engine
