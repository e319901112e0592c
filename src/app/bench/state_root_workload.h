// `glassbook bench journal`'s state root figures: one root after a batch of 1,000 records at 1,000,000 and 10,000,000 accounts.
#pragma once
#include <cstdint>
#include <ostream>

namespace glassbook::app {

// Builds an engine of `accounts` funded customers (demo configuration: three assets) with resting
// orders, then times: the first root (a full pass over every bucket), one root after each of
// `batches` batches of 1,000 records (orders near the touch, some crossing, cancels and deposits
// by accounts drawn uniformly: the fewest shared buckets), and, when `with_v1`, format 1's full
// rehash over the same state. Prints `state root: N ms at A accounts` (the median batch root),
// the other figures and the memory used. Returns 0 when the cached root equals the one from scratch.
int run_state_root_bench(std::ostream& out, uint64_t accounts, uint64_t seed, int batches, bool with_v1);

}  // namespace glassbook::app
