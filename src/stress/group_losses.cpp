// Group default losses at a set of prices, for the "cover 2" figure of a stress report.
#include "stress/group_losses.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

namespace glassbook::stress {

namespace {

int64_t clamp64(__int128 v) { return static_cast<int64_t>(std::clamp<__int128>(v, INT64_MIN, INT64_MAX)); }

GroupLoss measure(const engine::Engine& engine, const engine::RiskPrices& prices, std::string name,
                  std::vector<AccountId> accounts) {
  __int128 equity = 0;
  for (AccountId a : accounts) equity += engine.margin_of(a, prices).equity;
  GroupLoss g;
  g.name = std::move(name);
  g.accounts = std::move(accounts);
  g.equity = clamp64(equity);
  g.loss = equity < 0 ? clamp64(-equity) : 0;
  return g;
}

}  // namespace

std::vector<GroupLoss> group_losses(const engine::Engine& engine, const engine::RiskPrices& prices) {
  std::vector<GroupLoss> all;
  std::unordered_set<AccountId> linked;
  for (const auto& group : engine.config().groups) {
    linked.insert(group.accounts.begin(), group.accounts.end());
    all.push_back(measure(engine, prices, group.name, group.accounts));
  }
  for (AccountId a = kFirstCustomer; a < engine.ledger().account_count(); ++a)
    if (!linked.contains(a)) all.push_back(measure(engine, prices, fmt::format("account {}", a), {a}));
  std::erase_if(all, [](const GroupLoss& g) { return g.loss == 0; });
  std::sort(all.begin(), all.end(), [](const GroupLoss& x, const GroupLoss& y) {
    return x.loss != y.loss ? x.loss > y.loss : x.name < y.name;
  });
  return all;
}

}  // namespace glassbook::stress
