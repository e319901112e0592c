// A flash-crash population: many leveraged accounts on one BTC perpetual, market makers' bids, a
// capitalized insurance fund, and an oracle path that falls by a given shock in steps.
#pragma once
#include <cstdint>
#include <functional>

#include "engine/command.h"
#include "engine/config.h"

namespace glassbook::sim {

struct CrashOptions {
  uint32_t accounts = 100'000;   // leveraged accounts (half long, half short), besides the makers
  uint64_t seed = 7;             // sizes and leverage
  int32_t shock_ppm = -300'000;  // the move of the oracle index over the whole path
  int steps = 10;                // the path reaches the shock in this many equal steps
  int64_t step_us = 100'000;     // time between steps: the whole path within one second
};

// The exchange and its commands. Commands are unsigned (the signer field names the key): the
// engine trusts verified commands, and signing millions of them would measure the signature, not
// the engine. Every account's key is synthetic and unique; oracle sources and the chain watcher
// are real keys derived from labels.
class CrashScenario {
 public:
  using Sink = std::function<void(const engine::Command&)>;
  static constexpr MarketId kPerp = 0;
  static constexpr AssetId kBtc = 0, kUsdc = 1;
  static constexpr int64_t kPrice = 60'000'000'000;  // 60,000 USDC per BTC, in USDC units
  static constexpr int kSources = 5;
  static constexpr int kMakers = 8;

  explicit CrashScenario(CrashOptions options);

  const engine::ExchangeConfig& config() const { return config_; }
  const CrashOptions& options() const { return options_; }
  // Oracle prices, the fund's capital, the makers and their bids, then every account: registration,
  // deposit and the trade that opens its position against its partner (even: long, odd: short).
  void setup(const Sink& sink);
  // One oracle round at the starting price: the engine judges every account once and indexes its
  // safe bounds, as the oracle's steady ticking keeps it on a live exchange before any crash.
  void steady(const Sink& sink);
  // The oracle path: every source quotes each step's price, steps `step_us` apart.
  void crash(const Sink& sink);
  // The index price after `step` of the path's steps.
  int64_t price_at_step(int step) const;

 private:
  void emit(const Sink& sink, const crypto::PublicKey& signer, engine::CommandBody body, int64_t after_us = 1);
  // One source's signed-time report of BTC at `price`, signed at the time it is sequenced.
  void report(const Sink& sink, int source, int64_t price, int64_t after_us = 1);

  CrashOptions options_;
  engine::ExchangeConfig config_;
  std::vector<crypto::PublicKey> sources_;
  crypto::PublicKey watcher_{};
  SeqNo seq_ = 0;
  Timestamp now_ = 1'700'000'000'000'000;
  uint64_t deposit_id_ = 0;
};

}  // namespace glassbook::sim
