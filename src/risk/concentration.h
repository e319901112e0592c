// Concentration haircut on collateral: the part of one asset's value above a share of the account's
// collateral counts at a lower weight, so an account cannot back its positions with one large,
// illiquid holding at the weight meant for a diversified one.
#pragma once
#include <cstdint>

namespace glassbook::risk {

// The weighted value (margin-asset units, rounded down) of one collateral asset worth `value`
// (>= 0, at its full oracle value) in an account whose collateral is worth `total` (>= value, every
// collateral asset at its full value): the part up to `share_ppm` of `total` at `weight_ppm`, the
// excess at `low_weight_ppm` (<= weight_ppm). With no excess it is floor(value x weight / 1e6),
// exactly what the asset is worth without a haircut.
__int128 concentrated_value(__int128 value, __int128 total, int32_t weight_ppm, int32_t share_ppm, int32_t low_weight_ppm);

// How much the haircut can add, per unit of relative fall of any one price, to the loss of an
// account's weighted collateral, per unit of that asset's value (ppm): a fall of another asset
// shrinks `total` and so grows this asset's excess by at most share x the fall. (weight - low) x
// share / 1e6, rounded up.
int64_t concentration_cross_ppm(int32_t weight_ppm, int32_t share_ppm, int32_t low_weight_ppm);

}  // namespace glassbook::risk
