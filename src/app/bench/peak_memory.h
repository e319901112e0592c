// The process's peak resident memory, for benchmark reports.
#pragma once
#include <sys/resource.h>

namespace glassbook::app {

inline double peak_rss_mib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}

}  // namespace glassbook::app
