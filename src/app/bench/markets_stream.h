// Workload 3's commands, generated against a shadow engine that applies each one as it is made (so
// the generator knows the books and never cancels or moves an order that is gone): the setup, then
// the timed stream in chunks.
#pragma once
#include <cstdint>
#include <functional>
#include <random>
#include <vector>

#include "app/bench/markets_exchange.h"
#include "app/bench/markets_oracle.h"
#include "app/bench/markets_workload.h"
#include "app/bench/open_orders.h"
#include "engine/engine.h"

namespace glassbook::app {

// Counts of what the stream holds, by the generator's intent.
struct MarketsMix {
  uint64_t gtc = 0, ioc = 0, cancels = 0, amends = 0, oracle = 0;
  uint64_t total() const { return gtc + ioc + cancels + amends + oracle; }
};

class MarketsStream {
 public:
  using Sink = std::function<void(const engine::Command&)>;

  MarketsStream(const MarketsExchange& exchange, const MarketsWorkloadOptions& options);

  // Registrations, deposits by the chain watcher (and the insurance fund's capital), one oracle
  // round, and the pre-fill of every book; each command goes to `sink` once the shadow has it.
  void setup(const Sink& sink);
  // Appends the next `n` commands of the timed stream (fewer at its end) to `out`.
  void next(std::vector<engine::Command>& out, uint64_t n);
  bool done() const { return emitted_ >= options_.commands; }

  const engine::Engine& shadow() const { return shadow_; }
  const MarketsMix& mix() const { return mix_; }
  uint64_t setup_commands() const { return setup_commands_; }
  uint64_t shadow_refused() const { return refused_; }
  uint64_t resting_orders() const;
  // The time the stream starts and how long it lasts, in simulated µs.
  Timestamp start() const { return start_; }
  int64_t duration_us() const;

  // Account i's synthetic key (commands are unsigned; the signer field names the key).
  static crypto::PublicKey account_key(uint32_t index);
  static std::vector<crypto::PublicKey> oracle_keys();
  static crypto::PublicKey watcher_key();

 private:
  void emit(const crypto::PublicKey& signer, engine::CommandBody body);
  void one_slot();
  void oracle_round();
  void place(MarketId m, AccountId a, book::Side side, book::TimeInForce tif, int64_t ticks, int64_t quantity);
  void place_new(MarketId m, book::Side side, book::TimeInForce tif, int64_t ticks);
  void cancel(MarketId m, const OpenOrder& o);
  void move(MarketId m);
  MarketId pick_market();
  AccountId pick_account(MarketId m);
  int64_t mid_ticks(MarketId m) const;
  int64_t resting_price(MarketId m, book::Side side, int64_t depth);
  int64_t crossing_price(MarketId m, book::Side side);
  void prefill();

  const MarketsExchange& x_;
  MarketsWorkloadOptions options_;
  std::mt19937_64 rng_;
  engine::Engine shadow_;
  MarketsOracle oracle_;
  std::vector<crypto::PublicKey> sources_;
  crypto::PublicKey watcher_{};
  std::vector<OpenOrders> open_;                  // by market
  std::vector<std::vector<uint32_t>> traders_;    // by base asset: the accounts holding it (customer index)
  std::vector<uint64_t> cumulative_weight_;       // by market id
  std::vector<engine::Command>* out_ = nullptr;   // where emit() appends
  SeqNo seq_ = 0;
  Timestamp now_ = 0;
  Timestamp start_ = 0;
  Timestamp next_oracle_ = 0;
  uint64_t emitted_ = 0;  // timed commands so far
  bool streaming_ = false;
  uint64_t setup_commands_ = 0;
  uint64_t refused_ = 0;
  MarketsMix mix_;
};

}  // namespace glassbook::app
