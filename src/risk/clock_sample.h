// Sampling on the clock: a value observed at irregular times (each oracle command) counts once for
// every whole second it stood, never once per message, so a chatty source or a burst of commands
// weighs no more than a quiet one over the same time.
#pragma once
#include <cstdint>

#include "core/ids.h"

namespace glassbook::risk {

// The sampling period: one sample per whole second of journaled (sequencer) time.
inline constexpr int64_t kClockSampleUs = 1'000'000;

// The latest observation of a value and when it was made; it stands until the next one.
// Invariant: !present implies value == 0 and at == 0 only before the first observation; after an
// absent observation (`clear`) `at` keeps its time, so the seconds without a value are skipped.
struct ClockSample {
  int64_t value = 0;
  Timestamp at = 0;
  bool present = false;

  // How many whole-second boundaries (multiples of kClockSampleUs) lie in (at, now]: the samples
  // the standing value contributes when the next observation arrives at `now`. 0 when nothing
  // stands or now <= at. Times are sequencer times, >= 0.
  int64_t boundaries_until(Timestamp now) const {
    if (!present || now <= at) return 0;
    return now / kClockSampleUs - at / kClockSampleUs;
  }
  void set(int64_t v, Timestamp now) {
    value = v;
    at = now;
    present = true;
  }
  void clear(Timestamp now) {
    value = 0;
    at = now;
    present = false;
  }

  bool operator==(const ClockSample&) const = default;
};

}  // namespace glassbook::risk
