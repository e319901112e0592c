// "Cover 2": what each account group would leave unpaid if it defaulted at given prices.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace glassbook::stress {

struct GroupLoss {
  std::string name;               // the configured group's name, or "account N" for an unlinked account
  std::vector<AccountId> accounts;
  int64_t equity = 0;             // sum of the members' equity (Engine::margin_of) at the prices
  int64_t loss = 0;               // max(0, -equity): what a default of the whole group leaves unpaid
};

// Every group with a loss, largest first (ties by name). Groups are config().groups; each customer
// account in none is its own group; system accounts are left out. Equity is margin_of's: collateral
// weighted at the prices (funds held by spot orders excluded, an unpriced asset counted as zero) plus
// unrealized PnL at the marks; it is clamped to 64 bits.
std::vector<GroupLoss> group_losses(const engine::Engine& engine, const engine::RiskPrices& prices);

}  // namespace glassbook::stress
