// Process-wide time per stage of the order path (gateway to answer), for `glassbook bench api`'s breakdown.
#pragma once
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace glassbook {

// The stages of a signed order, in the order an order passes them.
enum class Stage : uint8_t {
  Parse,          // I/O thread: headers, JSON parameters, the signing text rebuilt
  Verify,         // I/O thread: the Ed25519 check
  Checks,         // I/O thread: replay guard, already-sequenced, rate limit, the engine's pre-check
  Handoff,        // I/O thread: Sequencer::submit (submission check, queue, wake-up)
  EngineApply,    // engine thread: seq, time, Engine::apply, the in-flight slot
  JournalEncode,  // journal thread: encode, chain hash, buffer
  Fsync,          // journal thread: write + fdatasync (CPU of the calling thread, not the wait)
  MerkleLog,      // journal thread: the Merkle log, checkpoints (the node's after_sync)
  ViewApply,      // journal thread: the view's shadow engine and histories, stream frames rendered
  WsFanout,       // journal thread: the frames handed to subscribers
  Render,         // journal thread: the client's JSON answer and its hand-off to the I/O thread
  kCount,
};

constexpr size_t kStageCount = static_cast<size_t>(Stage::kCount);

std::string_view stage_name(Stage stage);

// Totals since the process started: nanoseconds spent in each stage (summed over threads) and how many
// times it ran.
struct StageTotals {
  std::array<uint64_t, kStageCount> nanos{};
  std::array<uint64_t, kStageCount> runs{};
};

// Always compiled, switched on at run time (`glassbook bench api` does): switched off, a stage costs
// one relaxed load. Switched on, each stage boundary reads the thread's CPU clock, a system call on
// the development VM (637 ns, against 23 ns for the monotonic clock through the vDSO); the monotonic
// clock was tried first and counted preemption as work (verify 74.8 us against 53 us for one check
// measured alone, the stages summing to 195 us of a 142 us CPU budget), so CPU time it is.
class StageCosts {
 public:
  static void add(Stage stage, uint64_t nanos);
  static StageTotals read();
  static void enable(bool on);
  static bool enabled();
};

// The calling thread's CPU nanoseconds (a system call).
uint64_t thread_cpu_nanos();

// Charges the calling thread's CPU time to one stage after another: each boundary reads the clock
// once. Does nothing when StageCosts are switched off at construction.
class StageClock {
 public:
  explicit StageClock(Stage first) : on_(StageCosts::enabled()), stage_(first), start_(on_ ? thread_cpu_nanos() : 0) {}
  ~StageClock() { stop(); }
  StageClock(const StageClock&) = delete;
  StageClock& operator=(const StageClock&) = delete;

  // Ends the current stage (if any) and starts `stage`.
  void next(Stage stage) {
    if (!on_) return;
    const uint64_t now = thread_cpu_nanos();
    if (running_) StageCosts::add(stage_, now - start_);
    stage_ = stage;
    start_ = now;
    running_ = true;
  }
  // Ends the current stage; idempotent.
  void stop() {
    if (!on_ || !running_) return;
    StageCosts::add(stage_, thread_cpu_nanos() - start_);
    running_ = false;
  }

 private:
  bool on_;
  bool running_ = true;
  Stage stage_;
  uint64_t start_;
};

}  // namespace glassbook
