// Simulated demo traders: spot quotes and crosses around a random walk, cancels, and half the orders to the perpetuals.
#include "app/demo_traders.h"

#include <fmt/format.h>

#include <chrono>
#include <random>

#include "engine/command.h"
#include "journal/sequencer_submission.h"

namespace glassbook::app {

DemoTraders::DemoTraders(journal::Node& node, const api::ExchangeView& view, const DemoKeys& keys, uint32_t traders,
                         double orders_per_second, ReferencePrice reference)
    : node_(node) {
  auto accounts = ensure_demo_accounts(node, view, keys, traders, "demo/trader");
  if (!accounts) {
    fmt::print(stderr, "demo traders: {}\n", accounts.status().to_string());
    return;
  }
  accounts_ = std::move(accounts).value();
  if (reference) {
    auto perp = ensure_demo_accounts(node, view, keys, traders, "demo/perp-trader", DemoFunds{0, 0, kPerpMargin});
    if (perp)
      perps_.emplace(std::move(perp).value(), kPerpMargin, std::move(reference), std::random_device{}());
    else
      fmt::print(stderr, "demo traders: perpetual traders: {}\n", perp.status().to_string());
  }
  fmt::print("{} simulated traders{}, about {:.0f} orders/s\n", accounts_.size(),
             perps_ ? fmt::format(" and {} on the perpetuals", accounts_.size()) : std::string(), orders_per_second);
  thread_ = std::thread([this, orders_per_second] { run(orders_per_second); });
}

DemoTraders::~DemoTraders() { stop(); }

void DemoTraders::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void DemoTraders::print_summary() const {
  if (!perps_) return;
  const auto s = perps_->stats();
  std::string refused;
  for (const auto& [code, n] : s.refused) refused += fmt::format(" {} {}", error_name(code), n);
  fmt::print("perpetual traders: {} orders, {} trades, {} accounts with positions; refused:{}\n", s.orders, s.trades,
             s.positions, refused.empty() ? " none" : refused);
}

PerpOrderFlow::Stats DemoTraders::perp_stats() const { return perps_ ? perps_->stats() : PerpOrderFlow::Stats{}; }

void DemoTraders::run(double orders_per_second) {
  struct Market {
    MarketId id;
    int64_t tick, lot, mid;  // mid in ticks
    int max_lots;
  };
  Market markets[] = {{0, 100'000, 1'000, 600'000, 200}, {1, 10'000, 10'000'000, 15'000, 500}};  // BTC 60000, SOL 150
  std::mt19937_64 rng(std::random_device{}());
  const auto gap = std::chrono::duration<double>(1.0 / std::max(0.1, orders_per_second));
  auto next = std::chrono::steady_clock::now();
  uint64_t n = 0;
  while (!stop_) {
    next += std::chrono::duration_cast<std::chrono::steady_clock::duration>(gap);
    std::this_thread::sleep_until(next);
    // Half the orders to the perpetuals, when they can be traded now; the refusals (margin, band,
    // frozen index, pause, overload) are the flow's to observe, never a reason to stop.
    if (perps_ && rng() % 2 == 0) {
      PerpOrderFlow::Order order;
      if (perps_->next(order)) {
        auto sc = engine::sign_command(order.signer->key, 0, 0, std::move(order.body));
        (void)node_.submit(journal::submission_of(sc), perps_->completion(order));
        continue;
      }
    }
    Market& m = markets[rng() % 2];
    const DemoAccount& a = accounts_[rng() % accounts_.size()];
    m.mid = std::max<int64_t>(10, m.mid + static_cast<int64_t>(rng() % 3) - 1);
    engine::CommandBody body;
    if (++n % 25 == 0) {
      body = engine::CancelAll{a.account, m.id};
    } else {
      const bool buy = rng() % 2 == 0;
      // Mostly passive quotes up to 20 ticks away; about one in five crosses by up to 3 ticks.
      const int64_t away = static_cast<int64_t>(rng() % 24) - 3;
      const int64_t ticks = buy ? m.mid - away : m.mid + away;
      engine::PlaceOrder p;
      p.account = a.account;
      p.market = m.id;
      p.side = buy ? book::Side::Buy : book::Side::Sell;
      p.price = std::max<int64_t>(1, ticks) * m.tick;
      p.quantity = static_cast<int64_t>(1 + rng() % static_cast<uint64_t>(m.max_lots)) * m.lot;
      body = p;
    }
    auto sc = engine::sign_command(a.key, 0, 0, std::move(body));
    (void)node_.submit(journal::submission_of(sc), {});  // refusals (funds, overload) are part of the simulation
  }
}

}  // namespace glassbook::app
