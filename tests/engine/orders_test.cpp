// Order types through the engine: GTC, IOC, FOK, post-only, market with protection, cancel,
// cancel-all, amend priority rules, self-trade prevention, client ids, depth and trade list.
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

class Orders : public ::testing::Test {
 protected:
  void SetUp() override {
    ex.trader("alice");
    ex.trader("bob");
    ex.trader("carol");
  }
  Exchange ex;
};

TEST_F(Orders, GtcRestsThenTradesAtMakerPrice) {
  auto a = ex.order("alice", Side::Sell, px(1'000'000), lots(10));
  ASSERT_EQ(of_kind(a, EventKind::OrderRested).size(), 1u);
  auto b = ex.order("bob", Side::Buy, px(1'000'050), lots(4));
  auto trades = of_kind(b, EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].price, px(1'000'000));  // the maker's price, not the taker's limit
  EXPECT_EQ(trades[0].quantity, lots(4));
  EXPECT_EQ(trades[0].maker_remaining, lots(6));
  EXPECT_EQ(trades[0].remaining, 0);
  EXPECT_EQ(ex.engine().book(kBtc).best_ask(), 1'000'000);
}

TEST_F(Orders, PriceTimePriorityAcrossLevels) {
  OrderId first = accepted_id(ex.order("alice", Side::Sell, px(1'000'001), lots(1)));
  OrderId second = accepted_id(ex.order("carol", Side::Sell, px(1'000'001), lots(1)));
  OrderId better = accepted_id(ex.order("carol", Side::Sell, px(1'000'000), lots(1)));
  auto trades = of_kind(ex.order("bob", Side::Buy, px(1'000'001), lots(3)), EventKind::Trade);
  ASSERT_EQ(trades.size(), 3u);
  EXPECT_EQ(trades[0].maker_order_id, better);
  EXPECT_EQ(trades[1].maker_order_id, first);
  EXPECT_EQ(trades[2].maker_order_id, second);
}

TEST_F(Orders, IocCancelsTheRemainderAndReleasesItsHold) {
  ex.order("alice", Side::Sell, px(1'000'000), lots(2));
  auto ev = ex.order("bob", Side::Buy, px(1'000'000), lots(5), TimeInForce::IOC);
  EXPECT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  auto cancels = of_kind(ev, EventKind::OrderCancelled);
  ASSERT_EQ(cancels.size(), 1u);
  EXPECT_EQ(cancels[0].cause, CancelCause::IocRemainder);
  EXPECT_EQ(cancels[0].remaining, lots(3));
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
  EXPECT_EQ(ex.engine().book(kBtc).order_count(), 0u);
}

TEST_F(Orders, FokFillsCompletelyOrNotAtAll) {
  ex.order("alice", Side::Sell, px(1'000'000), lots(2));
  auto kill = ex.order("bob", Side::Buy, px(1'000'000), lots(3), TimeInForce::FOK);
  EXPECT_TRUE(of_kind(kill, EventKind::Trade).empty());
  ASSERT_EQ(of_kind(kill, EventKind::OrderCancelled).size(), 1u);
  EXPECT_EQ(of_kind(kill, EventKind::OrderCancelled)[0].cause, CancelCause::FokUnfilled);
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
  auto fill = ex.order("bob", Side::Buy, px(1'000'000), lots(2), TimeInForce::FOK);
  EXPECT_EQ(of_kind(fill, EventKind::Trade).size(), 1u);
}

