// Workload 2: stream of 9% GTC limit, 3% IOC, 6% cancel, 82% move over a pre-filled book, through
// Engine::apply with ledger, holds, fees and matching on.
#include "app/bench/engine_workload.h"

#include "app/bench/apply_timer.h"
#include "app/bench/open_orders.h"
#include "app/bench/peak_memory.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "engine/engine.h"

namespace glassbook::app {

namespace {

using namespace engine;

constexpr Timestamp kStart = 1'767'225'600'000'000;

class Generator {
 public:
  Generator(const EngineWorkloadOptions& o, const ExchangeConfig& cfg) : o_(o), rng_(o.seed), shadow_(cfg) {
    mc_ = cfg.markets[0];
  }

  std::vector<Command> make(const std::vector<crypto::PublicKey>& keys, const crypto::PublicKey& watcher) {
    std::vector<Command> out;
    out.reserve(o_.commands + o_.accounts * 4 + o_.prefill_orders);
    keys_ = &keys;
    for (const auto& k : keys) push(out, k, RegisterAccount{k});
    for (uint32_t i = 0; i < keys.size(); ++i) {
      AccountId a = kFirstCustomer + i;
      push(out, watcher, Deposit{a, 0, 1'000'000'00000000, 2ull * i + 1});        // 1M BTC
      push(out, watcher, Deposit{a, 2, 1'000'000'000'000'000, 2ull * i + 2});  // 1e9 USDC (all accounts' sum fits in int64)
    }
    // Pre-fill: resting orders over about 750 levels around the mid, none crossing.
    for (uint32_t i = 0; i < o_.prefill_orders; ++i) {
      Side side = i % 2 ? Side::Buy : Side::Sell;
      place(out, side, TimeInForce::GTC, resting_price(side, 375));
    }
    setup_commands_ = out.size();
    setup_resting_ = shadow_.book(0).order_count();
    const uint64_t end = out.size() + o_.commands;
    while (out.size() < end) {
      uint32_t r = static_cast<uint32_t>(rng_() % 100);
      if (r % 64 == 0) mid_ = std::clamp<int64_t>(mid_ + static_cast<int64_t>(rng_() % 3) - 1, 900'000, 1'100'000);
      // The book is held near its pre-filled size: below it, cancels become resting orders and
      // GTC orders do not cross.
      const bool grow = open_.size() < o_.prefill_orders;
      if (r < 9 || open_.empty() || (grow && r < 18 && r >= 12)) {
        Side side = rng_() % 2 ? Side::Buy : Side::Sell;
        // One GTC in eight crosses the spread a little and trades.
        int64_t ticks = !grow && rng_() % 8 == 0 ? crossing_price(side) : resting_price(side, 20);
        place(out, side, TimeInForce::GTC, ticks);
      } else if (r < 12) {
        Side side = rng_() % 2 ? Side::Buy : Side::Sell;
        place(out, side, TimeInForce::IOC, crossing_price(side));
      } else if (r < 18) {
        const OpenOrder& victim = open_.at(rng_() % open_.size());
        push(out, key(victim.account), CancelOrder{victim.account, 0, victim.id, 0});
      } else {
        OpenOrder& o = open_.at(rng_() % open_.size());
        // A move re-prices near the touch; about one in sixty crosses and trades.
        int64_t ticks = rng_() % 60 == 0 ? crossing_price(o.side) : resting_price(o.side, 20);
        push(out, key(o.account), AmendOrder{o.account, 0, o.id, ticks * mc_.tick_size, o.remaining});
      }
    }
    return out;
  }

  size_t setup_commands() const { return setup_commands_; }
  size_t setup_resting() const { return setup_resting_; }
  uint64_t trades() const { return trades_; }
  uint64_t refused() const { return refused_; }
  const Engine& shadow() const { return shadow_; }

 private:
  const crypto::PublicKey& key(AccountId a) const { return (*keys_)[a - kFirstCustomer]; }
  int64_t resting_price(Side side, int64_t depth) {
    int64_t off = 1 + static_cast<int64_t>(rng_() % depth);
    int64_t best_opp = side == Side::Buy ? shadow_.book(0).best_ask() : shadow_.book(0).best_bid();
    int64_t p = side == Side::Buy ? mid_ - off : mid_ + off;
    if (best_opp != 0) p = side == Side::Buy ? std::min(p, best_opp - 1) : std::max(p, best_opp + 1);
    return p;
  }
  int64_t crossing_price(Side side) {
    int64_t best_opp = side == Side::Buy ? shadow_.book(0).best_ask() : shadow_.book(0).best_bid();
    if (best_opp == 0) best_opp = mid_;
    return side == Side::Buy ? best_opp + static_cast<int64_t>(rng_() % 3) : best_opp - static_cast<int64_t>(rng_() % 3);
  }
  void place(std::vector<Command>& out, Side side, TimeInForce tif, int64_t ticks) {
    AccountId a = kFirstCustomer + static_cast<AccountId>(rng_() % o_.accounts);
    PlaceOrder p;
    p.account = a;
    p.market = 0;
    p.side = side;
    p.tif = tif;
    p.price = ticks * mc_.tick_size;
    p.quantity = mc_.lot_size * static_cast<int64_t>(1 + rng_() % 50);
    push(out, key(a), p);
  }
  void push(std::vector<Command>& out, const crypto::PublicKey& signer, CommandBody body) {
    Command c;
    c.seq = out.size() + 1;
    c.timestamp = kStart + static_cast<Timestamp>(c.seq);
    c.signer = signer;
    c.body = std::move(body);
    for (const Event& e : shadow_.apply(c)) {
      if (e.kind == EventKind::Rejected) ++refused_;
      track(e);
    }
    out.push_back(std::move(c));
  }
  void track(const Event& e) {
    if (e.kind == EventKind::Trade) ++trades_;
    open_.observe(e);
  }

  EngineWorkloadOptions o_;
  std::mt19937_64 rng_;
  Engine shadow_;
  MarketConfig mc_;
  const std::vector<crypto::PublicKey>* keys_ = nullptr;
  OpenOrders open_;
  int64_t mid_ = 1'000'000;
  size_t setup_commands_ = 0;
  size_t setup_resting_ = 0;
  uint64_t trades_ = 0;
  uint64_t refused_ = 0;
};

}  // namespace

crypto::KeyPair workload_key(uint32_t i) { return crypto::KeyPair::from_seed(crypto::seed_from_label(fmt::format("bench/account/{}", i))); }
crypto::KeyPair workload_watcher() { return crypto::KeyPair::from_seed(crypto::seed_from_label("bench/watcher")); }

EngineStream generate_engine_stream(const EngineWorkloadOptions& o, const ExchangeConfig& config) {
  std::vector<crypto::PublicKey> keys;
  for (uint32_t i = 0; i < o.accounts; ++i) keys.push_back(workload_key(i).public_key());
  Generator gen(o, config);
  EngineStream s;
  s.commands = gen.make(keys, workload_watcher().public_key());
  s.setup = gen.setup_commands();
  return s;
}

double run_engine_workload(std::ostream& out, const EngineWorkloadOptions& o) {
  std::vector<crypto::PublicKey> keys;
  for (uint32_t i = 0; i < o.accounts; ++i) keys.push_back(workload_key(i).public_key());
  const auto watcher = workload_watcher().public_key();
  const ExchangeConfig cfg = demo_config(watcher);

  out << fmt::format("workload 2 (full engine): seed {}, cores {}, {} accounts, {} commands\n", o.seed,
                     std::thread::hardware_concurrency(), o.accounts, o.commands);
  out << "  generating the stream (untimed)..." << std::flush;
  Generator gen(o, cfg);
  std::vector<Command> cmds = gen.make(keys, watcher);
  out << fmt::format(" done: {} resting orders before the timed part, {} at the end\n", gen.setup_resting(),
                     gen.shadow().book(0).order_count());
  out << fmt::format("  commands refused by the rules while generating: {}\n", gen.refused());

  Engine eng(cfg);
  const size_t setup = gen.setup_commands();
  for (size_t i = 0; i < setup; ++i) eng.apply(cmds[i]);

  ApplyTimer timer((cmds.size() - setup) / 16 + 1);
  const auto t0 = std::chrono::steady_clock::now();
  for (size_t i = setup; i < cmds.size(); ++i) timer.apply(eng, cmds[i], (i & 15) == 0);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const uint64_t n = cmds.size() - setup;
  const uint64_t trades = timer.trades(), trading = timer.trading();
  const double rate = n / secs;
  const bool same = eng.state_root() == gen.shadow().state_root();
  out << fmt::format("  trades {}, {:.0f} trades/s; {:.1f}% of commands traded\n", trades, trades / secs, 100.0 * trading / n);
  out << fmt::format("  apply latency (1 in 16 sampled): {}\n", timer.latency_summary());
  out << fmt::format("  peak memory {:.1f} MiB\n", peak_rss_mib());
  out << fmt::format("  state root {} ({})\n", crypto::to_hex(eng.state_root()),
                     same ? "equal to the generator's engine" : "DIFFERS from the generator's engine");
  out << fmt::format("engine: {:.0f} commands/s\n", rate);
  return same ? rate : 0;
}

}  // namespace glassbook::app
