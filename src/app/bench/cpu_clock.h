// CPU time of this process or this thread, in seconds, for the benchmarks' CPU-per-request figures.
#pragma once
#include <time.h>

namespace glassbook::app {

// CLOCK_PROCESS_CPUTIME_ID (every thread of the process) or CLOCK_THREAD_CPUTIME_ID (the caller).
inline double cpu_seconds(clockid_t clock) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

}  // namespace glassbook::app
