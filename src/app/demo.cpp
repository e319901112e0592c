// The demo: signed accounts, chain-watcher deposits, market makers and takers on two spot markets,
// each command's signature verified (on all cores) before the engine applies it.
#include "app/demo.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <random>
#include <thread>
#include <unordered_map>

#include "core/decimal.h"
#include "engine/engine.h"

namespace glassbook::app {

namespace {

using engine::Command;
using engine::CommandBody;
using engine::Engine;
using engine::SignedCommand;

constexpr Timestamp kStartTime = 1'767'225'600'000'000;  // 2026-01-01T00:00:00Z, microseconds
constexpr uint32_t kLevelsPerSide = 5;

struct Trader {
  crypto::KeyPair key;
  AccountId account = 0;
  bool maker = false;
};

// Produces the demo's command stream: deterministic for a seed.
class Simulator {
 public:
  Simulator(const DemoOptions& o, const engine::ExchangeConfig& cfg, const crypto::KeyPair& watcher)
      : rng_(o.seed), cfg_(cfg), watcher_(watcher) {
    for (uint32_t i = 0; i < o.accounts; ++i) {
      Trader t{crypto::KeyPair::from_seed(crypto::seed_from_label(fmt::format("demo/trader/{}", i))), 0, i < o.accounts / 10};
      traders_.push_back(t);
    }
    mids_ = {1'000'000, 15'000};  // ticks: BTC 100,000.0 USDC; SOL 150.00 USDC
  }

  // Registration and deposits for every trader.
  std::vector<SignedCommand> setup(SeqNo& seq) {
    std::vector<SignedCommand> out;
    for (auto& t : traders_) out.push_back(sign(t.key, seq, engine::RegisterAccount{t.key.public_key()}));
    return out;
  }
  std::vector<SignedCommand> fund(SeqNo& seq) {
    std::vector<SignedCommand> out;
    const int64_t amounts[] = {20'00000000, 5'000'000000000, 5'000'000'000000};  // 20 BTC, 5000 SOL, 5M USDC
    for (auto& t : traders_)
      for (AssetId a = 0; a < 3; ++a)
        out.push_back(sign(watcher_, seq, engine::Deposit{t.account, a, amounts[a], next_deposit_++}));
    return out;
  }
  void bind(const Engine& e) {
    for (auto& t : traders_) t.account = *e.account_of(t.key.public_key());
  }

  // One trading step: a maker requotes a level, or a taker crosses.
  std::vector<SignedCommand> step(SeqNo& seq) {
    std::vector<SignedCommand> out;
    MarketId m = static_cast<MarketId>(rng_() % 2);
    auto& mid = mids_[m];
    if (rng_() % 8 == 0) mid = std::max<int64_t>(100, mid + static_cast<int64_t>(rng_() % 7) - 3);
    const auto& mc = cfg_.markets[m];
    if (rng_() % 10 < 7) {
      Trader& t = traders_[rng_() % (traders_.size() / 10)];
      uint32_t level = static_cast<uint32_t>(rng_() % kLevelsPerSide);
      engine::Side side = rng_() % 2 ? engine::Side::Buy : engine::Side::Sell;
      // Each quote slot holds at most one order; a requote cancels the slot's order by its client id.
      const uint64_t slot = key(t.account, 1 + m * 100 + static_cast<uint32_t>(side) * 10 + level);
      if (auto it = slots_.find(slot); it != slots_.end()) {
        out.push_back(sign(t.key, seq, engine::CancelOrder{t.account, m, 0, it->second}));
        slots_.erase(it);
      }
      const uint32_t client = next_client_++;  // never reused, so never a duplicate
      slots_[slot] = client;
      client_slot_[key(t.account, client)] = slot;
      int64_t off = 1 + level * 2 + static_cast<int64_t>(rng_() % 2);
      int64_t ticks = side == engine::Side::Buy ? mid - off : mid + off;
      engine::PlaceOrder p;
      p.account = t.account;
      p.market = m;
      p.side = side;
      p.price = ticks * mc.tick_size;
      p.quantity = mc.lot_size * static_cast<int64_t>(1 + rng_() % 200);
      p.tif = engine::TimeInForce::PostOnly;
      p.client_id = client;
      out.push_back(sign(t.key, seq, p));
    } else {
      Trader& t = traders_[traders_.size() / 10 + rng_() % (traders_.size() - traders_.size() / 10)];
      engine::PlaceOrder p;
      p.account = t.account;
      p.market = m;
      p.side = rng_() % 2 ? engine::Side::Buy : engine::Side::Sell;
      p.quantity = mc.lot_size * static_cast<int64_t>(1 + rng_() % 100);
      if (rng_() % 3 == 0) {
        p.type = engine::OrderType::Market;
      } else {
        p.tif = engine::TimeInForce::IOC;
        int64_t ticks = p.side == engine::Side::Buy ? mid + 4 : mid - 4;
        p.price = ticks * mc.tick_size;
      }
      out.push_back(sign(t.key, seq, p));
    }
    return out;
  }

  // Frees a quote slot when the engine reports its order filled or cancelled.
  void observe(std::span<const engine::Event> events) {
    for (const auto& e : events) {
      if (e.kind == engine::EventKind::OrderAccepted && e.client_id != 0) {
        order_client_[e.order_id] = key(e.account, e.client_id);
      } else if (e.kind == engine::EventKind::OrderCancelled || (e.kind == engine::EventKind::Trade && e.maker_remaining == 0)) {
        const OrderId id = e.kind == engine::EventKind::Trade ? e.maker_order_id : e.order_id;
        auto oc = order_client_.find(id);
        if (oc == order_client_.end()) continue;
        if (auto cs = client_slot_.find(oc->second); cs != client_slot_.end()) {
          auto sl = slots_.find(cs->second);
          if (sl != slots_.end() && key(e.kind == engine::EventKind::Trade ? e.maker_account : e.account, sl->second) == oc->second)
            slots_.erase(sl);
          client_slot_.erase(cs);
        }
        order_client_.erase(oc);
      }
    }
  }

 private:
  static uint64_t key(AccountId a, uint32_t client) { return (uint64_t{a} << 32) | client; }
  SignedCommand sign(const crypto::KeyPair& k, SeqNo& seq, CommandBody body) {
    ++seq;
    return engine::sign_command(k, seq, kStartTime + static_cast<Timestamp>(seq) * 100, std::move(body));
  }

  std::mt19937_64 rng_;
  const engine::ExchangeConfig& cfg_;
  const crypto::KeyPair& watcher_;
  std::vector<Trader> traders_;
  std::vector<int64_t> mids_;
  std::unordered_map<uint64_t, uint32_t> slots_;        // (account, slot) -> client id of its open order
  std::unordered_map<uint64_t, uint64_t> client_slot_;  // (account, client id) -> slot
  std::unordered_map<OrderId, uint64_t> order_client_;  // order id -> (account, client id)
  uint32_t next_client_ = 1;
  uint64_t next_deposit_ = 1;
};

// Verifies a batch of signatures on every core; returns the index of the first bad one or -1.
long verify_batch(const std::vector<SignedCommand>& batch) {
  const size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::future<long>> parts;
  const size_t chunk = (batch.size() + threads - 1) / threads;
  for (size_t t = 0; t < threads; ++t) {
    parts.push_back(std::async(std::launch::async, [&, t] {
      for (size_t i = t * chunk; i < std::min(batch.size(), (t + 1) * chunk); ++i)
        if (!engine::verify_command(batch[i])) return static_cast<long>(i);
      return -1L;
    }));
  }
  long bad = -1;
  for (auto& p : parts) {
    long r = p.get();
    if (r >= 0 && (bad < 0 || r < bad)) bad = r;
  }
  return bad;
}

}  // namespace

int run_demo(const DemoOptions& o) {
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("demo/chain-watcher"));
  Engine eng(engine::demo_config(watcher.public_key()));
  const auto& cfg = eng.config();
  Simulator sim(o, cfg, watcher);
  SeqNo seq = 0;
  uint64_t applied = 0, rejected = 0;
  std::map<Error, uint64_t> refusals;

