// Margin debt without positions: an account whose positions are all closed but whose margin asset
// is below zero (losses, fees or funding it owed) must not carry that debt unwatched while its
// collateral's price moves. The insurance fund pays the debt at once and takes collateral worth
// it at the collateral's weighted oracle value, the value margin gave it; if the collateral is not
// worth the debt, the account is bankrupt and the fund takes all of it (cover_bad_debt).
#include <algorithm>

#include "core/checked.h"
#include "engine/engine.h"
#include "risk/units.h"

namespace glassbook::engine {

namespace {

__int128 ceil_div(__int128 n, __int128 d) { return (n + d - 1) / d; }

}  // namespace

int64_t Engine::margin_debt(AccountId a) const {
  if (!has_perpetuals(config_) || !is_customer(a) || a >= ledger_.account_count()) return 0;
  const int64_t total = ledger_.balance(a, config_.risk.margin_asset).total;
  return total < 0 ? -total : 0;
}

bool Engine::flat(AccountId a) const {
  if (a >= margin_.size()) return true;
  for (const PerpPosition& p : margin_[a].positions)
    if (p.lots != 0) return false;
  return true;
}

void Engine::settle_debt(const Command& c, AccountId a, const RiskPrices& prices) {
  if (!flat(a) || margin_debt(a) == 0) {
    debtors_.erase(a);
    return;
  }
  const MarginSummary s = margin_of(a, prices);
  if (s.frozen) {  // its collateral cannot be valued now: the next oracle update tries again
    debtors_.insert(a);
    return;
  }
  debtors_.erase(a);
  if (s.equity < 0) return cover_bad_debt(c, a, prices);
  int64_t left = margin_debt(a);
  for (AssetId x = 0; x < config_.assets.size() && left > 0; ++x) {
    const AssetConfig& cfg = config_.assets[x];
    if (cfg.valuation == Valuation::MarginAsset || cfg.collateral_weight_ppm == 0 || !prices.asset[x]) continue;
    const ledger::Balance& b = ledger_.balance(a, x);
    const int64_t free = b.total - b.held;
    if (free <= 0) continue;
    // Weighted value, exactly as margin_of counts it, of all of it and of the part that pays `left`.
    const int64_t unit = pow10(cfg.decimals);
    // A concentrated asset counts at its haircut value, and a part of it at the same average rate.
    const __int128 weighted_all =
        cfg.has_concentration() ? concentrated_value_of(a, x, prices)
                                : div_toward_zero(div_toward_zero(static_cast<__int128>(free) * *prices.asset[x], unit) *
                                                      cfg.collateral_weight_ppm, risk::kPpm);
    int64_t take = free;
    int64_t pay = static_cast<int64_t>(std::min<__int128>(weighted_all, left));
    if (weighted_all > left) {  // part of it: the smallest amount worth at least `left`, rounded up
      const __int128 need = cfg.has_concentration()
                                ? ceil_div(static_cast<__int128>(left) * free, weighted_all)
                                : ceil_div(static_cast<__int128>(left) * unit * risk::kPpm,
                                           static_cast<__int128>(*prices.asset[x]) * cfg.collateral_weight_ppm);
      take = static_cast<int64_t>(std::min<__int128>(need, free));
      pay = left;
    }
    if (take <= 0 || pay <= 0) continue;
    if (auto st = ledger_.transfer(a, kInsuranceAccount, x, take); !st) continue;
    settle_margin(kInsuranceAccount, a, pay, "insurance fund: margin debt against collateral");
    left -= pay;
    Event e;
    e.kind = EventKind::CollateralConverted;
    e.account = a;
    e.asset = x;
    e.quantity = take;
    e.price = pay;
    events_.push_back(e);
  }
}

void Engine::settle_debtors(const Command& c, const RiskPrices& prices) {
  const std::vector<AccountId> waiting(debtors_.begin(), debtors_.end());  // ascending ids
  for (AccountId a : waiting) settle_debt(c, a, prices);
}

void Engine::find_debtors() {
  debtors_.clear();
  for (AccountId a = kFirstCustomer; a < ledger_.account_count(); ++a)
    if (flat(a) && margin_debt(a) > 0) debtors_.insert(a);
}

}  // namespace glassbook::engine
