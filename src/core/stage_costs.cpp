// The process-wide stage counters: one cache line per stage, so that threads adding to different
// stages never share one.
#include "core/stage_costs.h"

#include <time.h>

namespace glassbook {

namespace {

struct alignas(64) Counter {
  std::atomic<uint64_t> nanos{0};
  std::atomic<uint64_t> runs{0};
};

std::array<Counter, kStageCount> g_counters;
std::atomic<bool> g_enabled{false};

uint64_t read_clock(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

std::string_view stage_name(Stage stage) {
  switch (stage) {
    case Stage::Parse: return "parse";
    case Stage::Verify: return "verify";
    case Stage::Checks: return "checks";
    case Stage::Handoff: return "sequencer hand-off";
    case Stage::EngineApply: return "engine apply";
    case Stage::JournalEncode: return "journal encode";
    case Stage::Fsync: return "fsync";
    case Stage::MerkleLog: return "merkle log";
    case Stage::ViewApply: return "view apply";
    case Stage::WsFanout: return "ws fan-out";
    case Stage::Render: return "response render";
    case Stage::kCount: break;
  }
  return "?";
}

void StageCosts::add(Stage stage, uint64_t nanos) {
  Counter& c = g_counters[static_cast<size_t>(stage)];
  c.nanos.fetch_add(nanos, std::memory_order_relaxed);
  c.runs.fetch_add(1, std::memory_order_relaxed);
}

StageTotals StageCosts::read() {
  StageTotals t;
  for (size_t i = 0; i < kStageCount; ++i) {
    t.nanos[i] = g_counters[i].nanos.load(std::memory_order_relaxed);
    t.runs[i] = g_counters[i].runs.load(std::memory_order_relaxed);
  }
  return t;
}

void StageCosts::enable(bool on) { g_enabled.store(on, std::memory_order_relaxed); }
bool StageCosts::enabled() { return g_enabled.load(std::memory_order_relaxed); }

uint64_t thread_cpu_nanos() { return read_clock(CLOCK_THREAD_CPUTIME_ID); }

}  // namespace glassbook
