// Shocks as text, strictly parsed: percentages ("-30%", "5%", "+10%", "2.5%") and depegs ("WBTC:-20%").
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "engine/config.h"
#include "stress/shock.h"

namespace glassbook::stress {

// An optional sign, at least one digit, an optional point with 1..4 digits, then '%' and nothing
// else (no spaces). Returns parts per million (-30% -> -300000). Error::InvalidArgument otherwise,
// naming the text; magnitudes above 1,000,000% are refused.
Result<int64_t> parse_percent(std::string_view text);

// The percentage of ppm as text, shortest form with its sign: -300000 -> "-30%", 25000 -> "+2.5%".
std::string percent_text(int64_t ppm);

// "SYMBOL:PERCENT": a move of that asset's redemption rate. The symbol must name a Redemption-valued
// asset of `config` (Error::UnknownAsset when it names none, InvalidArgument when it is not one).
Result<Move> parse_depeg(std::string_view text, const engine::ExchangeConfig& config);

}  // namespace glassbook::stress
