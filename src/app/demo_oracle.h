// The demo's oracle feeder: a thread signing each simulated source's prices and submitting them through the node.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "app/demo_accounts.h"
#include "app/demo_price_walk.h"
#include "journal/node.h"

namespace glassbook::app {

struct DemoOracleOptions {
  double interval_seconds = 1.0;  // between rounds (one OracleUpdate per speaking source each)
  uint32_t sources = 5;           // how many of the demo's sources speak (at most keys.oracle_sources)
  uint64_t seed = 1;              // of the price walk: the rounds are the same for the same seed
};

// Every round, each source's update (BTC and SOL, around one random walk, demo_price_walk.h) is
// signed by that source's key and submitted like any client's command: journaled, applied, replayed.
// When more sources speak than the quorum needs, the last one is now and then late, to show the
// staleness rule. Refusals and overloads are logged, never fatal. The constructor submits a first
// round and waits for it, so the index exists when it returns (unless the node refused it). Stops on
// stop() or destruction.
class DemoOracle {
 public:
  DemoOracle(journal::Node& node, const DemoKeys& keys, DemoOracleOptions options);
  ~DemoOracle();
  DemoOracle(const DemoOracle&) = delete;
  DemoOracle& operator=(const DemoOracle&) = delete;
  void stop();

  // The reference price the sources quote around now (USDC units per whole unit; 0 for an asset
  // the feeder does not quote). Any thread.
  int64_t reference(AssetId asset) const;

  struct Counts {
    uint64_t submitted = 0;  // updates handed to the node
    uint64_t applied = 0;    // durable and accepted by the engine
    uint64_t refused = 0;    // refused by the node (overload) or the engine
  };
  Counts counts() const;

 private:
  struct Shared;  // counters the completions update (they may outlive this object)
  // Submits one round; the completions count down `pending` when given.
  void submit_round(const std::shared_ptr<std::atomic<int>>& pending);
  void run();

  journal::Node& node_;
  std::vector<crypto::KeyPair> keys_;
  std::vector<Timestamp> last_signed_;  // by source: the time its last report was signed at
  DemoOracleOptions options_;
  PriceWalk walk_;  // the feeder thread's (the constructor's before it starts)
  std::vector<std::atomic<int64_t>> references_;  // by walk asset
  std::shared_ptr<Shared> shared_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace glassbook::app
