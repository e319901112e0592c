// The simulation's own pseudo-random numbers (SplitMix64): every choice a seed decides, identical on
// every machine and run, never drawn from the clock or the OS.
#pragma once
#include <cstdint>

#include "core/assert.h"

namespace glassbook::sim {

class SimRng {
 public:
  explicit SimRng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (the modulo bias is below 2^-40 for the small n used here, and the same on
  // every run, which is all a simulation needs).
  uint64_t below(uint64_t n) {
    GB_ASSERT(n > 0);
    return next() % n;
  }
  // True with probability per_mille / 1000.
  bool chance(uint32_t per_mille) { return below(1000) < per_mille; }

 private:
  uint64_t state_;
};

}  // namespace glassbook::sim
