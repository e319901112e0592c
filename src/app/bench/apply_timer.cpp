// Counting and sampled timing of a benchmark's applies (apply_timer.h).
#include "app/bench/apply_timer.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

namespace glassbook::app {

std::span<const engine::Event> ApplyTimer::apply(engine::Engine& engine, const engine::Command& c, bool sample) {
  std::span<const engine::Event> ev;
  if (sample) {
    const auto a = std::chrono::steady_clock::now();
    ev = engine.apply(c);
    const auto b = std::chrono::steady_clock::now();
    samples_.push_back(static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count()));
  } else {
    ev = engine.apply(c);
  }
  ++commands_;
  bool traded = false;
  for (const engine::Event& e : ev) {
    const size_t k = static_cast<size_t>(e.kind);
    if (k < kKinds) ++events_[k];
    traded = traded || e.kind == engine::EventKind::Trade;
    if (e.kind == engine::EventKind::Rejected) ++refused_by_error_[e.error];
  }
  trading_ += traded;
  return ev;
}

std::string ApplyTimer::latency_summary() {
  std::sort(samples_.begin(), samples_.end());
  auto pct = [&](double p) {
    return samples_.empty() ? 0u : samples_[std::min(samples_.size() - 1, static_cast<size_t>(p * samples_.size()))];
  };
  return fmt::format("p50 {} ns, p99 {} ns, p99.9 {} ns, max {} ns", pct(0.50), pct(0.99), pct(0.999),
                     samples_.empty() ? 0 : samples_.back());
}

}  // namespace glassbook::app
