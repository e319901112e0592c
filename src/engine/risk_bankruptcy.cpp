// Bankruptcy takes everything: a flat account whose equity is below zero loses every open order,
// then every asset it holds goes toward its margin debt (weighted collateral, then the assets margin
// gives no weight, at the index less a haircut; never claim units, which pass only to eligible
// holders); the insurance fund pays the debt down to its floor, and what the fund cannot pay is
// shared by every customer's free margin-asset balance, pro rata.
#include <algorithm>

#include "core/checked.h"
#include "engine/engine.h"
#include "risk/units.h"

namespace glassbook::engine {

namespace {

__int128 ceil_div(__int128 n, __int128 d) { return (n + d - 1) / d; }

}  // namespace

bool Engine::cancel_orders_everywhere(const Command& c, AccountId a, CancelCause cause) {
  const CancelCause before = cancel_cause_;
  cancel_cause_ = cause;
  bool any = false;
  for (MarketId mid = 0; mid < markets_.size(); ++mid) {
    book_events_.clear();
    if (markets_[mid].book->cancel_all(a, book_events_) > 0) {
      settle(c, mid, Taker{a, book::Side::Buy, 0, 0});
      any = true;
    }
  }
  cancel_cause_ = before;
  return any;
}

void Engine::cover_bad_debt(const Command& c, AccountId a, const RiskPrices& prices) {
  MarginSummary s = margin_of(a, prices);
  if (s.has_positions || s.frozen || s.equity >= 0) return;
  // Orders first: what a resting spot order holds is the account's too, and must not escape.
  if (cancel_orders_everywhere(c, a, CancelCause::Liquidation)) s = margin_of(a, prices);
  if (s.frozen) {  // what the orders released cannot be valued now: it waits for prices
    debtors_.insert(a);
    return;
  }
  if (s.equity >= 0) return settle_debt(c, a, prices);  // the released holds pay the debt
  const AssetId margin = config_.risk.margin_asset;
  // 1. Weighted collateral, in asset id order, all of it: the value margin counted.
  for (AssetId x = 0; x < config_.assets.size(); ++x) {
    if (x == margin || config_.assets[x].collateral_weight_ppm == 0) continue;
    const int64_t free = ledger_.balance(a, x).available();
    if (free > 0 && ledger_.transfer(a, kInsuranceAccount, x, free)) seized(a, x, free, 0);
  }
  // 2. Assets without collateral weight, toward what is left of the debt beyond the weighted
  // collateral's value; an asset nobody prices is taken whole while any debt is left.
  if (s.equity < 0) seize_unweighted(a, -s.equity, prices);
  for (AssetId x = 0; x < config_.assets.size() && margin_debt(a) > 0; ++x) {
    const AssetConfig& cfg = config_.assets[x];
    if (x == margin || cfg.collateral_weight_ppm != 0 || cfg.valuation != Valuation::None || estate_of_claim_asset(config_, x)) continue;
    const int64_t free = ledger_.balance(a, x).available();
    if (free > 0 && ledger_.transfer(a, kInsuranceAccount, x, free)) seized(a, x, free, 0);
  }
  const int64_t debt = margin_debt(a);
  if (debt == 0) return;
  // 3. The fund pays down to its floor, never below it nor below zero.
  const MarginSummary fund = margin_of(kInsuranceAccount, prices);
  const __int128 fund_cash = ledger_.balance(kInsuranceAccount, margin).available();
  const __int128 limit = fund.frozen ? fund_cash : std::min(fund.equity, fund_cash);
  const __int128 payable = std::max<__int128>(0, limit - config_.risk.insurance_floor);
  const int64_t paid = static_cast<int64_t>(std::min<__int128>(payable, debt));
  if (paid > 0) {
    settle_margin(kInsuranceAccount, a, paid, "insurance fund: bad debt");
    Event e;
    e.kind = EventKind::BadDebtCovered;
    e.account = a;
    e.quantity = paid;
    events_.push_back(e);
  }
  if (debt > paid) socialize_loss(a, debt - paid);
}

__int128 Engine::seize_unweighted(AccountId a, __int128 need, const RiskPrices& prices) {
  // The fund buys them at the index less the haircut, in asset id order, as much as covers `need`
  // (rounded up), with what it has above its floor: margin gave them no value, so without this they
  // would stay with an account whose loss falls on others.
  const AssetId margin = config_.risk.margin_asset;
  const auto candidate = [&](AssetId x) {
    const AssetConfig& cfg = config_.assets[x];
    return x != margin && cfg.collateral_weight_ppm == 0 && x < prices.asset.size() && prices.asset[x] && *prices.asset[x] > 0 &&
           !estate_of_claim_asset(config_, x) && ledger_.balance(a, x).available() > 0;
  };
  // Most bankrupt accounts hold no such asset (none in the crash bench): then the fund's budget,
  // a judgement of the fund, is not needed.
  bool any = false;
  for (AssetId x = 0; x < config_.assets.size() && !any; ++x) any = candidate(x);
  if (!any) return 0;
  const MarginSummary fund = margin_of(kInsuranceAccount, prices);
  const __int128 fund_cash = ledger_.balance(kInsuranceAccount, margin).available();
  __int128 budget = fund.frozen ? 0 : std::min(fund.equity, fund_cash) - config_.risk.insurance_floor;
  __int128 credited = 0;
  for (AssetId x = 0; x < config_.assets.size() && need > credited && budget > 0; ++x) {
    if (!candidate(x)) continue;
    const AssetConfig& cfg = config_.assets[x];
    const int64_t free = ledger_.balance(a, x).available();
    const __int128 unit = pow10(cfg.decimals);
    // The index less the configured haircut (risk.seizure_haircut_ppm, 20% by default): such an
    // asset has no collateral weight because the exchange does not trust its liquidity, so it is
    // valued as if sold in a hurry.
    const __int128 haircut_price = static_cast<__int128>(*prices.asset[x]) * (risk::kPpm - config_.risk.seizure_haircut_ppm);  // x 1e6
    const __int128 want = std::min(need - credited, budget);
    const int64_t take = static_cast<int64_t>(std::min<__int128>(ceil_div(want * unit * risk::kPpm, haircut_price), free));
    const int64_t worth = static_cast<int64_t>(std::min(static_cast<__int128>(take) * haircut_price / (unit * risk::kPpm), budget));
    if (take <= 0 || !ledger_.transfer(a, kInsuranceAccount, x, take)) continue;
    settle_margin(kInsuranceAccount, a, worth, "insurance fund: buys an unweighted asset of a bankrupt account");
    seized(a, x, take, worth);
    credited += worth;
    budget -= worth;
  }
  return credited;
}

void Engine::seized(AccountId a, AssetId x, int64_t amount, int64_t credited) {
  Event e;
  e.kind = EventKind::CollateralConverted;
  e.account = a;
  e.asset = x;
  e.quantity = amount;
  e.price = credited;
  events_.push_back(e);
}

void Engine::socialize_loss(AccountId bankrupt, int64_t loss) {
  // Pro rata over every other customer's free margin-asset balance, rounded down, then one unit at
  // a time in account id order for the rounding: deterministic and never more than anyone's free
  // balance. When all of it is less than the loss, the fund pays the rest (the exchange is then
  // insolvent in its margin asset, and the events say by how much).
  const AssetId margin = config_.risk.margin_asset;
  std::vector<std::pair<AccountId, int64_t>> payers;
  __int128 total = 0;
  for (AccountId b = kFirstCustomer; b < ledger_.account_count(); ++b) {
    if (b == bankrupt) continue;
    const int64_t free = ledger_.balance(b, margin).available();
    if (free <= 0) continue;
    payers.emplace_back(b, free);
    total += free;
  }
  const int64_t shared = static_cast<int64_t>(std::min<__int128>(total, loss));
  std::vector<int64_t> shares(payers.size(), 0);
  int64_t assigned = 0;
  for (size_t i = 0; i < payers.size(); ++i) {
    shares[i] = static_cast<int64_t>(static_cast<__int128>(shared) * payers[i].second / total);
    assigned += shares[i];
  }
  for (size_t i = 0; i < payers.size() && assigned < shared; ++i)
    if (shares[i] < payers[i].second) {
      ++shares[i];
      ++assigned;
    }
  for (size_t i = 0; i < payers.size(); ++i) {
    if (shares[i] == 0) continue;
    settle_margin(payers[i].first, bankrupt, shares[i], "socialized loss");
    Event e;
    e.kind = EventKind::LossSocialized;
    e.account = payers[i].first;
    e.maker_account = bankrupt;
    e.quantity = shares[i];
    events_.push_back(e);
  }
  if (loss > shared) {
    settle_margin(kInsuranceAccount, bankrupt, loss - shared, "insurance fund: bad debt beyond every balance");
    Event e;
    e.kind = EventKind::BadDebtCovered;
    e.account = bankrupt;
    e.quantity = loss - shared;
    events_.push_back(e);
  }
}

}  // namespace glassbook::engine