TEST_F(Orders, PostOnlyNeverTakes) {
  ex.order("alice", Side::Sell, px(1'000'000), lots(2));
  auto cross = ex.order("bob", Side::Buy, px(1'000'000), lots(1), TimeInForce::PostOnly);
  EXPECT_TRUE(of_kind(cross, EventKind::Trade).empty());
  ASSERT_EQ(of_kind(cross, EventKind::OrderCancelled).size(), 1u);
  EXPECT_EQ(of_kind(cross, EventKind::OrderCancelled)[0].cause, CancelCause::PostOnlyWouldCross);
  auto rest = ex.order("bob", Side::Buy, px(999'999), lots(1), TimeInForce::PostOnly);
  EXPECT_EQ(of_kind(rest, EventKind::OrderRested).size(), 1u);
}

TEST_F(Orders, MarketOrderStopsAtItsProtectionLimit) {
  ex.order("alice", Side::Sell, px(1'000'000), lots(1));
  ex.order("alice", Side::Sell, px(1'040'000), lots(1));  // 4% above the touch: inside the 5% default
  ex.order("alice", Side::Sell, px(1'060'000), lots(1));  // 6% above: beyond protection
  auto ev = ex.market("bob", Side::Buy, lots(3));
  auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[1].price, px(1'040'000));
  ASSERT_EQ(of_kind(ev, EventKind::OrderCancelled).size(), 1u);
  EXPECT_EQ(of_kind(ev, EventKind::OrderCancelled)[0].remaining, lots(1));
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
  // An explicit protection limit is honoured.
  ex.order("carol", Side::Sell, px(1'000'000), lots(1));
  auto limited = ex.market("bob", Side::Buy, lots(2), px(1'000'000));
  EXPECT_EQ(of_kind(limited, EventKind::Trade).size(), 1u);
}

TEST_F(Orders, MarketOrderWithoutLiquidityIsRefused) {
  EXPECT_EQ(rejection(ex.market("bob", Side::Buy, lots(1))), Error::InvalidPrice);
}

TEST_F(Orders, CancelReleasesTheHold) {
  OrderId id = accepted_id(ex.order("bob", Side::Buy, px(900'000), lots(10)));
  EXPECT_EQ(ex.balance("bob", USDC).held, 900'000 * 10);  // ticks x lots x 1 unit
  auto ev = ex.cancel("bob", id);
  ASSERT_EQ(of_kind(ev, EventKind::OrderCancelled).size(), 1u);
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
  EXPECT_EQ(rejection(ex.cancel("bob", id)), Error::OrderNotFound);
}

TEST_F(Orders, OnlyTheOwnerCanCancel) {
  OrderId id = accepted_id(ex.order("bob", Side::Buy, px(900'000), lots(10)));
  EXPECT_EQ(rejection(ex.cancel("alice", id)), Error::OrderNotFound);
  EXPECT_EQ(ex.engine().book(kBtc).order_count(), 1u);
}

TEST_F(Orders, CancelAllForAnAccountAndAMarket) {
  ex.order("bob", Side::Buy, px(900'000), lots(1));
  ex.order("bob", Side::Buy, px(900'001), lots(1));
  ex.order("bob", Side::Sell, px(1'100'000), lots(1));
  ex.order("bob", Side::Buy, 100 * 10'000, 10'000'000, TimeInForce::GTC, kSol);
  ex.order("alice", Side::Buy, px(900'000), lots(1));
  auto one = ex.run(ex.key("bob"), CancelAll{ex.id("bob"), kSol});
  EXPECT_EQ(of_kind(one, EventKind::OrderCancelled).size(), 1u);
  auto all = ex.run(ex.key("bob"), CancelAll{ex.id("bob"), kAllMarkets});
  EXPECT_EQ(of_kind(all, EventKind::OrderCancelled).size(), 3u);
  EXPECT_EQ(ex.engine().book(kBtc).order_count(), 1u);  // alice's stays
  EXPECT_EQ(ex.balance("bob", USDC).held, 0);
  EXPECT_EQ(ex.balance("bob", BTC).held, 0);
}

TEST_F(Orders, AmendQuantityDownKeepsPriority) {
  OrderId first = accepted_id(ex.order("alice", Side::Sell, px(1'000'000), lots(5)));
  OrderId second = accepted_id(ex.order("carol", Side::Sell, px(1'000'000), lots(5)));
  auto ev = ex.amend("alice", first, px(1'000'000), lots(3));
  ASSERT_EQ(of_kind(ev, EventKind::OrderAmended).size(), 1u);
  EXPECT_EQ(ex.balance("alice", BTC).held, lots(3));
  auto trades = of_kind(ex.order("bob", Side::Buy, px(1'000'000), lots(1)), EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].maker_order_id, first);
  (void)second;
}

TEST_F(Orders, AmendPriceOrQuantityUpLosesPriority) {
  OrderId first = accepted_id(ex.order("alice", Side::Sell, px(1'000'000), lots(5)));
  OrderId second = accepted_id(ex.order("carol", Side::Sell, px(1'000'000), lots(5)));
  ex.amend("alice", first, px(1'000'000), lots(6));  // up: to the back
  auto trades = of_kind(ex.order("bob", Side::Buy, px(1'000'000), lots(1)), EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].maker_order_id, second);
  ex.amend("carol", second, px(1'000'001), lots(4));  // price change
  EXPECT_EQ(ex.engine().book(kBtc).best_ask(), 1'000'000);
  EXPECT_EQ(ex.balance("carol", BTC).held, lots(4));
  EXPECT_EQ(ex.balance("alice", BTC).held, lots(6));
}

TEST_F(Orders, AmendThatCrossesTrades) {
  ex.order("alice", Side::Sell, px(1'000'000), lots(2));
  OrderId bid = accepted_id(ex.order("bob", Side::Buy, px(990'000), lots(3)));
  auto ev = ex.amend("bob", bid, px(1'000'000), lots(3));
  auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].order_id, bid);
  EXPECT_EQ(trades[0].quantity, lots(2));
  EXPECT_EQ(ex.balance("bob", USDC).held, 1'000'000 * 1);  // one lot left at the new price
}

TEST_F(Orders, AmendNeedingMoreFundsThanAvailableIsRefused) {
  ex.open("dave");
  ex.deposit("dave", USDC, 1'000 * kUsdc);
  OrderId id = accepted_id(ex.order("dave", Side::Buy, px(100'000), lots(100)));  // 10,000 USDC x 0.001 = 10 USDC
  auto root = ex.engine().state_root();
  EXPECT_EQ(rejection(ex.amend("dave", id, px(1'000'000), lots(20'000))), Error::InsufficientFunds);
  EXPECT_EQ(ex.engine().state_root(), root);
}

TEST_F(Orders, SelfTradePreventionModes) {
  // Cancel newest: the taker's remainder goes, the resting order stays.
  OrderId rest = accepted_id(ex.order("alice", Side::Sell, px(1'000'000), lots(1)));
  auto newest = ex.order("alice", Side::Buy, px(1'000'000), lots(1), TimeInForce::GTC, kBtc, 0, Stp::CancelNewest);
  EXPECT_TRUE(of_kind(newest, EventKind::Trade).empty());
  EXPECT_EQ(of_kind(newest, EventKind::OrderCancelled)[0].cause, CancelCause::SelfTrade);
  EXPECT_NE(ex.engine().book(kBtc).find(rest), nullptr);
  // Cancel oldest: the resting order goes and matching continues against the next maker.
  ex.order("bob", Side::Sell, px(1'000'000), lots(1));
  auto oldest = ex.order("alice", Side::Buy, px(1'000'000), lots(1), TimeInForce::GTC, kBtc, 0, Stp::CancelOldest);
  EXPECT_EQ(ex.engine().book(kBtc).find(rest), nullptr);
  ASSERT_EQ(of_kind(oldest, EventKind::Trade).size(), 1u);
  EXPECT_EQ(of_kind(oldest, EventKind::Trade)[0].maker_account, ex.id("bob"));
  // Cancel both.
  OrderId again = accepted_id(ex.order("alice", Side::Sell, px(1'000'000), lots(1)));
  auto both = ex.order("alice", Side::Buy, px(1'000'000), lots(1), TimeInForce::GTC, kBtc, 0, Stp::CancelBoth);
  EXPECT_EQ(of_kind(both, EventKind::OrderCancelled).size(), 2u);
  EXPECT_EQ(ex.engine().book(kBtc).find(again), nullptr);
  EXPECT_EQ(ex.engine().book(kBtc).order_count(), 0u);
  EXPECT_EQ(ex.balance("alice", BTC).held, 0);
  EXPECT_EQ(ex.balance("alice", USDC).held, 0);
}

TEST_F(Orders, ClientIdsAreUniqueAmongOpenOrders) {
  ex.order("bob", Side::Buy, px(900'000), lots(1), TimeInForce::GTC, kBtc, 7);
  EXPECT_EQ(rejection(ex.order("bob", Side::Buy, px(900'001), lots(1), TimeInForce::GTC, kBtc, 7)),
            Error::DuplicateClientOrderId);
  // Another account may use the same client id.
  EXPECT_EQ(rejection(ex.order("alice", Side::Buy, px(900'001), lots(1), TimeInForce::GTC, kBtc, 7)), Error::Ok);
  // Cancel by client id frees it.
  auto ev = ex.run(ex.key("bob"), CancelOrder{ex.id("bob"), kBtc, 0, 7});
  EXPECT_EQ(of_kind(ev, EventKind::OrderCancelled).size(), 1u);
  EXPECT_EQ(rejection(ex.order("bob", Side::Buy, px(900'001), lots(1), TimeInForce::GTC, kBtc, 7)), Error::Ok);
  // A filled order frees its client id too.
  ex.order("carol", Side::Sell, px(900'001), lots(2));  // fills alice's older bid, then bob's
  EXPECT_EQ(rejection(ex.order("bob", Side::Buy, px(900'000), lots(1), TimeInForce::GTC, kBtc, 7)), Error::Ok);
}

TEST_F(Orders, DepthAndTradeList) {
  ex.order("alice", Side::Sell, px(1'000'002), lots(1));
  ex.order("alice", Side::Sell, px(1'000'001), lots(2));
  ex.order("carol", Side::Sell, px(1'000'001), lots(3));
  ex.order("bob", Side::Buy, px(999'999), lots(4));
  std::vector<book::OrderBook::Level> asks, bids;
  ex.engine().book(kBtc).depth(Side::Sell, 10, asks);
  ex.engine().book(kBtc).depth(Side::Buy, 10, bids);
  ASSERT_EQ(asks.size(), 2u);
  EXPECT_EQ(asks[0].price, 1'000'001);
  EXPECT_EQ(asks[0].qty, 5);
  EXPECT_EQ(asks[0].orders, 2u);
  ASSERT_EQ(bids.size(), 1u);
  EXPECT_EQ(bids[0].qty, 4);
  ex.order("bob", Side::Buy, px(1'000'002), lots(6));
  const auto& trades = ex.engine().recent_trades(kBtc);
  ASSERT_EQ(trades.size(), 3u);
  EXPECT_EQ(trades.back().price, px(1'000'002));
  EXPECT_EQ(ex.engine().stats(kBtc).base_volume, lots(6));
}

}  // namespace
}  // namespace glassbook::engine::testing
