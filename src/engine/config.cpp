// Configuration validation and the demo configuration.
#include "engine/config.h"

#include <set>

#include "core/checked.h"

namespace glassbook::engine {

bool RolePolicy::contains(const crypto::PublicKey& k) const {
  for (const auto& key : keys)
    if (key == k) return true;
  return false;
}

namespace {

Status validate_role(const char* name, const RolePolicy& r) {
  if (r.keys.size() > 64) return {Error::InvalidConfig, std::string("role ") + name + ": more than 64 keys"};
  std::set<crypto::PublicKey> seen(r.keys.begin(), r.keys.end());
  if (seen.size() != r.keys.size()) return {Error::InvalidConfig, std::string("role ") + name + ": a key appears twice"};
  if (r.keys.empty() ? r.threshold != 0 : (r.threshold < 1 || r.threshold > r.keys.size()))
    return {Error::InvalidConfig, std::string("role ") + name + ": threshold must be within 1..number of keys"};
  return {};
}

}  // namespace

Result<std::vector<MarketScale>> validate_config(const ExchangeConfig& config) {
  for (auto [name, role] : {std::pair{"operators", &config.operators}, std::pair{"chain watchers", &config.chain_watchers},
                            std::pair{"oracle sources", &config.oracle_sources}, std::pair{"custodians", &config.custodians}})
    if (auto s = validate_role(name, *role); !s) return s;
  if (config.assets.empty()) return {Error::InvalidConfig, "no assets configured"};
  if (config.assets.size() > 1000) return {Error::InvalidConfig, "too many assets"};
  std::set<std::string> names;
  for (const auto& a : config.assets) {
    if (a.symbol.size() > 32) return {Error::InvalidConfig, "asset symbol longer than 32 bytes: '" + a.symbol + "'"};
    if (a.symbol.empty() || !names.insert(a.symbol).second)
      return {Error::InvalidConfig, "asset symbol empty or repeated: '" + a.symbol + "'"};
    if (a.decimals < 0 || a.decimals > 18) return {Error::InvalidConfig, "asset " + a.symbol + ": decimals outside 0..18"};
  }
  std::vector<MarketScale> scales;
  for (const auto& m : config.markets) {
    auto bad = [&](const std::string& why) { return Status(Error::InvalidConfig, "market " + m.symbol + ": " + why); };
    if (m.symbol.size() > 32) return bad("symbol longer than 32 bytes");
    if (m.symbol.empty() || !names.insert(m.symbol).second) return bad("symbol empty or repeated");
    if (m.base >= config.assets.size() || m.quote >= config.assets.size() || m.base == m.quote)
      return bad("base and quote must be two configured assets");
    if (m.tick_size <= 0 || m.lot_size <= 0) return bad("tick and lot sizes must be positive");
    if (m.min_quantity < m.lot_size || m.min_quantity % m.lot_size != 0) return bad("min quantity must be a positive multiple of the lot");
    if (m.max_price < m.tick_size || m.max_price % m.tick_size != 0) return bad("max price must be a positive multiple of the tick");
    if (m.maker_fee_ppm < 0 || m.maker_fee_ppm > 100'000 || m.taker_fee_ppm < 0 || m.taker_fee_ppm > 100'000)
      return bad("fees must be within 0..10%");
    if (m.market_protection_ppm <= 0 || m.market_protection_ppm >= 1'000'000) return bad("market protection must be within (0, 100%)");
    if (m.max_orders == 0 || m.max_orders > (1u << 24)) return bad("max orders must be within 1..2^24");
    int64_t unit = pow10(config.assets[m.base].decimals);
    auto prod = checked_mul(m.tick_size, m.lot_size);
    if (!prod || *prod % unit != 0) return bad("tick size x lot size must be a whole number of quote units");
    MarketScale s;
    s.notional_per_tick_lot = *prod / unit;
    s.max_price_ticks = m.max_price / m.tick_size;
    if (s.max_price_ticks > (int64_t{1} << 26)) return bad("more than 2^26 price ticks");
    scales.push_back(s);
  }
  return scales;
}

ExchangeConfig demo_config(const crypto::PublicKey& chain_watcher) {
  ExchangeConfig c;
  c.assets = {{"BTC", 8}, {"SOL", 9}, {"USDC", 6}};
  MarketConfig btc;
  btc.symbol = "BTC_USDC";
  btc.base = 0;
  btc.quote = 2;
  btc.tick_size = 100'000;      // 0.1 USDC
  btc.lot_size = 1'000;         // 0.00001 BTC
  btc.min_quantity = 1'000;
  btc.max_price = 5'000'000'000'000;  // 5,000,000 USDC
  btc.maker_fee_ppm = 200;      // 2 bp
  btc.taker_fee_ppm = 500;      // 5 bp
  MarketConfig sol;
  sol.symbol = "SOL_USDC";
  sol.base = 1;
  sol.quote = 2;
  sol.tick_size = 10'000;       // 0.01 USDC
  sol.lot_size = 10'000'000;    // 0.01 SOL
  sol.min_quantity = 10'000'000;
  sol.max_price = 100'000'000'000;    // 100,000 USDC
  sol.maker_fee_ppm = 200;
  sol.taker_fee_ppm = 500;
  c.markets = {btc, sol};
  c.chain_watchers = {{chain_watcher}, 1};
  return c;
}

}  // namespace glassbook::engine
