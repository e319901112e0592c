// The check every refusal test makes: the command is refused with its code, a message naming the
// rule, and the state root does not move.
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "exchange_fixture.h"

namespace glassbook::engine::testing {

inline void expect_refused_unchanged(Exchange& ex, const std::function<std::vector<Event>()>& command, Error code, const std::string& words) {
  const crypto::Digest before = ex.engine().state_root();
  const auto ev = command();
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, EventKind::Rejected);
  EXPECT_EQ(ev[0].error, code) << ev[0].message;
  EXPECT_NE(ev[0].message.find(words), std::string::npos) << ev[0].message;
  EXPECT_EQ(ex.engine().state_root(), before) << "a refused command changed the state";
}

}  // namespace glassbook::engine::testing
