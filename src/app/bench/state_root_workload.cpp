// The state root benchmark: an engine of millions of accounts, one root after each batch of 1,000 records.
#include "app/bench/state_root_workload.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <vector>

#include "app/bench/cpu_clock.h"
#include "app/bench/peak_memory.h"
#include "engine/engine.h"

namespace glassbook::app {

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }
// The engine thread's CPU time: on a machine shared with other work the wall clock measures the
// neighbours too (a load of 11 on 2 cores made wall times 5 to 10 times the CPU time).
double cpu_ms() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID) * 1000; }

constexpr AssetId kBtc = 0, kUsdc = 2;
constexpr int64_t kTickUnits = 100'000;   // BTC_USDC's tick in USDC units (demo configuration)
constexpr int64_t kLotUnits = 1'000;      // its lot in sats
constexpr int64_t kMidTicks = 600'000;    // 60,000 USDC

// Keys need no signatures here (the engine never checks one): account i's key is its index.
crypto::PublicKey key_of(uint64_t i) {
  crypto::PublicKey k{};
  for (int b = 0; b < 8; ++b) k[b] = static_cast<uint8_t>(i >> (8 * b));
  k[31] = 0x5b;
  return k;
}

class Driver {
 public:
  Driver(engine::Engine& e, uint64_t seed) : e_(e), rng_(seed) {}

  void apply(const crypto::PublicKey& signer, engine::CommandBody body) {
    engine::Command c;
    c.seq = ++seq_;
    c.timestamp = 1'767'225'600'000'000 + static_cast<Timestamp>(seq_);
    c.signer = signer;
    c.body = std::move(body);
    AccountId owner = 0;
    for (const auto& ev : e_.apply(c)) {
      if (ev.kind == engine::EventKind::OrderAccepted) owner = ev.account;
      if (ev.kind == engine::EventKind::OrderRested) open_.push_back({owner, ev.order_id});
    }
  }
  void deposit(AccountId a, AssetId asset, int64_t amount) { apply(watcher_, engine::Deposit{a, asset, amount, ++deposit_id_}); }
  void set_watcher(const crypto::PublicKey& w) { watcher_ = w; }

  // One record of the batch mix: 60% limit orders within 50 ticks of the mid (a tenth of them
  // crossing), 25% cancels of a resting order, 15% deposits.
  void random_record(uint64_t customers) {
    const uint32_t r = static_cast<uint32_t>(rng_() % 100);
    const AccountId a = kFirstCustomer + static_cast<AccountId>(rng_() % customers);
    if (r < 60 || open_.empty()) {
      engine::PlaceOrder p;
      p.account = a;
      p.market = 0;
      p.side = rng_() % 2 ? book::Side::Buy : book::Side::Sell;
      const int64_t off = 1 + static_cast<int64_t>(rng_() % 50);
      const bool cross = rng_() % 10 == 0;
      const int64_t ticks = p.side == book::Side::Buy ? kMidTicks + (cross ? off : -off) : kMidTicks + (cross ? -off : off);
      p.price = ticks * kTickUnits;
      p.quantity = kLotUnits * (1 + static_cast<int64_t>(rng_() % 10));
      apply(key_of(a - kFirstCustomer), p);
    } else if (r < 85) {
      const size_t i = rng_() % open_.size();
      const auto [owner, id] = open_[i];
      open_[i] = open_.back();
      open_.pop_back();
      apply(key_of(owner - kFirstCustomer), engine::CancelOrder{owner, 0, id, 0});
    } else {
      deposit(a, kUsdc, 1'000'000 * (1 + static_cast<int64_t>(rng_() % 100)));
    }
  }

 private:
  engine::Engine& e_;
  std::mt19937_64 rng_;
  crypto::PublicKey watcher_{};
  SeqNo seq_ = 0;
  uint64_t deposit_id_ = 0;
  std::vector<std::pair<AccountId, OrderId>> open_;
};

}  // namespace

int run_state_root_bench(std::ostream& out, uint64_t accounts, uint64_t seed, int batches, bool with_v1) {
  crypto::PublicKey watcher = key_of(UINT64_MAX);
  engine::Engine e(engine::demo_config(watcher));
  Driver d(e, seed);
  d.set_watcher(watcher);
  const double rss_before = current_rss_mib();
  const auto tb = Clock::now();
  for (uint64_t i = 0; i < accounts; ++i) {
    d.apply(key_of(i), engine::RegisterAccount{key_of(i)});
    const AccountId a = kFirstCustomer + static_cast<AccountId>(i);
    d.deposit(a, kUsdc, 100'000 * int64_t{1'000'000});
    d.deposit(a, kBtc, 100'000'000);
    if ((i + 1) % 1'000'000 == 0) out << fmt::format("  {} accounts registered and funded...\n", i + 1) << std::flush;
  }
  for (int i = 0; i < 100'000; ++i) d.random_record(accounts);  // a book of resting orders
  out << fmt::format("  {} accounts registered, funded in two assets, {} resting orders, in {:.1f} s; memory {:.0f} MiB (engine {:.0f} MiB)\n",
                     accounts, e.book(0).order_count(), ms_since(tb) / 1000, current_rss_mib(), current_rss_mib() - rss_before);

  double c = cpu_ms();
  auto t = Clock::now();
  crypto::Digest root = e.state_root();
  const double first = cpu_ms() - c, first_wall = ms_since(t);
  std::vector<double> times, walls;
  for (int b = 0; b < batches; ++b) {
    for (int i = 0; i < 1'000; ++i) d.random_record(accounts);
    c = cpu_ms();
    t = Clock::now();
    root = e.state_root();
    times.push_back(cpu_ms() - c);
    walls.push_back(ms_since(t));
  }
  std::sort(times.begin(), times.end());
  std::sort(walls.begin(), walls.end());
  const double median = times[times.size() / 2];
  c = cpu_ms();
  const crypto::Digest scratch = e.state_root_from_scratch();
  const double rebuild = cpu_ms() - c;
  out << fmt::format("  state root after a batch of 1,000 records (CPU time): median {:.2f} ms, max {:.2f} ms over {} batches (wall: median {:.2f} ms); "
                     "first root (every bucket) {:.0f} ms (wall {:.0f} ms), one from scratch {:.0f} ms\n",
                     median, times.back(), batches, walls[walls.size() / 2], first, first_wall, rebuild);
  if (with_v1) {
    c = cpu_ms();
    const crypto::Digest full = e.state_root_v1();
    out << fmt::format("  format 1 (the whole state rehashed) over the same state: {:.0f} ms CPU ({})\n", cpu_ms() - c, crypto::to_hex(full).substr(0, 8));
  }
  out << fmt::format("state root: {:.2f} ms at {} accounts (CPU time; memory {:.0f} MiB, peak {:.0f} MiB)\n", median, accounts, current_rss_mib(), peak_rss_mib());
  if (scratch != root) {
    out << "state root: the cached root differs from the one from scratch\n";
    return 1;
  }
  return 0;
}

}  // namespace glassbook::app
