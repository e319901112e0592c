// Isolated margin: an owner's isolated account for one perpetual, margin moved between them, a loss
// that stops at the isolated margin, group limits that still count it, and snapshots that keep it.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// Opens `owner`'s isolated account for BTC_PERP; returns its id.
AccountId open_isolated(PerpExchange& ex, const std::string& owner) {
  const auto ev = ex.run(ex.key(owner), OpenIsolated{ex.id(owner), kPerp});
  EXPECT_EQ(ev.size(), 1u);
  if (ev.empty() || ev[0].kind != EventKind::IsolatedOpened) {
    ADD_FAILURE() << "not opened: " << ex.engine().last_error();
    return 0;
  }
  EXPECT_EQ(ev[0].maker_account, ex.id(owner));
  EXPECT_EQ(ev[0].market, kPerp);
  return ev[0].account;
}

std::vector<Event> transfer(PerpExchange& ex, const std::string& signer, AccountId from, AccountId to, int64_t usdc) {
  return ex.run(ex.key(signer), TransferMargin{from, to, usd(usdc)});
}

std::vector<Event> isolated_order(PerpExchange& ex, const std::string& owner, AccountId account, Side side, int64_t price,
                                  int64_t qty, MarketId market = kPerp) {
  PlaceOrder p;
  p.account = account;
  p.market = market;
  p.side = side;
  p.price = price;
  p.quantity = qty;
  return ex.run(ex.key(owner), p);
}

int64_t usdc_of(PerpExchange& ex, AccountId a) { return ex.engine().ledger().balance(a, USDC).total; }

