// Micro-benchmarks of the C++ order book: add + cancel at the touch, a crossing
// order, cancel deep in a large level, and a sweep across sparse levels.
#include <benchmark/benchmark.h>

#include <vector>

#include "book/order_book.h"

namespace {
using namespace glassbook::book;

BookConfig bench_config() {
  BookConfig c;
  c.max_price_ticks = 1 << 20;
  c.max_orders = 1 << 20;
  return c;
}

// Both sides with `per_side` orders over 100 levels around 10000.
void fill(OrderBook& b, int per_side, OrderId& id, std::vector<Event>& out) {
  for (int i = 0; i < per_side; ++i) {
    b.add(NewOrder{id++, static_cast<AccountId>(i % 50), Side::Buy, 9999 - i % 100, 10, TimeInForce::GTC,
                   Stp::CancelNewest},
          out);
    b.add(NewOrder{id++, static_cast<AccountId>(i % 50), Side::Sell, 10001 + i % 100, 10, TimeInForce::GTC,
                   Stp::CancelNewest},
          out);
    out.clear();
  }
}

void BM_AddCancelAtTouch(benchmark::State& state) {
  OrderBook b(bench_config());
  std::vector<Event> out;
  out.reserve(64);
  OrderId id = 1;
  fill(b, static_cast<int>(state.range(0)), id, out);
  for (auto _ : state) {
    b.add(NewOrder{id, 1000, Side::Buy, 10000, 5, TimeInForce::GTC, Stp::CancelNewest}, out);
    b.cancel(id, out);
    ++id;
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_AddCancelAtTouch)->Arg(100)->Arg(10000);

void BM_CrossOneLevel(benchmark::State& state) {
  OrderBook b(bench_config());
  std::vector<Event> out;
  out.reserve(64);
  OrderId id = 1;
  fill(b, 1000, id, out);
  for (auto _ : state) {
    // A maker rests at the touch and a taker takes it: one trade per pair.
    b.add(NewOrder{id++, 1, Side::Sell, 10000, 5, TimeInForce::GTC, Stp::CancelNewest}, out);
    b.add(NewOrder{id++, 2, Side::Buy, 10000, 5, TimeInForce::IOC, Stp::CancelNewest}, out);
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_CrossOneLevel);

void BM_CancelDeepInLevel(benchmark::State& state) {
  // One level with `n` orders; cancel and re-add orders in its middle: O(1)
  // whatever the level's length.
  const int n = static_cast<int>(state.range(0));
  OrderBook b(bench_config());
  std::vector<Event> out;
  out.reserve(64);
  for (int i = 1; i <= n; ++i) {
    b.add(NewOrder{static_cast<OrderId>(i), 1, Side::Buy, 5000, 1, TimeInForce::GTC, Stp::CancelNewest}, out);
    out.clear();
  }
  OrderId next = static_cast<OrderId>(n) + 1;
  OrderId victim = static_cast<OrderId>(n / 2);
  for (auto _ : state) {
    b.cancel(victim, out);
    b.add(NewOrder{next, 1, Side::Buy, 5000, 1, TimeInForce::GTC, Stp::CancelNewest}, out);
    victim = victim + 1 == next ? static_cast<OrderId>(n / 2) : victim + 1;
    ++next;
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_CancelDeepInLevel)->Arg(1000)->Arg(100000);

void BM_SweepSparseLevels(benchmark::State& state) {
  // Asks 10,000 ticks apart; a buy takes the best one, which is put back
  // after: each iteration finds the next best across a wide gap.
  OrderBook b(bench_config());
  std::vector<Event> out;
  out.reserve(64);
  OrderId id = 1;
  for (int i = 0; i < 100; ++i) {
    b.add(NewOrder{id++, 1, Side::Sell, 10000 + 10000 * i, 1, TimeInForce::GTC, Stp::CancelNewest}, out);
  }
  out.clear();
  for (auto _ : state) {
    b.add(NewOrder{id++, 2, Side::Buy, 10000, 1, TimeInForce::IOC, Stp::CancelNewest}, out);
    b.add(NewOrder{id++, 1, Side::Sell, 10000, 1, TimeInForce::GTC, Stp::CancelNewest}, out);
    out.clear();
  }
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_SweepSparseLevels);

}  // namespace
