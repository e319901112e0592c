// The genesis file: the exchange's configuration as strict, human-readable TOML (docs/genesis.md).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"
#include "engine/config.h"

namespace glassbook::engine {

inline constexpr size_t kMaxGenesisBytes = size_t{1} << 20;  // 1 MiB
inline constexpr int64_t kGenesisVersion = 1;

// Parses and validates a genesis file. Refused, in this order: a text over kMaxGenesisBytes or
// empty; TOML syntax errors (with line and column); any key naming an account exemption, anywhere
// ("genesis refused: `<path>` would exempt an account..."); unknown keys, wrong types, missing
// required keys, out-of-range values and inexact amounts (each naming its path, e.g.
// `markets[2].perp.tiers[0].max_notional`); then whatever validate_config refuses (its error).
Result<ExchangeConfig> parse_genesis_toml(std::string_view text);

// The configuration as a genesis file: parse_genesis_toml(genesis_to_toml(c)) == c for every
// configuration validate_config accepts.
std::string genesis_to_toml(const ExchangeConfig& config);

}  // namespace glassbook::engine
