// Simulated demo traders: a thread submitting signed spot and perpetual orders and cancels around drifting prices.
#pragma once
#include <atomic>
#include <cstdint>
#include <optional>
#include <thread>
#include <vector>

#include "app/demo_accounts.h"
#include "app/demo_perp_flow.h"

namespace glassbook::app {

// The traders are ordinary clients: their own funded accounts, every command signed by its key and
// submitted like any other (the randomness is theirs, outside the engine; the engine only sees
// the signed commands). Spot traders ("demo/trader/<i>") quote and cross around a random walk of
// their own; with a reference price (the oracle feeder's), as many perpetual traders
// ("demo/perp-trader/<i>", 50,000 USDC each) trade BTC_PERP and SOL_PERP around it
// (demo_perp_flow.h), about half of the orders. Stops on stop() or destruction.
class DemoTraders {
 public:
  DemoTraders(journal::Node& node, const api::ExchangeView& view, const DemoKeys& keys, uint32_t traders, double orders_per_second,
              ReferencePrice reference = {});
  ~DemoTraders();
  DemoTraders(const DemoTraders&) = delete;
  DemoTraders& operator=(const DemoTraders&) = delete;
  void stop();
  // Prints what the perpetual traders did (best after the node has answered everything).
  void print_summary() const;

  // The perpetual traders' counts so far (empty without perpetual traders). Any thread.
  PerpOrderFlow::Stats perp_stats() const;

  static constexpr int64_t kPerpMargin = 50'000 * 1'000'000LL;  // USDC units each perpetual trader deposits

 private:
  void run(double orders_per_second);

  journal::Node& node_;
  std::vector<DemoAccount> accounts_;
  std::optional<PerpOrderFlow> perps_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace glassbook::app
