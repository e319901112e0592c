// The simulated chain's state file: written whole and atomically (temp file, fsync, rename), read back
// with every check of SimChain::decode.
#pragma once
#include <string>

#include "core/result.h"
#include "custody/sim_chain.h"

namespace glassbook::custody {

Status save_sim_chain(const SimChain& chain, const std::string& path);
// Error::Io when the file cannot be read, Corruption when it holds no valid state.
Result<SimChain> load_sim_chain(const std::string& path);

}  // namespace glassbook::custody
