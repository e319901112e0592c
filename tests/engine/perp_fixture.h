// Test fixture for perpetuals and the risk engine: the demo exchange plus a BTC perpetual settled in
// USDC, BTC priced by five oracle sources (quorum 3), an insurance fund, and helpers for prices,
// perpetual orders and positions. Invariants are checked after every command.
#pragma once
#include <string>
#include <vector>

#include "exchange_fixture.h"

namespace glassbook::engine::testing {

inline constexpr MarketId kPerp = 2;             // BTC_PERP: tick 0.1 USDC, lot 0.001 BTC
inline constexpr int64_t kPerpLot = 100'000;     // 0.001 BTC in sats
inline constexpr int kOracleSources = 5;
inline constexpr int64_t kStalenessUs = 10'000'000;  // 10 s

// Whole USDC per BTC as a price in USDC units.
inline constexpr int64_t usd(int64_t whole) { return whole * kUsdc; }
// Whole BTC as a perpetual quantity in sats.
inline constexpr int64_t btc(int64_t whole) { return whole * kBtcUnit; }

inline void add_perpetual(ExchangeConfig& c, const std::vector<crypto::PublicKey>& oracle_keys) {
  c.assets[BTC].valuation = Valuation::Index;
  c.assets[BTC].collateral_weight_ppm = 950'000;
  c.assets[USDC].valuation = Valuation::MarginAsset;
  c.assets[USDC].collateral_weight_ppm = 1'000'000;
  c.risk.margin_asset = USDC;
  c.risk.oracle_staleness_us = kStalenessUs;
  c.risk.oracle_cap_ppm = 50'000;
  c.oracle_sources.keys = oracle_keys;
  c.oracle_sources.threshold = 3;
  MarketConfig m;
  m.symbol = "BTC_PERP";
  m.base = BTC;
  m.quote = USDC;
  m.tick_size = 100'000;           // 0.1 USDC
  m.lot_size = kPerpLot;           // 0.001 BTC
  m.min_quantity = kPerpLot;
  m.max_price = 1'000'000 * kUsdc; // 1,000,000 USDC
  m.maker_fee_ppm = 200;
  m.taker_fee_ppm = 500;
  m.kind = MarketKind::Perpetual;
  m.band_ppm = 100'000;            // 10%
  m.perp.tiers = {{usd(100'000), 100'000, 50'000},     // up to 100k: 10x, maintenance 5%
                  {usd(1'000'000), 200'000, 100'000},  // up to 1M: 5x, maintenance 10%
                  {usd(10'000'000), 500'000, 250'000}};
  m.perp.funding_interval_us = 3'600'000'000;          // 1 h
  m.perp.funding = {100'000, 500'000, 7'500'000};       // interest 0.01%, clamp 0.05%, cap 0.75%
  m.perp.impact_notional = usd(1'000);
  m.perp.basis_alpha_ppm = 100'000;
  m.perp.liquidation_fee_ppm = 5'000;
  m.perp.insurance_max_position = btc(100);
  m.perp.mark_cap_ppm = 10'000;           // the mark within 1% of the index plus the funding term
  c.markets.push_back(m);
}

class PerpExchange : public Exchange {
 public:
  PerpExchange() : PerpExchange([](ExchangeConfig&) {}) {}
  explicit PerpExchange(const std::function<void(ExchangeConfig&)>& adjust)
      : Exchange([&](ExchangeConfig& c) {
          add_perpetual(c, oracle_keys());
          adjust(c);
        }) {
    check_invariants_always();
  }

  static std::vector<crypto::PublicKey> oracle_keys() {
    std::vector<crypto::PublicKey> keys;
    for (int i = 0; i < kOracleSources; ++i) keys.push_back(source(i).public_key());
    return keys;
  }
  static crypto::KeyPair source(int i) {
    return crypto::KeyPair::from_seed(crypto::seed_from_label("test/oracle/" + std::to_string(i)));
  }

  // One source's price for BTC (USDC units per BTC), as the signed-time report a source sends,
  // signed at the time the sequencer stamps it (now() + 1: run() stamps the next microsecond).
  std::vector<Event> quote(int source_index, int64_t price, AssetId asset = BTC) {
    return run(source(source_index), OracleReport{now() + 1, {{asset, price}}});
  }
  // Every source quotes the same price; returns the events of all five commands.
  std::vector<Event> oracle(int64_t price, AssetId asset = BTC) {
    std::vector<Event> all;
    for (int i = 0; i < kOracleSources; ++i) {
      auto ev = quote(i, price, asset);
      all.insert(all.end(), ev.begin(), ev.end());
    }
    return all;
  }

  std::vector<Event> perp(const std::string& name, Side side, int64_t price, int64_t qty,
                          TimeInForce tif = TimeInForce::GTC) {
    return order(name, side, price, qty, tif, kPerp);
  }
  std::vector<Event> perp_market(const std::string& name, Side side, int64_t qty) {
    return order(name, side, 0, qty, TimeInForce::IOC, kPerp, 0, Stp::CancelNewest, OrderType::Market);
  }

  // A registered account with `usdc` whole USDC and nothing else.
  AccountId funded(const std::string& name, int64_t usdc) {
    AccountId a = open(name);
    if (usdc > 0) deposit(name, USDC, usd(usdc));
    return a;
  }

  int64_t lots(const std::string& name) {
    const PerpPosition* p = engine().position(id(name), kPerp);
    return p == nullptr ? 0 : p->lots;
  }
  int64_t usdc(const std::string& name) { return balance(name, USDC).total; }
  MarginSummary margin(const std::string& name) { return engine().margin_of(id(name), engine().prices_at(now())); }
  // The chain watcher attests a deposit to the insurance fund's wallet: its capital.
  std::vector<Event> seed_insurance(int64_t usdc) { return run(watcher(), Deposit{kInsuranceAccount, USDC, usd(usdc), next_deposit_id()}); }
  int64_t insurance() { return engine().ledger().balance(kInsuranceAccount, USDC).total; }
};

inline bool rejected_with(const std::vector<Event>& ev, Error e) {
  return ev.size() == 1 && ev[0].kind == EventKind::Rejected && ev[0].error == e;
}

}  // namespace glassbook::engine::testing
