// `glassbook bench claims`: one distribution round over a million claim holders, paid in chunks
// with trading between them; the whole round's time and the longest chunk's.
#pragma once
#include <cstdint>
#include <ostream>

namespace glassbook::app {

// Builds an engine with one estate and `holders` creditors (each registered, KYC-attested, 1 in 10
// in a barred jurisdiction, with one allowed, linked claim), declares a USDC round and pays it with
// PayDistribution chunks, a crossing pair of BTC_USDC orders between each two chunks. Prints the
// setup time, the round's total (declaration and chunks, engine thread CPU and wall), the number of
// chunks and the longest chunk, and checks the round reconciles (paid + escrowed + remainder =
// funded). Returns 0 when it does.
int run_claims_bench(std::ostream& out, uint64_t holders);

}  // namespace glassbook::app
