// `glassbook genesis check FILE` and `glassbook genesis demo`: the genesis file (TOML) on the command line.
#pragma once
#include <string>

#include "core/result.h"
#include "engine/config.h"

namespace glassbook::app {

// Reads and validates a genesis file (at most 1 MiB): the refusal says why, without the path.
Result<engine::ExchangeConfig> read_genesis_file(const std::string& path);

// Reads and validates a genesis file (at most 1 MiB); prints its configuration hash and a summary
// (assets, markets, roles, groups). 0 when valid; 1 with the refusal on stderr otherwise.
int run_genesis_check(const std::string& path);

// Prints the demo exchange's configuration (what `serve --demo` starts from) as a genesis file.
int run_genesis_demo();

}  // namespace glassbook::app
