// GB_ASSERT stays on in every build: it fires with NDEBUG defined, names the expression, and
// evaluates its argument exactly once.
#ifndef NDEBUG
#define NDEBUG 1
#endif
#include "core/assert.h"

#include <gtest/gtest.h>

namespace glassbook {
namespace {

TEST(GbAssert, FiresWithNdebugDefinedAndNamesTheExpression) {
  const int limit = 3;
  EXPECT_DEATH(GB_ASSERT(limit > 4), "assertion failed: limit > 4");
}

TEST(GbAssert, PassesSilentlyAndEvaluatesOnce) {
  int calls = 0;
  auto count = [&] { return ++calls; };
  GB_ASSERT(count() == 1);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace glassbook