TEST(RiskIsolated, OpenOncePerMarketForOrdinaryAccountsOnly) {
  PerpExchange ex;
  ex.funded("alice", 10'000);
  ex.funded("bob", 10'000);
  const AccountId iso = open_isolated(ex, "alice");
  ASSERT_NE(iso, 0u);
  EXPECT_EQ(ex.engine().isolated(iso), (Engine::IsolatedLink{ex.id("alice"), kPerp}));
  EXPECT_EQ(ex.engine().isolated_of(ex.id("alice"), kPerp), iso);
  EXPECT_FALSE(ex.engine().isolated(ex.id("alice")).has_value());
  // The owner's key still names the owner, not its isolated account.
  EXPECT_EQ(ex.engine().account_of(ex.key("alice").public_key()), ex.id("alice"));

  EXPECT_TRUE(rejected_with(ex.run(ex.key("alice"), OpenIsolated{ex.id("alice"), kPerp}), Error::InvalidArgument));
  EXPECT_TRUE(rejected_with(ex.run(ex.key("alice"), OpenIsolated{ex.id("alice"), kBtc}), Error::UnknownMarket));
  EXPECT_TRUE(rejected_with(ex.run(ex.key("alice"), OpenIsolated{iso, kPerp}), Error::InvalidArgument));
  EXPECT_TRUE(rejected_with(ex.run(ex.key("bob"), OpenIsolated{ex.id("alice"), kPerp}), Error::Unauthorized));
  EXPECT_TRUE(rejected_with(ex.run(ex.key("alice"), OpenIsolated{ex.id("alice"), 77}), Error::UnknownMarket));
  // No deposits to it: its owner funds it.
  EXPECT_TRUE(rejected_with(ex.run(ex.watcher(), Deposit{iso, USDC, usd(5), ex.next_deposit_id()}), Error::InvalidArgument));
}

TEST(RiskIsolated, MarginMovesOnlyBetweenAnOwnerAndItsIsolatedAccount) {
  PerpExchange ex;
  ex.funded("alice", 10'000);
  ex.funded("bob", 10'000);
  const AccountId alice = ex.id("alice"), bob = ex.id("bob");
  const AccountId iso = open_isolated(ex, "alice");
  const AccountId bob_iso = open_isolated(ex, "bob");

  const auto ev = transfer(ex, "alice", alice, iso, 2'500);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, EventKind::MarginTransferred);
  EXPECT_EQ(ev[0].quantity, usd(2'500));
  EXPECT_EQ(usdc_of(ex, alice), usd(7'500));
  EXPECT_EQ(usdc_of(ex, iso), usd(2'500));
  ASSERT_EQ(transfer(ex, "alice", iso, alice, 500)[0].kind, EventKind::MarginTransferred);
  EXPECT_EQ(usdc_of(ex, iso), usd(2'000));

  EXPECT_TRUE(rejected_with(transfer(ex, "alice", alice, bob_iso, 1), Error::Unauthorized));  // bob's key signs bob's
  EXPECT_TRUE(rejected_with(transfer(ex, "bob", bob, iso, 1), Error::Unauthorized));
  EXPECT_TRUE(rejected_with(transfer(ex, "alice", alice, bob, 1), Error::Unauthorized));
  EXPECT_TRUE(rejected_with(transfer(ex, "bob", bob, bob, 1), Error::InvalidArgument));
  EXPECT_TRUE(rejected_with(transfer(ex, "alice", iso, alice, 2'001), Error::InsufficientFunds));
  EXPECT_TRUE(rejected_with(transfer(ex, "alice", alice, iso, 0), Error::InvalidQuantity));
  EXPECT_EQ(usdc_of(ex, alice), usd(8'000));
  EXPECT_EQ(usdc_of(ex, iso), usd(2'000));
}

TEST(RiskIsolated, ItTradesOnlyItsMarketAndKeepsItsInitialMargin) {
  PerpExchange ex;
  ex.funded("alice", 10'000);
  ex.funded("maker", 1'000'000);
  ex.oracle(usd(60'000));
  const AccountId iso = open_isolated(ex, "alice");
  transfer(ex, "alice", ex.id("alice"), iso, 1'000);
  // A spot order from it is refused; so is anything beyond 10x of its 1,000 USDC.
  EXPECT_TRUE(rejected_with(isolated_order(ex, "alice", iso, Side::Buy, usd(60'000), btc(1) / 100, kBtc), Error::InvalidArgument));
  EXPECT_TRUE(rejected_with(isolated_order(ex, "alice", iso, Side::Buy, usd(60'000), btc(20) / 100), Error::InsufficientMargin));
  ex.perp("maker", Side::Sell, usd(60'000), btc(15) / 100);
  ASSERT_EQ(of_kind(isolated_order(ex, "alice", iso, Side::Buy, usd(60'000), btc(15) / 100), EventKind::Trade).size(), 1u);
  EXPECT_EQ(ex.engine().position(iso, kPerp)->lots, 150);
  EXPECT_EQ(ex.engine().position(ex.id("alice"), kPerp), nullptr);
  // 9,000 notional needs 900 initial margin: at most ~95 USDC may leave (fees paid), not 200.
  EXPECT_TRUE(rejected_with(transfer(ex, "alice", iso, ex.id("alice"), 200), Error::InsufficientMargin));
  ASSERT_EQ(transfer(ex, "alice", iso, ex.id("alice"), 90)[0].kind, EventKind::MarginTransferred);
}

// A 9x long in alice's isolated account and the same long in carol's cross account with 100,000
// USDC: a 20% fall liquidates the isolated one, and alice's other 99,000 USDC never pay for it.
TEST(RiskIsolated, ALossStopsAtTheIsolatedMargin) {
  PerpExchange ex;
  ex.funded("alice", 100'000);
  ex.funded("carol", 100'000);
  ex.funded("maker", 1'000'000);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(60'000));
  const AccountId iso = open_isolated(ex, "alice");
  transfer(ex, "alice", ex.id("alice"), iso, 1'000);
  ex.perp("maker", Side::Sell, usd(60'000), btc(30) / 100);
  ASSERT_EQ(of_kind(isolated_order(ex, "alice", iso, Side::Buy, usd(60'000), btc(15) / 100), EventKind::Trade).size(), 1u);
  ASSERT_EQ(of_kind(ex.perp("carol", Side::Buy, usd(60'000), btc(15) / 100), EventKind::Trade).size(), 1u);
  const int64_t alice_main = usdc_of(ex, ex.id("alice"));
  EXPECT_EQ(alice_main, usd(99'000));

  const auto ev = ex.oracle(usd(48'000));
  const auto liquidated = of_kind(ev, EventKind::LiquidationStarted);
  ASSERT_EQ(liquidated.size(), 1u);
  EXPECT_EQ(liquidated[0].account, iso);
  EXPECT_EQ(ex.engine().position(iso, kPerp), nullptr);
  EXPECT_EQ(ex.lots("carol"), 150);
  // Bankrupt: the fund took the position at the bankruptcy price, which leaves the isolated margin at
  // zero (rounded toward solvency); the owner's account did not move.
  const auto taken = of_kind(ev, EventKind::PositionTakenOver);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].maker_account, kInsuranceAccount);
  EXPECT_GE(usdc_of(ex, iso), 0);
  EXPECT_LT(usdc_of(ex, iso), usd(1));
  EXPECT_EQ(usdc_of(ex, ex.id("alice")), alice_main);
}

TEST(RiskIsolated, AnIsolatedAccountCountsInItsOwnersGroup) {
  PerpExchange ex([](ExchangeConfig& c) { c.groups.push_back({"family", {kFirstCustomer, kFirstCustomer + 1}, usd(100'000), usd(100'000)}); });
  ASSERT_EQ(ex.funded("alice", 1'000'000), kFirstCustomer);
  ASSERT_EQ(ex.funded("bob", 1'000'000), kFirstCustomer + 1);
  ex.funded("maker", 10'000'000);
  ex.oracle(usd(50'000));
  const AccountId iso = open_isolated(ex, "alice");
  transfer(ex, "alice", ex.id("alice"), iso, 100'000);
  ex.perp("maker", Side::Sell, usd(50'000), btc(3));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);
  // 50k in the owner's account and 75k more through the isolated one is beyond the group's 100k.
  EXPECT_TRUE(rejected_with(isolated_order(ex, "alice", iso, Side::Buy, usd(50'000), btc(15) / 10), Error::GroupLimit));
  ASSERT_EQ(of_kind(isolated_order(ex, "alice", iso, Side::Buy, usd(50'000), btc(9) / 10), EventKind::Trade).size(), 1u);
}

TEST(RiskIsolated, ASnapshotKeepsTheLinks) {
  PerpExchange ex;
  ex.funded("alice", 10'000);
  ex.funded("bob", 10'000);
  ex.oracle(usd(60'000));
  const AccountId iso = open_isolated(ex, "alice");
  transfer(ex, "alice", ex.id("alice"), iso, 1'000);
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  Engine& r = *restored.value();
  EXPECT_EQ(r.state_root(), ex.engine().state_root());
  EXPECT_EQ(r.snapshot(), ex.engine().snapshot());
  EXPECT_EQ(r.isolated(iso), ex.engine().isolated(iso));
  EXPECT_EQ(r.isolated_of(ex.id("alice"), kPerp), iso);
  EXPECT_EQ(r.account_of(ex.key("alice").public_key()), ex.id("alice"));
  // Opening a second one for the market is refused in the restored engine too.
  Command again;
  again.seq = r.last_seq() + 1;
  again.timestamp = r.last_timestamp() + 1;
  again.signer = ex.key("alice").public_key();
  again.body = OpenIsolated{ex.id("alice"), kPerp};
  const auto ev = r.apply(again);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, EventKind::Rejected);
}

}  // namespace
}  // namespace glassbook::engine::testing
