// The genesis rule that no account is above the risk engine: any key naming an exemption is refused.
#pragma once
#include <toml++/toml.h>

#include <string_view>

#include "core/result.h"

namespace glassbook::engine {

// Whether a key reads like a per-account override of the risk rules (`exempt`, `credit_line`,
// `allow_negative_balance`, `margin_override`, `vip_margin`, `skip_risk`...). Case, '-' and spaces
// are ignored: `Exempt-From-Liquidation` counts.
bool names_an_exemption(std::string_view key);

// Walks every table and array of the document and refuses the first key that names an exemption:
// "genesis refused: `<path>` would exempt an account from risk rules; no account can be exempted
// (docs/risk.md)".
Status refuse_exemptions(const toml::table& root);

}  // namespace glassbook::engine
