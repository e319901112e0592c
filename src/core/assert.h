// GB_ASSERT: an assertion that stays on in every build (Release, sanitizers, NDEBUG), for
// preconditions and invariants at module boundaries; a failure names the place and stops the process.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace glassbook::detail {

[[noreturn, gnu::cold]] inline void assert_failed(const char* expr, const char* file, int line,
                                                 const char* func) {
  std::fprintf(stderr, "glassbook: assertion failed: %s (%s:%d, %s)\n", expr, file, line, func);
  std::fflush(stderr);
  std::abort();
}

}  // namespace glassbook::detail

#define GB_ASSERT(expr)                                                                    \
  (__builtin_expect(static_cast<bool>(expr), 1)                                            \
       ? static_cast<void>(0)                                                              \
       : ::glassbook::detail::assert_failed(#expr, __FILE__, __LINE__, __PRETTY_FUNCTION__))
