// The oracle update's liquidation sweep through the safety index: the same judgements as visiting
// every account with positions, made only for the accounts that may have changed sides of their
// maintenance margin. A sweep runs in rounds: each judges its candidates, then liquidates those
// below maintenance, the deepest shortfall first (ties by id); what those liquidations changed is
// the next round's candidates.
//
// Why it is exact: an account that is neither changed nor unbounded was safe, at unchanged state,
// for every price inside its bounds; if no bound is crossed it is safe now, and visiting it would
// only confirm that. Within a sweep prices do not move, so a round of a scan of every account
// differs from the last only in the accounts the last round's liquidations changed.
#include <algorithm>

#include "engine/engine.h"
#include "risk/concentration.h"
#include "risk/margin_tiers.h"
#include "risk/units.h"

namespace glassbook::engine {

namespace {

// Every rounding in margin_of and the margin tiers is within a few units per term; this much per
// exposure, and once more, keeps the bounds on the safe side of them.
constexpr int64_t kSlackPerTerm = 8;

// A liquidation changes its counterparties (makers, deleveraged accounts), which a later round
// judges. Each round needs a fill or a deleveraging that pushed someone under, so cascades of more
// than a few rounds are not expected; any beyond this wait, changed, for the next oracle update.
constexpr int kMaxSweepRounds = 16;

__int128 ceil_div(__int128 n, __int128 d) { return (n + d - 1) / d; }

}  // namespace

void Engine::set_full_sweeps(bool on) {
  full_sweeps_ = on;
  rewatch_all();
}

void Engine::rewatch_all() {
  safety_.reset(config_.assets.size() + markets_.size());
  unbounded_.clear();
  changed_.clear();
  swept_prices_.reset();
  for (AccountId a = 0; a < margin_.size(); ++a)
    if (!margin_[a].positions.empty()) changed_.mark(a);
}

void Engine::sweep_liquidations(const Command& c, const RiskPrices& prices) {
  reset_adl_queues();  // ranked once per sweep, at its prices
  if (full_sweeps_) {
    for (int round = 0; round < kMaxSweepRounds; ++round) {
      std::vector<AccountId> accounts;
      for (AccountId a = 0; a < margin_.size(); ++a)
        if (!margin_[a].positions.empty()) accounts.push_back(a);
      if (!judge_and_liquidate(c, prices, accounts)) break;
    }
    unwind_fund(c, previous_timestamp_, prices);
    return;
  }

  // Candidates of the first round: changed, unbounded, and crossed.
  std::vector<AccountId> found;
  changed_.take(found);
  unbounded_.take(found);
  const size_t assets = config_.assets.size();
  for (uint32_t d = 0; d < safety_.dims(); ++d) {
    const std::optional<int64_t>& price = d < assets ? prices.asset[d] : prices.mark[d - assets];
    if (price) safety_.pop_crossed(d, *price, found);
  }
  std::vector<Shortfall> below;
  for (int round = 0;; ++round) {
    for (AccountId a : found) {
      if (a != kInsuranceAccount && a < margin_.size() && !margin_[a].positions.empty()) sweep_queue_.set(a);
      else safety_.forget(a);
    }
    // Judged in id order; the safe get bounds at once (one changed later in the round is judged
    // again in the next, which replaces them), the rest are liquidated deepest shortfall first.
    below.clear();
    for (std::optional<AccountId> next = sweep_queue_.take_next(0); next; next = sweep_queue_.take_next(*next + 1)) {
      const AccountId a = *next;
      const MarginSummary s = margin_of(a, prices);
      if (s.has_positions && !s.frozen && s.equity < s.maintenance) below.push_back({s.maintenance - s.equity, a});
      else watch(a, s, prices);
    }
    // What the liquidations changed (makers filled, positions deleveraged) is the next round's
    // candidates: unchanged accounts keep their verdict at unchanged prices, so this is the round a
    // scan of every account would make. Past the last round they wait, changed, for the next sweep.
    if (!liquidate_worst_first(c, prices, below) || round + 1 == kMaxSweepRounds) break;
    found.clear();
    changed_.take(found);
  }
  swept_prices_ = prices;
  unwind_fund(c, previous_timestamp_, prices);
}

void Engine::watch(AccountId a, const MarginSummary& s, const RiskPrices& prices) {
  if (!s.has_positions) {  // open orders only: nothing to lose until a fill, which marks it changed
    safety_.forget(a);
    return;
  }
  exposures_.clear();
  bool ok = !s.frozen;
  const uint32_t assets = static_cast<uint32_t>(config_.assets.size());
  // Concentration haircuts: when any collateral falls, the whole shrinks and each concentrated
  // asset's excess grows by at most its share of the fall, so every collateral asset's exposure
  // grows by the sum of (weight - low weight) x share over the concentrated assets held. A rise
  // only shrinks the excess: the bounds stay one-sided. Each such asset adds its rounding's slack.
  int64_t cross_ppm = 0;
  int concentrated = 0;
  for (AssetId x = 0; ok && x < assets; ++x) {
    const AssetConfig& cfg = config_.assets[x];
    if (!cfg.has_concentration() || ledger_.balance(a, x).available() <= 0) continue;
    cross_ppm += risk::concentration_cross_ppm(cfg.collateral_weight_ppm, cfg.concentration_share_ppm, cfg.concentration_weight_ppm);
    ++concentrated;
  }
  for (AssetId x = 0; ok && x < assets; ++x) {
    const AssetConfig& cfg = config_.assets[x];
    if (cfg.valuation == Valuation::MarginAsset || cfg.collateral_weight_ppm == 0) continue;
    const ledger::Balance& b = ledger_.balance(a, x);
    const int64_t free = b.total - b.held;
    if (free <= 0) continue;
    // Weighted collateral value: it falls with the price, by at most its value times the move.
    const __int128 value = static_cast<__int128>(free) * *prices.asset[x] / pow10(cfg.decimals) + 1;
    exposures_.push_back({x, *prices.asset[x], false, ceil_div(value * (cfg.collateral_weight_ppm + cross_ppm), risk::kPpm) + 1});
  }
  for (const PerpPosition& p : margin_[a].positions) {
    if (!ok || p.lots == 0) continue;
    const Market& m = markets_[p.market];
    const int64_t mark = *prices.mark[p.market];
    const __int128 notional = lots_value(m.cfg, config_.assets[m.cfg.base].decimals, p.lots < 0 ? -p.lots : p.lots, mark) + 1;
    // A long loses the notional's move less the maintenance it frees (at least the lowest tier's
    // rate); a short loses the move plus the maintenance it adds (at most the highest tier's).
    const auto& tiers = m.cfg.perp.tiers;
    const int64_t rate = p.lots > 0 ? risk::kPpm - tiers.front().maintenance_ppm : risk::kPpm + tiers.back().maintenance_ppm;
    exposures_.push_back({assets + p.market, mark, p.lots < 0, ceil_div(notional * rate, risk::kPpm) + 1});
  }
  const __int128 slack = kSlackPerTerm * static_cast<__int128>(exposures_.size() + 1 + concentrated);
  if (ok) ok = risk::safe_bounds(s.equity - s.maintenance, slack, exposures_, bounds_);
  if (!ok) {
    safety_.forget(a);
    unbounded_.mark(a);
    return;
  }
  safety_.set(a, bounds_);
}

// The watch's promise, at the last sweep's prices: no live bound is crossed, and no account with
// positions that is neither changed nor unbounded is below maintenance.
Status Engine::check_watch() const {
  if (full_sweeps_ || !swept_prices_) return {};
  const RiskPrices& prices = *swept_prices_;
  const size_t assets = config_.assets.size();
  Status bad;
  safety_.for_each_live([&](AccountId a, const risk::SafeBound& b) {
    const std::optional<int64_t>& price = b.dim < assets ? prices.asset[b.dim] : prices.mark[b.dim - assets];
    if (bad && price && b.crossed(*price))
      bad = Status(Error::InvalidArgument, "risk watch: account " + std::to_string(a) + " has a crossed bound");
  });
  if (!bad) return bad;
  for (AccountId a = 0; a < margin_.size(); ++a) {
    if (a == kInsuranceAccount || margin_[a].positions.empty() || changed_.marked(a) || unbounded_.marked(a)) continue;
    const MarginSummary s = margin_of(a, prices);
    if (s.has_positions && !s.frozen && s.equity < s.maintenance)
      return Status(Error::InvalidArgument, "risk watch: account " + std::to_string(a) + " is below maintenance unseen");
  }
  return {};
}

}  // namespace glassbook::engine
