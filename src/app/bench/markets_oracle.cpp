// Workload 3's fair prices and oracle quotes (markets_oracle.h).
#include "app/bench/markets_oracle.h"

#include <algorithm>

namespace glassbook::app {

namespace {

constexpr int64_t kRateOne = 1'000'000'000;  // a redemption rate of 1:1 (1e-9 units)
constexpr int64_t kBiasPpm[MarketsOracle::kSources] = {-3, -1, 0, 1, 3};

int64_t moved(int64_t value, int64_t ppm) { return static_cast<int64_t>(static_cast<__int128>(value) * (1'000'000 + ppm) / 1'000'000); }

}  // namespace

MarketsOracle::MarketsOracle(std::vector<int64_t> start_prices, AssetId usdt, uint64_t seed)
    : start_(start_prices), fair_(std::move(start_prices)), usdt_(usdt), rng_(seed ^ 0x6f7261636c65ull) {}

void MarketsOracle::step() {
  for (size_t b = 0; b < fair_.size(); ++b) {
    const int64_t ppm = static_cast<int64_t>(rng_() % 21) - 10;
    // Kept within a factor of two of the start, far inside every market's price range.
    fair_[b] = std::clamp(moved(fair_[b], ppm), start_[b] / 2, start_[b] * 2);
  }
}

engine::OracleUpdate MarketsOracle::quotes(int source) {
  engine::OracleUpdate u;
  u.quotes.reserve(fair_.size() + 1);
  auto off = [&] { return kBiasPpm[source] + static_cast<int64_t>(rng_() % 5) - 2; };
  for (size_t b = 0; b < fair_.size(); ++b) u.quotes.push_back({static_cast<AssetId>(b), moved(fair_[b], off())});
  u.quotes.push_back({usdt_, moved(kRateOne, off())});
  return u;
}

}  // namespace glassbook::app
