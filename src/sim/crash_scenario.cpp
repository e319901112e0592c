// The flash-crash population and its oracle path (crash_scenario.h).
#include "sim/crash_scenario.h"

#include <algorithm>
#include <cstring>
#include <random>
#include <string>

#include "crypto/ed25519.h"

namespace glassbook::sim {

namespace {

constexpr int64_t kUsdcUnit = 1'000'000;
constexpr int64_t kLot = 100'000;          // 0.001 BTC in sats
constexpr int64_t kLotValue = 60 * kUsdcUnit;  // one lot at kPrice
constexpr int kBidLevels = 36;             // makers' bids every 0.25% down to -9%, inside the 10% band

crypto::PublicKey synthetic_key(uint32_t i) {
  crypto::PublicKey k{};
  std::memcpy(k.data(), &i, sizeof i);
  std::memcpy(k.data() + sizeof i, "sim/account", 11);
  return k;
}

engine::ExchangeConfig crash_config(const std::vector<crypto::PublicKey>& sources, const crypto::PublicKey& watcher,
                                    uint32_t accounts) {
  using namespace engine;
  ExchangeConfig c;
  c.assets = {{"BTC", 8}, {"USDC", 6}};
  c.assets[CrashScenario::kBtc].valuation = Valuation::Index;
  c.assets[CrashScenario::kBtc].collateral_weight_ppm = 950'000;
  c.assets[CrashScenario::kUsdc].valuation = Valuation::MarginAsset;
  c.assets[CrashScenario::kUsdc].collateral_weight_ppm = 1'000'000;
  c.risk.margin_asset = CrashScenario::kUsdc;
  c.risk.oracle_staleness_us = 10'000'000;
  c.risk.oracle_cap_ppm = 50'000;
  c.oracle_sources = {sources, 3};
  c.chain_watchers = {{watcher}, 1};
  MarketConfig m;
  m.symbol = "BTC_PERP";
  m.base = CrashScenario::kBtc;
  m.quote = CrashScenario::kUsdc;
  m.tick_size = 100'000;  // 0.1 USDC
  m.lot_size = kLot;
  m.min_quantity = kLot;
  m.max_price = 1'000'000 * kUsdcUnit;
  m.maker_fee_ppm = 200;
  m.taker_fee_ppm = 500;
  m.kind = MarketKind::Perpetual;
  m.band_ppm = 100'000;
  m.perp.tiers = {{100'000 * kUsdcUnit, 100'000, 50'000},
                  {1'000'000 * kUsdcUnit, 200'000, 100'000},
                  {1'000'000'000 * kUsdcUnit, 500'000, 250'000}};
  m.perp.funding_interval_us = 3'600'000'000;
  m.perp.funding = {100'000, 500'000, 7'500'000};
  m.perp.impact_notional = 1'000 * kUsdcUnit;
  m.perp.basis_alpha_ppm = 100'000;
  m.perp.liquidation_fee_ppm = 5'000;
  // The fund may hold a position of half a lot per account: enough to take part of the cascade,
  // not all of it, so that auto-deleveraging runs too.
  m.perp.insurance_max_position = static_cast<int64_t>(accounts / 2 + 1) * kLot;
  m.perp.mark_cap_ppm = 10'000;  // 1%
  c.markets = {m};
  return c;
}

}  // namespace

CrashScenario::CrashScenario(CrashOptions options) : options_(options) {
  for (int i = 0; i < kSources; ++i)
    sources_.push_back(crypto::KeyPair::from_seed(crypto::seed_from_label("sim/oracle/" + std::to_string(i))).public_key());
  watcher_ = crypto::KeyPair::from_seed(crypto::seed_from_label("sim/watcher")).public_key();
  config_ = crash_config(sources_, watcher_, options_.accounts);
}

void CrashScenario::emit(const Sink& sink, const crypto::PublicKey& signer, engine::CommandBody body, int64_t after_us) {
  engine::Command c;
  c.seq = ++seq_;
  now_ += after_us;
  c.timestamp = now_;
  c.signer = signer;
  c.body = std::move(body);
  sink(c);
}

void CrashScenario::report(const Sink& sink, int source, int64_t price, int64_t after_us) {
  // The form a source sends (the unsigned-time OracleUpdate is refused at the gateway): its own time
  // is the sequencer's stamp, so every report is fresh when it is applied.
  emit(sink, sources_[source], engine::OracleReport{now_ + after_us, {{kBtc, price}}}, after_us);
}

int64_t CrashScenario::price_at_step(int step) const {
  const __int128 move = static_cast<__int128>(options_.shock_ppm) * step / options_.steps;
  const int64_t tick = config_.markets[kPerp].tick_size;
  return static_cast<int64_t>(static_cast<__int128>(kPrice) * (1'000'000 + move) / 1'000'000 / tick * tick);
}

void CrashScenario::setup(const Sink& sink) {
  using namespace engine;
  for (int i = 0; i < kSources; ++i) report(sink, i, kPrice);
  const uint32_t n = options_.accounts;
  emit(sink, watcher_, Deposit{kInsuranceAccount, kUsdc, static_cast<int64_t>(n) * 20 * kUsdcUnit, ++deposit_id_});

  // Makers: a quarter of a lot of bids per account in all, spread over the levels.
  const int64_t lots_per_bid = std::max<int64_t>(1, static_cast<int64_t>(n) / (4 * kMakers * kBidLevels) * 4);
  for (uint32_t k = 0; k < kMakers; ++k) {
    const crypto::PublicKey key = synthetic_key(0x8000'0000u + k);
    emit(sink, key, RegisterAccount{key});
    const AccountId id = kFirstCustomer + k;
    emit(sink, watcher_, Deposit{id, kUsdc, 1'000'000'000 * kUsdcUnit, ++deposit_id_});
    for (int level = 1; level <= kBidLevels; ++level) {
      PlaceOrder bid;
      bid.account = id;
      bid.market = kPerp;
      bid.side = book::Side::Buy;
      const int64_t tick = config_.markets[kPerp].tick_size;
      bid.price = kPrice * (4'000 - level * 10) / 4'000 / tick * tick;
      bid.quantity = lots_per_bid * kLot;
      emit(sink, key, bid);
    }
  }

  // Accounts in pairs: the short rests a sell at the price, the long takes it.
  std::mt19937_64 rng(options_.seed);
  for (uint32_t i = 0; i < n; i += 2) {
    const int64_t lots = 5 + static_cast<int64_t>(rng() % 46);  // 0.005 to 0.05 BTC
    for (uint32_t j = i; j < i + 2 && j < n; ++j) {
      const crypto::PublicKey key = synthetic_key(j);
      emit(sink, key, RegisterAccount{key});
      const AccountId id = kFirstCustomer + kMakers + j;
      // Leverage 1.5x to 9x; collateral covers the notional at it, plus fees.
      const int64_t leverage_ppm = 1'500'000 + static_cast<int64_t>(rng() % 7'500'001);
      const int64_t notional = lots * kLotValue;
      const int64_t collateral = static_cast<int64_t>(static_cast<__int128>(notional) * 1'000'000 / leverage_ppm) + notional / 1'000;
      emit(sink, watcher_, Deposit{id, kUsdc, collateral, ++deposit_id_});
    }
    if (i + 1 >= n) break;
    const AccountId long_id = kFirstCustomer + kMakers + i, short_id = long_id + 1;
    PlaceOrder sell;
    sell.account = short_id;
    sell.market = kPerp;
    sell.side = book::Side::Sell;
    sell.price = kPrice;
    sell.quantity = lots * kLot;
    emit(sink, synthetic_key(i + 1), sell);
    PlaceOrder buy = sell;
    buy.account = long_id;
    buy.side = book::Side::Buy;
    buy.tif = book::TimeInForce::IOC;
    emit(sink, synthetic_key(i), buy);
  }
}

void CrashScenario::steady(const Sink& sink) {
  for (int i = 0; i < kSources; ++i) report(sink, i, kPrice, i == 0 ? options_.step_us : 1);
}

void CrashScenario::crash(const Sink& sink) {
  for (int step = 1; step <= options_.steps; ++step) {
    const int64_t price = price_at_step(step);
    for (int i = 0; i < kSources; ++i)
      report(sink, i, price, i == 0 ? options_.step_us : 1);
  }
}

}  // namespace glassbook::sim
