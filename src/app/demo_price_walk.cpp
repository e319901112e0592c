// The demo oracle's random walk and source quotes (plain arithmetic on a seeded generator: no clock).
#include "app/demo_price_walk.h"

#include "app/demo_perpetuals.h"

#include <algorithm>
#include <cmath>

namespace glassbook::app {

std::vector<WalkedAsset> demo_oracle_assets() {
  constexpr int64_t kUsdc = 1'000'000;
  return {{kDemoBtc, 60'000 * kUsdc, 10'000}, {kDemoSol, 150 * kUsdc, 100}};
}

namespace {

constexpr double kVolatility = 0.0004;        // relative, per square-root second
constexpr double kPullPerSecond = 1.0 / 3600; // share of the distance to the start recovered per second
constexpr double kSourceBias = 0.0003;        // each source's fixed bias: within +-3 bp
constexpr double kSourceNoise = 0.0005;       // each quote's fresh noise: within +-5 bp
constexpr double kLateEverySeconds = 90;      // a late spell starts about this often
constexpr double kLateMinSeconds = 12, kLateMaxSeconds = 20;

}  // namespace

PriceWalk::PriceWalk(std::vector<WalkedAsset> assets, int sources, double interval_seconds, bool late_source, uint64_t seed)
    : assets_(std::move(assets)), sources_(std::max(0, sources)), interval_(std::max(1e-3, interval_seconds)),
      late_(late_source && sources_ >= 2), rng_(seed) {
  for (const auto& a : assets_) reference_.push_back(static_cast<double>(a.start));
  for (int s = 0; s < sources_; ++s) bias_.push_back(kSourceBias * uniform());
}

double PriceWalk::uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-52 - 1.0; }

int64_t PriceWalk::reference(size_t i) const { return std::llround(reference_[i]); }

std::vector<std::pair<int, engine::OracleUpdate>> PriceWalk::next_round() {
  // Uniform noise scaled to unit variance (its standard deviation is 1/sqrt(3) before scaling).
  const double step = kVolatility * std::sqrt(interval_) * std::sqrt(3.0);
  for (size_t i = 0; i < assets_.size(); ++i) {
    double& r = reference_[i];
    const double start = static_cast<double>(assets_[i].start);
    r *= 1.0 + step * uniform();
    r -= std::min(1.0, kPullPerSecond * interval_) * (r - start);
    r = std::max(r, static_cast<double>(assets_[i].step));
  }
  if (late_) {
    if (silent_ > 0) {
      --silent_;
    } else if ((uniform() + 1) / 2 < interval_ / kLateEverySeconds) {
      const double seconds = kLateMinSeconds + (kLateMaxSeconds - kLateMinSeconds) * (uniform() + 1) / 2;
      silent_ = static_cast<uint32_t>(std::ceil(seconds / interval_));
    }
  }
  std::vector<std::pair<int, engine::OracleUpdate>> out;
  for (int s = 0; s < sources_; ++s) {
    engine::OracleUpdate u;
    for (size_t i = 0; i < assets_.size(); ++i) {
      const double quoted = reference_[i] * (1.0 + bias_[s] + kSourceNoise * uniform());
      const int64_t unit = assets_[i].step;
      u.quotes.push_back({assets_[i].asset, std::max<int64_t>(unit, std::llround(quoted / unit) * unit)});
    }
    // The noise is drawn for a silent source too, so the other sources' quotes do not depend on it.
    if (s == late_source() && silent_ > 0) continue;
    out.emplace_back(s, std::move(u));
  }
  return out;
}

}  // namespace glassbook::app
