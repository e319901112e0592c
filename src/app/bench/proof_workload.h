// `glassbook bench proof`: the liabilities tree's build time on both cores, and one proof's size,
// generation and verification time (docs/proofs.md, docs/bench.md).
#pragma once
#include <cstdint>
#include <ostream>
#include <vector>

namespace glassbook::app {

struct ProofBenchOptions {
  std::vector<uint64_t> accounts{1u << 20, 1'000'000};  // one run per size
  unsigned assets = 10;
  unsigned threads = 2;
  unsigned proofs = 1000;  // proofs generated and verified per size
  uint64_t seed = 1;
};

// Per size: a random liability table (values uniform below 2^50, a fifth zero: the table itself is
// not timed), the tree built and signed (timed), then `proofs` random accounts' proofs generated,
// written as JSON, parsed and verified (each timed, the mean printed). Prints
// `proof: build N ms at A accounts x K assets`. Returns 0 when every proof verified.
int run_proof_bench(std::ostream& out, const ProofBenchOptions& o);

}  // namespace glassbook::app
