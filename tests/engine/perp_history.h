// Seeded random histories of two perpetuals (BTC and SOL) with spot trading, collateral in three
// assets, oracle walks and jumps, stale sources and funding: the streams the risk engine's
// randomized tests replay (the sweep's twin test, the leak property test). With `leaks` on, the
// history also has colluding pairs (a reducing order at the edge of the band, taken at once by a
// partner) and one crash of the index by -60% in ten steps.
#pragma once
#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <vector>

#include "perp_fixture.h"

namespace glassbook::engine::testing {

inline constexpr MarketId kSolPerp = 3;

inline ExchangeConfig history_config(const crypto::PublicKey& watcher) {
  ExchangeConfig c = demo_config(watcher);
  add_perpetual(c, PerpExchange::oracle_keys());
  c.assets[SOL].valuation = Valuation::Index;
  c.assets[SOL].collateral_weight_ppm = 800'000;
  MarketConfig sol = c.markets[kPerp];
  sol.symbol = "SOL_PERP";
  sol.base = SOL;
  sol.tick_size = 10'000;         // 0.01 USDC
  sol.lot_size = 100'000'000;     // 0.1 SOL
  sol.min_quantity = sol.lot_size;
  sol.max_price = 100'000 * kUsdc;
  sol.perp.insurance_max_position = 50 * 1'000'000'000LL;  // 50 SOL: small, so that ADL runs
  c.markets.push_back(sol);
  c.markets[kPerp].perp.insurance_max_position = btc(1);
  return c;
}

class HistoryGenerator {
 public:
  HistoryGenerator(uint64_t seed, uint32_t accounts, const crypto::PublicKey& watcher, bool leaks = false)
      : rng_(seed), watcher_(watcher), leaks_(leaks) {
    for (uint32_t i = 0; i < accounts; ++i)
      keys_.push_back(crypto::KeyPair::from_seed(crypto::seed_from_label("twin/" + std::to_string(i))).public_key());
    for (int i = 0; i < kOracleSources; ++i) sources_.push_back(PerpExchange::source(i).public_key());
    // Registration, deposits (every account USDC, some BTC and SOL too: collateral) and the fund.
    for (uint32_t i = 0; i < accounts; ++i) {
      push(keys_[i], RegisterAccount{keys_[i]});
      const AccountId a = kFirstCustomer + i;
      push(watcher_, Deposit{a, USDC, usd(500 + pick(5'000)), ++deposit_id_});
      if (pick(3) == 0) push(watcher_, Deposit{a, BTC, static_cast<int64_t>(pick(20)) * kBtcUnit / 100 + 1, ++deposit_id_});
      if (pick(3) == 0) push(watcher_, Deposit{a, SOL, static_cast<int64_t>(1 + pick(50)) * 1'000'000'000, ++deposit_id_});
    }
    push(watcher_, Deposit{kInsuranceAccount, USDC, usd(5'000), ++deposit_id_});
    for (int s = 0; s < kOracleSources; ++s) quote_all(s);
  }

  Command next(const Engine& e) {
    if (!pending_.empty()) {
      Command c = pending_.front();
      pending_.erase(pending_.begin());
      return c;
    }
    if (leaks_) {
      ++commands_;
      if (commands_ == kCrashAt) return crash();
      if (pick(25) == 0)
        if (auto c = collude(e)) return *c;
    }
    const uint32_t r = pick(100);
    if (r < 30) {  // the oracle: a walk, sometimes a jump, sometimes one source far off
      if (pick(12) == 0) {
        const int64_t jump_ppm = static_cast<int64_t>(pick(2) ? 1 : -1) * (30'000 + pick(150'000));
        AssetId asset = pick(2) ? BTC : SOL;
        price_[asset] = std::max<int64_t>(1'000, price_[asset] + price_[asset] / 1'000'000 * jump_ppm);
      }
      // A walk of up to 0.5% a step, pulled back toward where it started so that it stays in range.
      for (AssetId asset : {BTC, SOL}) {
        const int64_t home = asset == BTC ? usd(60'000) : usd(150);
        price_[asset] += price_[asset] / 1000 * (static_cast<int64_t>(pick(11)) - 5) + (home - price_[asset]) / 20;
      }
      const int source = static_cast<int>(pick(kOracleSources));
      if (source == 4 && pick(2) == 0) return next(e);  // the fifth source is often silent: it goes stale
      return quote(source);
    }
    if (r < 33) {  // time passes: staleness, and now and then a funding interval
      clock_ += pick(4) == 0 ? 3'600'000'000 : 2'000'000 + pick(20'000'000);
      return quote(static_cast<int>(pick(4)));
    }
    const AccountId a = kFirstCustomer + pick(static_cast<uint32_t>(keys_.size()));
    if (r < 36) return make(watcher_, Deposit{a, USDC, usd(1 + pick(3'000)), ++deposit_id_});
    if (r < 80) {  // perpetual orders near the mark: resting, crossing, market
      const MarketId m = pick(3) == 0 ? kSolPerp : kPerp;
      const MarketConfig& mc = config_markets_[m == kPerp ? 0 : 1];
      PlaceOrder p;
      p.account = a;
      p.market = m;
      p.side = pick(2) ? Side::Buy : Side::Sell;
      p.type = pick(8) == 0 ? OrderType::Market : OrderType::Limit;
      p.tif = p.type == OrderType::Market ? TimeInForce::IOC : (pick(3) == 0 ? TimeInForce::IOC : TimeInForce::GTC);
      const int64_t ref = price_[m == kPerp ? BTC : SOL];
      const int64_t off = ref / 1000 * (static_cast<int64_t>(pick(41)) - 20);
      const int64_t px = p.side == Side::Buy ? ref + off : ref - off;
      p.price = p.type == OrderType::Market ? 0 : std::max<int64_t>(mc.tick_size, px / mc.tick_size * mc.tick_size);
      // Sized to take the account toward 1x to 9x its equity: leverage that a jump can liquidate.
      const MarginSummary ms = e.margin_of(a, e.prices_at(e.last_timestamp()));
      const int dec = m == kPerp ? 8 : 9;
      const __int128 lot_value = static_cast<__int128>(mc.lot_size) * ref / pow10(dec);
      const __int128 want = ms.equity > 0 ? ms.equity * (1 + pick(9)) / 2 / std::max<__int128>(lot_value, 1) : 1;
      p.quantity = mc.lot_size * static_cast<int64_t>(std::clamp<__int128>(want, 1, 2'000));
      return make(keys_[a - kFirstCustomer], p);
    }
    if (r < 88) {  // spot orders: holds move collateral out of margin
      PlaceOrder p;
      p.account = a;
      p.market = kBtc;
      p.side = pick(2) ? Side::Buy : Side::Sell;
      const int64_t off = price_[BTC] / 1000 * (static_cast<int64_t>(pick(21)) - 10);
      p.price = std::max<int64_t>(kTick, (price_[BTC] + (p.side == Side::Buy ? -off : off)) / kTick * kTick);
      p.quantity = kLot * (1 + static_cast<int64_t>(pick(2'000)));
      return make(keys_[a - kFirstCustomer], p);
    }
    if (r < 96) {  // cancels of resting orders
      for (MarketId m : {kBtc, kPerp, kSolPerp}) {
        std::vector<const book::Order*> orders;
        for (Side side : {Side::Buy, Side::Sell}) e.book(m).for_each_order(side, [&](const book::Order& o) { orders.push_back(&o); });
        if (orders.empty() || pick(2) == 0) continue;
        const book::Order* o = orders[pick(static_cast<uint32_t>(orders.size()))];
        return make(keys_[o->account - kFirstCustomer], CancelOrder{o->account, m, o->id, 0});
      }
    }
    return make(keys_[a - kFirstCustomer], CancelAll{a, kAllMarkets});
  }

  void set_markets(const ExchangeConfig& c) { config_markets_ = {c.markets[kPerp], c.markets[kSolPerp]}; }

 private:
  static constexpr int kCrashAt = 1'500;  // the command at which the -60% crash starts

  // Ten steps of -8.8% each (0.912^10 = 0.40), every source quoting each step.
  Command crash() {
    for (int step = 0; step < 10; ++step) {
      price_[BTC] = price_[BTC] / 1000 * 912;
      for (int s = 0; s < kOracleSources; ++s) quote_all(s);
    }
    Command c = pending_.front();
    pending_.erase(pending_.begin());
    return c;
  }

  // A colluding pair: an account with a BTC position offers to reduce it at the edge of the band
  // (far beyond its bankruptcy price when it is near maintenance), and its partner (the next
  // account) takes that price at once.
  std::optional<Command> collude(const Engine& e) {
    const AccountId a = kFirstCustomer + pick(static_cast<uint32_t>(keys_.size()));
    const AccountId partner = kFirstCustomer + (a - kFirstCustomer + 1) % static_cast<uint32_t>(keys_.size());
    const PerpPosition* pos = e.position(a, kPerp);
    const auto mark = e.prices_at(e.last_timestamp()).mark[kPerp];
    if (pos == nullptr || pos->lots == 0 || !mark) return std::nullopt;
    const MarketConfig& mc = config_markets_[0];
    const int64_t edge = *mark / 1'000'000 * (pos->lots > 0 ? 905'000 : 1'095'000);  // 9.5% away
    const int64_t px = std::max<int64_t>(mc.tick_size, edge / mc.tick_size * mc.tick_size);
    PlaceOrder give;
    give.account = a;
    give.market = kPerp;
    give.side = pos->lots > 0 ? Side::Sell : Side::Buy;
    give.price = px;
    give.quantity = std::abs(pos->lots) * mc.lot_size;
    PlaceOrder take = give;
    take.account = partner;
    take.side = give.side == Side::Sell ? Side::Buy : Side::Sell;
    take.tif = TimeInForce::IOC;
    push(keys_[partner - kFirstCustomer], take);
    return make(keys_[a - kFirstCustomer], give);
  }

  uint32_t pick(uint32_t n) { return n == 0 ? 0 : static_cast<uint32_t>(rng_() % n); }
  Command make(const crypto::PublicKey& signer, CommandBody body) {
    Command c;
    c.seq = ++seq_;
    clock_ += 1 + pick(200'000);
    c.timestamp = 1'700'000'000'000'000 + clock_;
    c.signer = signer;
    c.body = std::move(body);
    return c;
  }
  void push(const crypto::PublicKey& signer, CommandBody body) { pending_.push_back(make(signer, std::move(body))); }
  Command quote(int source) {
    // Each source has its own small bias; the collateral's redemption is not modelled here.
    const int64_t bias = (source - 2) * 300;
    return make(sources_[source], OracleUpdate{{{BTC, price_[BTC] + price_[BTC] / 1'000'000 * bias},
                                                {SOL, price_[SOL] + price_[SOL] / 1'000'000 * bias}}});
  }
  void quote_all(int source) { pending_.push_back(quote(source)); }

  std::mt19937_64 rng_;
  crypto::PublicKey watcher_;
  std::vector<crypto::PublicKey> keys_, sources_;
  std::vector<Command> pending_;
  std::vector<MarketConfig> config_markets_;
  std::map<AssetId, int64_t> price_{{BTC, usd(60'000)}, {SOL, usd(150)}};
  SeqNo seq_ = 0;
  int64_t clock_ = 0;
  uint64_t deposit_id_ = 0;
  bool leaks_ = false;
  int commands_ = 0;
};

}  // namespace glassbook::engine::testing
