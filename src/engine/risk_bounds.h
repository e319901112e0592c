// Governance bounds on risk parameters: values that would amount to an exemption for one market or
// token are refused by validate_config, whoever proposes them.
#pragma once
#include <cstdint>

#include "core/result.h"

namespace glassbook::engine {

struct ExchangeConfig;

// Every margin tier's maintenance rate is at least 0.5% of notional: below that, a position is
// liquidated only after a move smaller than one ordinary tick of volatility, i.e. practically never.
inline constexpr int32_t kMinMaintenancePpm = 5'000;
// Initial margin is at least 5/4 of maintenance in every tier, so a position opened at the limit
// has a buffer of a fifth of its initial margin before liquidation.
inline constexpr int32_t kInitialOverMaintenanceNum = 5;
inline constexpr int32_t kInitialOverMaintenanceDen = 4;
// An oracle-priced asset (index or redemption) counts at most 95% of its value as collateral: the
// index itself may lag the market by its staleness limit and its cap band.
inline constexpr int32_t kMaxOracleCollateralWeightPpm = 950'000;
// The funding cap is positive (a zero cap would switch funding off, and with it the pull of the
// last trade towards the index) and at most 4% per interval (1e-9 units).
inline constexpr int64_t kMaxFundingCap = 40'000'000;
// The mark may stand at most mark_cap_ppm from the index (plus the funding term; mark_price.h):
// 1..10%. The genesis file's default is 1%: a print or a thin book moves the mark 1% at most.
inline constexpr int32_t kMaxMarkCapPpm = 100'000;
inline constexpr int32_t kDefaultMarkCapPpm = 10'000;

// An asset margin gives no weight is bought from a bankrupt account at the index less a haircut of
// 5..50%: at least the haircut of the most trusted index-priced collateral (95% weight), and at most
// half, so that the account's loss still shrinks by what the asset is worth in a hurry.
inline constexpr int32_t kMinSeizureHaircutPpm = 50'000;
inline constexpr int32_t kMaxSeizureHaircutPpm = 500'000;
// The fund's liquidator sells at most one slice per market and interval: the interval is 0.1 s to
// 1 h of journaled time, and a position under the cap takes 1 to 1,000 slices.
inline constexpr int64_t kMinFundUnwindIntervalUs = 100'000;
inline constexpr int64_t kMaxFundUnwindIntervalUs = 3'600'000'000;
inline constexpr int32_t kMaxFundSlicesPerCap = 1'000;

// Refuses (Error::InvalidConfig, naming the market or asset and the bound) a configuration whose
// risk parameters are outside the bounds above, or whose oracle quorum is not a strict majority of
// the configured sources (a minority could then set the index alone).
Status validate_risk_bounds(const ExchangeConfig& config);

}  // namespace glassbook::engine
