// Canonical bytes of the exchange configuration: what genesis holds, what a configuration change
// proposes, and what the state root and snapshots hash. decode_config is encode_config's inverse.
#pragma once
#include <string>
#include <string_view>

#include "core/result.h"
#include "engine/config.h"

namespace glassbook::engine {

// Bounds that keep a decoded configuration small (it travels inside one journal record).
inline constexpr size_t kMaxConfigAssets = 1000;
inline constexpr size_t kMaxConfigMarkets = 1000;
inline constexpr size_t kMaxSymbolBytes = 32;
inline constexpr size_t kMaxRoleKeys = 64;
inline constexpr size_t kMaxGroups = 64;
inline constexpr size_t kMaxGroupAccounts = 4096;

std::string encode_config(const ExchangeConfig& config);
// Strict: refuses truncated or trailing bytes, out-of-range values, and (through validate_config)
// any configuration the engine would refuse to load.
Result<ExchangeConfig> decode_config(std::string_view bytes);

}  // namespace glassbook::engine
