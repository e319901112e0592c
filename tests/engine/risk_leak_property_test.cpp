// The risk engine leaks nothing, over random perpetual histories with oracle walks, jumps, stale
// sources, colluding pairs and a -60% crash: after every command money is conserved, no customer
// that can be valued has negative equity (bankruptcy is settled on the command that causes it), the
// insurance fund pays no bad debt below its floor, no fill of an order leaves a trader below
// maintenance worse off, and a replay of the same commands reaches the same state root.
#include <gtest/gtest.h>

#include <map>

#include "perp_history.h"

namespace glassbook::engine::testing {
namespace {

constexpr int64_t kFloor = 2'000 * kUsdc;  // of the fund's 5,000 USDC

// Every rounding in margin_of and in the fill rule's estimate is within a few units per term.
constexpr __int128 kRounding = 16;

bool places_or_amends(const Command& c) {
  return std::holds_alternative<PlaceOrder>(c.body) || std::holds_alternative<AmendOrder>(c.body);
}

class RiskLeakProperty : public ::testing::TestWithParam<uint64_t> {};

TEST_P(RiskLeakProperty, NoLossEscapes) {
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("leaks/watcher")).public_key();
  ExchangeConfig cfg = history_config(watcher);
  cfg.risk.insurance_floor = kFloor;
  Engine live(cfg), replay(cfg);
  HistoryGenerator gen(GetParam(), 32, watcher, /*leaks=*/true);
  gen.set_markets(cfg);
  std::vector<Command> commands;
  std::map<EventKind, int> kinds;
  std::map<Error, int> refusals;
  std::vector<MarginSummary> before;
  int fund_checked = 0;  // commands after which the fund held positions

  for (int i = 0; i < 3000; ++i) {
    const Command c = gen.next(live);
    commands.push_back(c);
    const RiskPrices prices = live.prices_at(c.timestamp);
    const int64_t fund_before = live.ledger().balance(kInsuranceAccount, USDC).total;
    before.clear();
    for (AccountId a = 0; a < live.ledger().account_count(); ++a) before.push_back(live.margin_of(a, prices));
    const auto ev = live.apply(c);
    const std::vector<Event> got(ev.begin(), ev.end());
    for (const Event& e : got) kinds[e.kind]++;
    if (!got.empty() && got[0].kind == EventKind::Rejected) refusals[got[0].error]++;
    const std::string at = "after command " + std::to_string(c.seq) + " (" + command_name(c.body) + ")";

    // Money is conserved, asset by asset.
    for (AssetId x = 0; x < cfg.assets.size(); ++x) {
      __int128 sum = 0;
      for (AccountId a = 0; a < live.ledger().account_count(); ++a) sum += live.ledger().balance(a, x).total;
      ASSERT_EQ(static_cast<int64_t>(sum), 0) << "asset " << x << " " << at;
    }
    // No customer that can be valued is left with negative equity.
    const RiskPrices now = live.prices_at(c.timestamp);
    for (AccountId a = kFirstCustomer; a < live.ledger().account_count(); ++a) {
      const MarginSummary s = live.margin_of(a, now);
      if (!s.frozen) {
        ASSERT_GE(static_cast<int64_t>(s.equity), 0) << "account " << a << " " << at;
      }
    }
    // The fund never pays bad debt below its floor.
    const int64_t fund = live.ledger().balance(kInsuranceAccount, USDC).total;
    if (fund_before >= kFloor && !of_kind(got, EventKind::BadDebtCovered).empty()) {
      ASSERT_GE(fund, kFloor) << at;
    }
    // Nor do its own positions take it below: while it holds any, its equity (collateral and
    // positions at mark) ends every command at or above the floor.
    const MarginSummary fs = live.margin_of(kInsuranceAccount, now);
    if (!fs.frozen && fs.has_positions) {
      ++fund_checked;
      ASSERT_GE(fs.equity, kFloor) << "the fund's equity " << at;
    }
    // No trader's fill leaves it below maintenance worse off (liquidations are the exception).
    if (places_or_amends(c)) {
      std::vector<AccountId> liquidated;
      for (const Event& e : of_kind(got, EventKind::LiquidationStarted)) liquidated.push_back(e.account);
      for (const Event& t : of_kind(got, EventKind::Trade)) {
        for (AccountId a : {t.account, t.maker_account}) {
          if (std::find(liquidated.begin(), liquidated.end(), a) != liquidated.end() || a >= before.size()) continue;
          const MarginSummary s = live.margin_of(a, now);
          if (s.frozen || before[a].frozen || s.equity >= s.maintenance) continue;
          ASSERT_LE(s.maintenance - s.equity, before[a].maintenance - before[a].equity + kRounding)
              << "account " << a << " traded deeper below maintenance " << at;
        }
      }
    }
    // Replay: the same commands on a fresh engine reach the same state.
    replay.apply(c);
    if (i % 500 == 0) {
      ASSERT_EQ(live.state_root(), replay.state_root()) << at;
    }
  }
  EXPECT_EQ(live.state_root(), replay.state_root());
  // The history must have reached the leaks it hunts for.
  EXPECT_GT(kinds[EventKind::Trade], 300);
  EXPECT_GT(kinds[EventKind::LiquidationStarted], 5);
  std::printf("trades %d, liquidations %d, takeovers %d, bad debts %d, socialized %d, refused beyond bankruptcy %d, "
              "commands with the fund holding positions %d\n",
              kinds[EventKind::Trade], kinds[EventKind::LiquidationStarted], kinds[EventKind::PositionTakenOver],
              kinds[EventKind::BadDebtCovered], kinds[EventKind::LossSocialized], refusals[Error::OrderBeyondBankruptcy],
              fund_checked);
}

INSTANTIATE_TEST_SUITE_P(Seeds, RiskLeakProperty, ::testing::Values(1, 2, 3, 4));

}  // namespace
}  // namespace glassbook::engine::testing