  auto run = [&](std::vector<SignedCommand>& batch, Simulator* observer) {
    if (long bad = verify_batch(batch); bad >= 0) {
      fmt::print(stderr, "demo: bad signature on command {}\n", batch[bad].command.seq);
      return false;
    }
    for (auto& sc : batch) {
      auto events = eng.apply(sc.command);
      ++applied;
      if (!events.empty() && events[0].kind == engine::EventKind::Rejected) {
        ++rejected;
        ++refusals[events[0].error];
      }
      if (observer) observer->observe(events);
      // A simulation checks the invariants after every command (cheap next to a signature check).
      if (Status inv = eng.check_invariants(); !inv) {
        fmt::print(stderr, "demo: invariant broken after command {}: {}\n", sc.command.seq, inv.to_string());
        return false;
      }
    }
    return true;
  };

  fmt::print("glassbook demo: {} accounts, markets {} and {}, seed {}\n", o.accounts, cfg.markets[0].symbol,
             cfg.markets[1].symbol, o.seed);
  auto reg = sim.setup(seq);
  if (!run(reg, nullptr)) return 1;
  sim.bind(eng);
  auto dep = sim.fund(seq);
  if (!run(dep, nullptr)) return 1;
  fmt::print("registered {} accounts and credited {} deposits (signed by the chain watcher)\n", reg.size(), dep.size());

