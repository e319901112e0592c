// Applies a benchmark's timed commands to an engine: counts events by kind, refusals by error and
// commands that traded, and times the applies it is asked to sample (the workloads sample one in 16).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace glassbook::app {

class ApplyTimer {
 public:
  explicit ApplyTimer(size_t expected_samples) { samples_.reserve(expected_samples); }

  // Applies `c` to `engine`; when `sample`, times this apply alone. Returns its events.
  std::span<const engine::Event> apply(engine::Engine& engine, const engine::Command& c, bool sample);

  uint64_t commands() const { return commands_; }
  uint64_t trading() const { return trading_; }  // commands with at least one trade
  uint64_t events(engine::EventKind kind) const { return events_[static_cast<size_t>(kind)]; }
  uint64_t trades() const { return events(engine::EventKind::Trade); }
  uint64_t refused() const { return events(engine::EventKind::Rejected); }
  const std::map<Error, uint64_t>& refused_by_error() const { return refused_by_error_; }

  // "p50 N ns, p99 N ns, p99.9 N ns, max N ns" over the sampled applies.
  std::string latency_summary();

 private:
  static constexpr size_t kKinds = 32;
  uint64_t commands_ = 0;
  uint64_t trading_ = 0;
  std::array<uint64_t, kKinds> events_{};
  std::map<Error, uint64_t> refused_by_error_;
  std::vector<uint32_t> samples_;  // ns
};

}  // namespace glassbook::app
