// Simulated demo traders: a thread submitting signed limit orders and cancels around a drifting price.
#pragma once
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#include "app/demo_accounts.h"

namespace glassbook::app {

// The traders are ordinary clients: their own funded accounts, every command signed by its key and
// submitted like any other (the randomness is theirs, outside the engine; the engine only sees
// the signed commands). Stops on stop() or destruction.
class DemoTraders {
 public:
  DemoTraders(journal::Node& node, const api::ExchangeView& view, const DemoKeys& keys, uint32_t traders, double orders_per_second);
  ~DemoTraders();
  DemoTraders(const DemoTraders&) = delete;
  DemoTraders& operator=(const DemoTraders&) = delete;
  void stop();

 private:
  void run(double orders_per_second);

  journal::Node& node_;
  std::vector<DemoAccount> accounts_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace glassbook::app
