// The demo oracle's prices: a seeded random walk per asset and each source's noisy quote around it.
#pragma once
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "engine/command.h"

namespace glassbook::app {

struct WalkedAsset {
  AssetId asset = 0;
  int64_t start = 0;  // reference price at the start (margin-asset units per whole unit), > 0
  int64_t step = 1;   // quotes are multiples of this, > 0
};

// Deterministic for a seed: the same rounds for the same assets, sources, interval and seed. Each
// round the reference moves by a small random step (about 4 bp per square-root second) with a slow
// pull back toward its start, and every source quotes it with its own fixed bias and fresh noise
// (a few basis points each). With `late_source`, the last source now and then goes silent for 12
// to 20 seconds of rounds: long enough for its last price to go stale (the demo's limit is 10 s).
// What the demo's oracle sources quote: BTC around 60,000 USDC in cents, SOL around 150 USDC to 0.0001.
std::vector<WalkedAsset> demo_oracle_assets();

class PriceWalk {
 public:
  PriceWalk(std::vector<WalkedAsset> assets, int sources, double interval_seconds, bool late_source, uint64_t seed);

  // One round: (source index, its update quoting every asset) for each source that speaks.
  std::vector<std::pair<int, engine::OracleUpdate>> next_round();

  // The current reference of assets()[i] (what the sources quote around).
  int64_t reference(size_t i) const;
  const std::vector<WalkedAsset>& assets() const { return assets_; }
  int sources() const { return sources_; }
  // The source that is sometimes late (-1: none), and the rounds it still stays silent.
  int late_source() const { return late_ ? sources_ - 1 : -1; }
  uint32_t silent_rounds() const { return silent_; }

 private:
  double uniform();  // in [-1, 1)

  std::vector<WalkedAsset> assets_;
  std::vector<double> reference_;
  std::vector<double> bias_;  // per source, relative
  int sources_;
  double interval_;
  bool late_;
  uint32_t silent_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace glassbook::app
