// Simulated clients of the storage simulator: traders and a chain watcher whose keys and commands
// come from the seed and from the state their acknowledged commands built, nothing else.
#pragma once
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "crypto/ed25519.h"
#include "engine/command.h"
#include "engine/engine.h"
#include "engine/event.h"
#include "sim/sim_rng.h"

namespace glassbook::sim {

class SimClients {
 public:
  SimClients(uint64_t seed, int traders);

  const crypto::KeyPair& watcher() const { return watcher_; }
  // The next command, signed by its client. Unregistered traders register, then the watcher funds
  // them, then they trade on BTC_USDC (limit and market orders, cancels, amends, and some commands
  // the engine refuses). `model` holds exactly the commands acknowledged so far.
  engine::SignedCommand next(SimRng& rng, const engine::Engine& model);
  // What an acknowledged command produced (open orders to cancel and amend later).
  void acknowledged(std::span<const engine::Event> events);

 private:
  std::vector<crypto::KeyPair> traders_;
  crypto::KeyPair watcher_;
  std::vector<std::pair<AccountId, OrderId>> open_orders_;  // the most recent, bounded
  uint64_t deposit_id_ = 0;
};

}  // namespace glassbook::sim
