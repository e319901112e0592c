// Workload 3's prices: a fair price per base asset that walks a seeded step each simulated second,
// and each oracle source's quotes of it (every base asset, and USDT's redemption rate) with the
// source's own small bias and noise.
#pragma once
#include <cstdint>
#include <random>
#include <vector>

#include "engine/command.h"

namespace glassbook::app {

class MarketsOracle {
 public:
  static constexpr int kSources = 5;

  MarketsOracle(std::vector<int64_t> start_prices, AssetId usdt, uint64_t seed);

  // Every fair price moves by -10 to +10 ppm (one simulated second).
  void step();
  // The fair price of a base asset, in USDC units per whole unit (USDT trades at par with it).
  int64_t fair(uint32_t base) const { return fair_[base]; }
  // Source `source`'s update: each fair price and USDT's 1:1 rate, off by its bias (-3 to +3 ppm)
  // and a noise of -2 to +2 ppm.
  engine::OracleUpdate quotes(int source);

 private:
  std::vector<int64_t> start_;
  std::vector<int64_t> fair_;
  AssetId usdt_;
  std::mt19937_64 rng_;
};

}  // namespace glassbook::app
