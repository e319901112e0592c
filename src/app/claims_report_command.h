// `glassbook claims report`: an estate's report from a journal's state, rebuilt by replay (docs/claims.md).
#pragma once
#include <cstdint>
#include <ostream>
#include <string>

namespace glassbook::app {

// Replays the journal in `dir` (from genesis, every record) and prints the report of estate `estate`.
// 0 on success; 1 with the reason on stderr.
int run_claims_report(std::ostream& out, const std::string& dir, uint16_t estate);

}  // namespace glassbook::app
