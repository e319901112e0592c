// The reconciliation benchmark: a million accounts, 20 assets, a customer wallet an asset.
#include "app/bench/custody_workload.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "engine/engine.h"

namespace glassbook::app {

namespace {

using Clock = std::chrono::steady_clock;
double us_since(Clock::time_point t) { return std::chrono::duration<double, std::micro>(Clock::now() - t).count(); }

// Customers' keys need no signatures here: the engine applies commands whose signatures the gateway
// checked (a benchmark of the reconciliation, not of Ed25519).
crypto::PublicKey key_of(uint64_t i) {
  crypto::PublicKey k{};
  for (int b = 0; b < 8; ++b) k[b] = static_cast<uint8_t>(i >> (8 * b));
  k[31] = 0xcd;
  return k;
}

class Driver {
 public:
  explicit Driver(engine::Engine& e) : e_(e) {}
  std::span<const engine::Event> apply(const crypto::PublicKey& signer, engine::CommandBody body) {
    engine::Command c;
    c.seq = ++seq_;
    c.timestamp = now();
    c.signer = signer;
    c.body = std::move(body);
    return e_.apply(c);
  }
  std::span<const engine::Event> role(const crypto::PublicKey& signer, engine::CommandBody inner) {
    return apply(signer, engine::timed(now() + 1, std::move(inner)));
  }
  Timestamp now() const { return 1'767'225'600'000'000 + static_cast<Timestamp>(seq_); }

 private:
  engine::Engine& e_;
  SeqNo seq_ = 0;
};

bool refused(std::span<const engine::Event> ev) { return !ev.empty() && ev[0].kind == engine::EventKind::Rejected; }

}  // namespace

int run_custody_bench(std::ostream& out, const CustodyBenchOptions& o) {
  const crypto::PublicKey watcher = key_of(~uint64_t{0});
  const crypto::PublicKey operator_key = key_of(~uint64_t{1});
  const crypto::PublicKey custodian = key_of(~uint64_t{2});
  engine::ExchangeConfig config = engine::demo_config(watcher);
  while (config.assets.size() < o.assets) config.assets.push_back({fmt::format("TOK{:02}", config.assets.size()), 6});
  config.operators = {{operator_key}, 1};
  config.custodians = {{custodian}, 1};
  engine::Engine e(config);
  Driver d(e);
  const size_t assets = config.assets.size();

  const auto setup = Clock::now();
  std::vector<int64_t> deposited(assets, 0);
  for (uint64_t i = 0; i < o.accounts; ++i) {
    const crypto::PublicKey k = key_of(i);
    if (refused(d.apply(k, engine::RegisterAccount{k}))) return out << "bench custody: an account was refused: " << e.last_error() << "\n", 1;
    const AssetId asset = static_cast<AssetId>(i % assets);
    const int64_t amount = 1'000 + static_cast<int64_t>(i % 997);
    if (refused(d.apply(watcher, engine::Deposit{static_cast<AccountId>(kFirstCustomer + i), asset, amount, i + 1})))
      return out << "bench custody: a deposit was refused: " << e.last_error() << "\n", 1;
    deposited[asset] += amount;
    if ((i + 1) % 250'000 == 0) out << fmt::format("bench custody: {} accounts funded\n", i + 1) << std::flush;
  }
  for (size_t a = 0; a < assets; ++a) {
    const std::string address = fmt::format("{:040x}", 0xa000 + a);
    if (refused(d.role(operator_key, engine::RegisterWallet{"sim", static_cast<AssetId>(a), address, engine::WalletKind::CustomerHot, {custodian}, 1})))
      return out << "bench custody: a wallet was refused: " << e.last_error() << "\n", 1;
    if (refused(d.role(watcher, engine::ObserveWalletBalance{"sim", address, 100, deposited[a]})))
      return out << "bench custody: an observation was refused: " << e.last_error() << "\n", 1;
  }
  out << fmt::format("bench custody: setup: {} accounts, {} assets, {} wallets in {:.1f} s\n", o.accounts, assets, assets, us_since(setup) / 1e6);

  // The engine's whole path, as a journaled command.
  double total = 0, longest = 0;
  for (uint32_t i = 0; i < o.reconciliations; ++i) {
    const auto t = Clock::now();
    auto ev = d.role(operator_key, engine::Reconcile{});
    const double us = us_since(t);
    total += us;
    longest = std::max(longest, us);
    if (refused(ev)) return out << "bench custody: a reconciliation was refused: " << e.last_error() << "\n", 1;
    for (const engine::Event& x : ev)
      if (x.kind != engine::EventKind::Reconciled || x.quantity != 0)
        return out << "bench custody: asset " << x.asset << " did not reconcile\n", 1;
    if (ev.size() != assets) return out << "bench custody: " << ev.size() << " assets reconciled of " << assets << "\n", 1;
  }
  out << fmt::format("bench custody: Reconcile command ({} assets, {} wallets, {} accounts): mean {:.1f} µs, longest {:.1f} µs over {}\n", assets,
                     assets, o.accounts, total / o.reconciliations, longest, o.reconciliations);
  // The figures alone (what GET /api/v1/glassbook/reconciliation reads).
  const auto figures = Clock::now();
  size_t n = 0;
  for (uint32_t i = 0; i < o.reconciliations; ++i) n += e.reconciliation().size();
  out << fmt::format("bench custody: reconciliation figures alone: mean {:.1f} µs\n", us_since(figures) / o.reconciliations);
  // What a reconciliation would cost without the running totals: one recount of every customer cell.
  const auto recount = Clock::now();
  int64_t sum = 0;
  for (size_t a = 0; a < assets; ++a) sum += e.ledger().customer_total(static_cast<AssetId>(a));
  out << fmt::format("bench custody: a full recount of the customer totals instead: {:.1f} µs\n", us_since(recount));
  return n == size_t{o.reconciliations} * assets && sum > 0 ? 0 : 1;
}

}  // namespace glassbook::app