  const auto start = std::chrono::steady_clock::now();
  auto last_report = start;
  std::vector<SignedCommand> batch;
  while (applied < o.max_commands) {
    batch.clear();
    while (batch.size() < 2048) {
      auto cmds = sim.step(seq);
      for (auto& c : cmds) batch.push_back(std::move(c));
    }
    // Signatures are checked in parallel, then the engine applies the batch in sequence.
    if (!run(batch, &sim)) return 1;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    if (!o.quiet && now - last_report >= std::chrono::seconds(1)) {
      last_report = now;
      fmt::print("  [{:5.1f}s] commands {:>9}  trades {:>8} / {:>8}  rejected {}\n", elapsed, applied,
                 eng.stats(0).trades, eng.stats(1).trades, rejected);
      std::fflush(stdout);
    }
    if (elapsed >= o.seconds) break;
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  fmt::print("\n{} commands in {:.1f} s ({:.0f}/s with signature checks), {} refused by the rules\n", applied, elapsed,
             applied / std::max(elapsed, 1e-9), rejected);
  for (auto [code, n] : refusals) fmt::print("  refused {}: {}\n", error_name(code), n);
  for (MarketId m = 0; m < cfg.markets.size(); ++m) {
    const auto& mc = cfg.markets[m];
    const auto& st = eng.stats(m);
    const int bd = cfg.assets[mc.base].decimals, qd = cfg.assets[mc.quote].decimals;
    auto price_or_dash = [&](book::Ticks t) { return t == 0 ? std::string("-") : format_decimal(eng.price_of_ticks(m, t), qd, true); };
    fmt::print("{:<9} trades {:>8}  volume {} {}  last {}  bid {} ask {}  resting {}\n", mc.symbol, st.trades,
               format_decimal(st.base_volume, bd, true), cfg.assets[mc.base].symbol,
               format_decimal(st.last_price, qd, true),
               price_or_dash(eng.book(m).best_bid()), price_or_dash(eng.book(m).best_ask()), eng.book(m).order_count());
  }
  fmt::print("fees collected:");
  for (AssetId a = 0; a < cfg.assets.size(); ++a)
    fmt::print(" {} {}", format_decimal(eng.ledger().balance(kFeeAccount, a).total, cfg.assets[a].decimals, true),
               cfg.assets[a].symbol);
  fmt::print("\n");
  Status inv = eng.check_invariants();
  fmt::print("invariants: {}\n", inv.is_ok() ? "hold after every command (double entry sums to zero per asset, no negative balance, holds match open orders)"
                                              : inv.to_string());
  fmt::print("state root: {}\n", crypto::to_hex(eng.state_root()));
  return inv.is_ok() ? 0 : 1;
}

}  // namespace glassbook::app
