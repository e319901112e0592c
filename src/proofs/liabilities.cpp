// Customer liabilities per asset from an engine's read-only queries (liabilities.h).
#include "proofs/liabilities.h"

#include <fmt/format.h>

#include <limits>

#include "engine/risk_state.h"

namespace glassbook::proofs {

Result<LiabilityTable> customer_liabilities(const engine::Engine& e) {
  const engine::ExchangeConfig& cfg = e.config();
  const ledger::Ledger& ledger = e.ledger();
  LiabilityTable t;
  t.snapshot_id = e.state_root();
  t.checkpoint_seq = e.last_seq();
  t.time = e.last_timestamp();
  for (const auto& a : cfg.assets) t.assets.push_back(a.symbol);
  const size_t n = t.assets.size();
  std::vector<MarketId> perps;
  for (MarketId m = 0; m < cfg.markets.size(); ++m)
    if (cfg.markets[m].kind == engine::MarketKind::Perpetual) perps.push_back(m);
  const engine::RiskPrices prices = e.prices_at(e.last_timestamp());
  const AssetId margin = cfg.risk.margin_asset;

  for (AccountId a = kFirstCustomer; a < ledger.account_count(); ++a) {
    t.accounts.push_back(a);
    for (AssetId x = 0; x < n; ++x) {
      __int128 v = ledger.balance(a, x).total;
      if (!perps.empty() && x == margin) {
        for (MarketId m : perps) {
          const engine::PerpPosition* p = e.position(a, m);
          if (p == nullptr || p->lots == 0 || !prices.mark[m]) continue;
          const auto& mc = cfg.markets[m];
          v += engine::lots_value(mc, cfg.assets[mc.base].decimals, p->lots, *prices.mark[m]) - p->cost;
        }
      }
      if (v < 0) v = 0;
      if (v > static_cast<__int128>(std::numeric_limits<uint64_t>::max()))
        return Status(Error::Overflow, fmt::format("account {}: its {} is above 2^64 - 1", a, t.assets[x]));
      t.values.push_back(static_cast<uint64_t>(v));
    }
  }
  return t;
}

}  // namespace glassbook::proofs
