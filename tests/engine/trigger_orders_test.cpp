// Trigger (stop) orders: they wait outside the book, reserving nothing, until the last trade (or the
// mark) reaches their trigger, then enter under their own id in a deterministic order; they can be
// cancelled like any order, are bounded per account, fail cleanly when they no longer fit, and are
// state: snapshot and state root.
#include <string>
#include <vector>

#include "core/decimal.h"
#include "engine/request_text.h"
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

class TriggerOrdersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ex.check_invariants_always();
    for (const char* name : {"alice", "bob", "carol", "dave"}) ex.trader(name);
  }

  struct Trigger {
    std::string side = "Ask";
    std::string type = "Market";
    int64_t price = 0;  // a Limit order's price
    int64_t quantity = lots(1);
    int64_t trigger = 0;
    std::string by{};        // "": the default (LastPrice)
    uint32_t client_id = 0;
  };
  std::vector<Event> place(const std::string& name, const Trigger& t) {
    std::vector<std::string> owned = {format_decimal(t.price, 6, true), format_decimal(t.quantity, 8, true),
                                      format_decimal(t.trigger, 6, true), std::to_string(t.client_id)};
    std::vector<TextParam> p = {{"symbol", "BTC_USDC"}, {"side", t.side}, {"orderType", t.type}, {"triggerQuantity", owned[1]},
                                {"triggerPrice", owned[2]}};
    if (t.type == "Limit") p.push_back({"price", owned[0]});
    if (!t.by.empty()) p.push_back({"triggerBy", t.by});
    if (t.client_id != 0) p.push_back({"clientId", owned[3]});
    return ex.run(ex.key(name), SignedRequest{build_request_text("orderExecute", std::move(p), ex.now() / 1000, 5000)});
  }
  // A trade of one lot at `price` (USDC tenths) between bob (maker, selling) and carol (taker).
  std::vector<Event> trade_at(int64_t price) {
    EXPECT_EQ(rejection(ex.order("bob", Side::Sell, px(price), lots(1))), Error::Ok);
    return ex.order("carol", Side::Buy, px(price), lots(1));
  }
  static OrderId trigger_id(const std::vector<Event>& ev) {
    auto accepted = of_kind(ev, EventKind::TriggerAccepted);
    EXPECT_EQ(accepted.size(), 1u);
    return accepted.empty() ? 0 : accepted[0].order_id;
  }

  Exchange ex;
};

TEST_F(TriggerOrdersTest, NeedsAPriceToCompareWithAndATriggerThatIsNotThePriceNow) {
  auto ev = place("alice", {.trigger = px(990'000)});
  EXPECT_EQ(rejection(ev), Error::InvalidPrice);
  EXPECT_EQ(ex.engine().last_error(), "BTC_USDC has no last price yet: a trigger order needs one to compare its trigger price with");
  trade_at(1'000'000);
  EXPECT_EQ(rejection(place("alice", {.trigger = px(1'000'000)})), Error::InvalidPrice);
  EXPECT_EQ(ex.engine().last_error(), "trigger price 100000 is the last price of BTC_USDC now: send the order itself");
  EXPECT_EQ(rejection(place("alice", {.trigger = px(990'000), .by = "MarkPrice"})), Error::InvalidArgument);
  EXPECT_EQ(ex.engine().last_error(), "triggerBy MarkPrice is for perpetual markets: BTC_USDC has no mark price");
  EXPECT_EQ(rejection(place("alice", {.trigger = px(990'000) + 1})), Error::PriceNotTickMultiple);
  EXPECT_TRUE(ex.engine().trigger_orders().empty());
}

TEST_F(TriggerOrdersTest, ATriggerOrderWaitsOutsideTheBookAndReservesNothing) {
  trade_at(1'000'000);
  const ledger::Balance btc = ex.balance("alice", BTC);
  const size_t resting = ex.engine().book(kBtc).order_count();
  const auto ev = place("alice", {.quantity = lots(3), .trigger = px(990'000), .client_id = 7});
  ASSERT_EQ(ev.size(), 1u) << describe(ev[0]);
  EXPECT_EQ(ev[0].kind, EventKind::TriggerAccepted);
  EXPECT_EQ(ev[0].price, px(990'000));
  EXPECT_EQ(ev[0].quantity, lots(3));
  EXPECT_EQ(ev[0].client_id, 7u);
  EXPECT_EQ(ex.engine().book(kBtc).order_count(), resting);
  EXPECT_EQ(ex.balance("alice", BTC).total, btc.total);
  EXPECT_EQ(ex.balance("alice", BTC).held, btc.held);
  ASSERT_NE(ex.engine().trigger_orders().find(ev[0].order_id), nullptr);
  EXPECT_FALSE(ex.engine().trigger_orders().find(ev[0].order_id)->rises);
}

TEST_F(TriggerOrdersTest, AStopFiresWhenTheLastTradeReachesItAndKeepsItsId) {
  trade_at(1'000'000);
  ASSERT_EQ(rejection(ex.order("dave", Side::Buy, px(985'000), lots(5))), Error::Ok);  // what the stop sells into
  const OrderId stop = trigger_id(place("alice", {.quantity = lots(2), .trigger = px(990'000)}));
  EXPECT_TRUE(of_kind(trade_at(995'000), EventKind::TriggerFired).empty()) << "99,500 is above the trigger";

  const auto ev = trade_at(990'000);
  const auto fired = of_kind(ev, EventKind::TriggerFired);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].order_id, stop);
  EXPECT_EQ(fired[0].price, px(990'000));
  EXPECT_EQ(accepted_id(std::vector<Event>(ev.begin() + 3, ev.end())), stop) << "the stop enters under its own id";
  const auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[1].order_id, stop);
  EXPECT_EQ(trades[1].account, ex.id("alice"));
  EXPECT_EQ(trades[1].price, px(985'000));
  EXPECT_EQ(trades[1].quantity, lots(2));
  EXPECT_TRUE(ex.engine().trigger_orders().empty());
}

TEST_F(TriggerOrdersTest, TriggersFireInTheOrderThePriceReachesThemThenById) {
  trade_at(1'000'000);
  ASSERT_EQ(rejection(ex.order("dave", Side::Sell, px(1'020'000), lots(10))), Error::Ok);  // what the buy stops take
  // Buy stops above the price: the move up reaches 100,200 before 100,500; two at 100,200 by id.
  const OrderId high = trigger_id(place("alice", {.side = "Bid", .type = "Limit", .price = px(1'030'000), .trigger = px(1'005'000)}));
  const OrderId low_first = trigger_id(place("alice", {.side = "Bid", .trigger = px(1'002'000)}));
  const OrderId low_second = trigger_id(place("bob", {.side = "Bid", .trigger = px(1'002'000)}));
  const auto fired = of_kind(trade_at(1'010'000), EventKind::TriggerFired);
  ASSERT_EQ(fired.size(), 3u);
  EXPECT_EQ(fired[0].order_id, low_first);
  EXPECT_EQ(fired[1].order_id, low_second);
  EXPECT_EQ(fired[2].order_id, high);
}

TEST_F(TriggerOrdersTest, AFiredStopsTradesCanReachTheNextStop) {
  trade_at(1'000'000);
  ASSERT_EQ(rejection(ex.order("dave", Side::Buy, px(989'000), lots(1))), Error::Ok);
  ASSERT_EQ(rejection(ex.order("dave", Side::Buy, px(980'000), lots(1))), Error::Ok);
  const OrderId first = trigger_id(place("alice", {.trigger = px(990'000)}));
  const OrderId second = trigger_id(place("bob", {.trigger = px(989'500)}));
  // A trade at 99,000 fires alice's stop, which sells at 98,900: that reaches bob's at 98,950.
  const auto ev = trade_at(990'000);
  const auto fired = of_kind(ev, EventKind::TriggerFired);
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0].order_id, first);
  EXPECT_EQ(fired[1].order_id, second);
  EXPECT_EQ(fired[1].price, px(989'000));
  const auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 3u);
  EXPECT_EQ(trades[2].price, px(980'000));
  EXPECT_EQ(ex.engine().stats(kBtc).last_price, px(980'000));
}

TEST_F(TriggerOrdersTest, APendingOrderIsCancelledByIdByClientIdAndByCancelAll) {
  trade_at(1'000'000);
  const OrderId by_id = trigger_id(place("alice", {.trigger = px(990'000)}));
  const OrderId by_client = trigger_id(place("alice", {.trigger = px(980'000), .client_id = 42}));
  const OrderId by_all = trigger_id(place("alice", {.side = "Bid", .trigger = px(1'010'000)}));
  const OrderId bobs = trigger_id(place("bob", {.trigger = px(990'000)}));

  EXPECT_EQ(rejection(ex.cancel("bob", by_id)), Error::OrderNotFound) << "someone else's order";
  auto ev = ex.cancel("alice", by_id);
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, EventKind::OrderCancelled);
  EXPECT_EQ(ev[0].order_id, by_id);
  EXPECT_EQ(ev[0].remaining, lots(1));
  ev = ex.run(ex.key("alice"), CancelOrder{ex.id("alice"), kBtc, 0, 42});
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].order_id, by_client);
  ev = ex.run(ex.key("alice"), CancelAll{ex.id("alice"), kAllMarkets});
  ASSERT_EQ(of_kind(ev, EventKind::OrderCancelled).size(), 1u);
  EXPECT_EQ(of_kind(ev, EventKind::OrderCancelled)[0].order_id, by_all);
  EXPECT_EQ(ex.engine().trigger_orders().size(), 1u);
  EXPECT_NE(ex.engine().trigger_orders().find(bobs), nullptr);
  EXPECT_EQ(rejection(ex.cancel("alice", by_id)), Error::OrderNotFound) << "already cancelled";
}

TEST_F(TriggerOrdersTest, ClientIdsAreUniqueAcrossRestingAndPendingOrders) {
  trade_at(1'000'000);
  ASSERT_EQ(rejection(ex.order("alice", Side::Buy, px(900'000), lots(1), TimeInForce::GTC, kBtc, 5)), Error::Ok);
  EXPECT_EQ(rejection(place("alice", {.trigger = px(990'000), .client_id = 5})), Error::DuplicateClientOrderId);
  ASSERT_EQ(rejection(place("alice", {.trigger = px(990'000), .client_id = 6})), Error::Ok);
  EXPECT_EQ(rejection(ex.order("alice", Side::Buy, px(900'000), lots(1), TimeInForce::GTC, kBtc, 6)), Error::DuplicateClientOrderId);
  EXPECT_EQ(rejection(place("alice", {.trigger = px(980'000), .client_id = 6})), Error::DuplicateClientOrderId);
}

TEST_F(TriggerOrdersTest, AnAccountHoldsAtMostTheCap) {
  trade_at(1'000'000);
  for (size_t i = 0; i < TriggerOrders::kMaxPerAccount; ++i)
    ASSERT_EQ(rejection(place("alice", {.trigger = px(990'000 - static_cast<int64_t>(i))})), Error::Ok) << i;
  EXPECT_EQ(rejection(place("alice", {.trigger = px(980'000)})), Error::BookFull);
  EXPECT_EQ(ex.engine().last_error(), "an account may hold at most 32 trigger orders, counting the take-profit and stop-loss its open orders carry");
  EXPECT_EQ(rejection(place("bob", {.trigger = px(980'000)})), Error::Ok) << "the cap is per account";
}

TEST_F(TriggerOrdersTest, APendingOrderIsReplacedNotAmendedAndAShareOfAPositionIsForPerpetuals) {
  trade_at(1'000'000);
  const OrderId stop = trigger_id(place("alice", {.trigger = px(990'000)}));
  const crypto::Digest root = ex.engine().state_root();
  EXPECT_EQ(rejection(ex.amend("alice", stop, px(980'000), lots(1))), Error::InvalidArgument);
  EXPECT_EQ(ex.engine().last_error(),
            "order " + std::to_string(stop) + " is a trigger order waiting for its price: cancel it and place a new one");
  EXPECT_EQ(rejection(ex.amend("bob", stop, px(980'000), lots(1))), Error::OrderNotFound) << "not bob's";
  const auto ev = ex.run(ex.key("alice"), SignedRequest{build_request_text("orderExecute",
                                                                           {{"symbol", "BTC_USDC"},
                                                                            {"side", "Ask"},
                                                                            {"orderType", "Market"},
                                                                            {"triggerQuantity", "50%"},
                                                                            {"triggerPrice", "99000"}},
                                                                           ex.now() / 1000, 5000)});
  EXPECT_EQ(rejection(ev), Error::InvalidArgument);
  EXPECT_EQ(ex.engine().last_error(), "triggerQuantity as a share of the position is for perpetual markets: BTC_USDC is spot, give a quantity");
  EXPECT_EQ(ex.engine().state_root(), root);
}

TEST_F(TriggerOrdersTest, AnOrderThatNoLongerFitsFailsWhenItFiresAndChangesNothingElse) {
  trade_at(1'000'000);
  ASSERT_EQ(rejection(ex.order("dave", Side::Buy, px(985'000), lots(5))), Error::Ok);
  // Alice holds 10 BTC: a stop selling 11 BTC is accepted (it reserves nothing) and fails at trigger time.
  const OrderId stop = trigger_id(place("alice", {.quantity = 11 * kBtcUnit, .trigger = px(990'000)}));
  const ledger::Balance btc = ex.balance("alice", BTC);
  const auto ev = trade_at(990'000);
  const auto failed = of_kind(ev, EventKind::TriggerFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].order_id, stop);
  EXPECT_EQ(failed[0].error, Error::InsufficientFunds);
  EXPECT_TRUE(of_kind(ev, EventKind::OrderAccepted).size() == 1u) << "only carol's order entered";
  EXPECT_EQ(ex.balance("alice", BTC).total, btc.total);
  EXPECT_EQ(ex.balance("alice", BTC).held, btc.held);
  EXPECT_TRUE(ex.engine().trigger_orders().empty());
}

TEST_F(TriggerOrdersTest, ANativeOrderCannotCarryATrigger) {
  trade_at(1'000'000);
  PlaceOrder p;
  p.account = ex.id("alice");
  p.market = kBtc;
  p.side = Side::Sell;
  p.type = OrderType::Market;
  p.quantity = lots(1);
  p.trigger_price = px(990'000);
  EXPECT_EQ(rejection(ex.run(ex.key("alice"), p)), Error::InvalidArgument);
  EXPECT_EQ(ex.engine().last_error(), "a native PlaceOrder cannot carry a trigger, take-profit or stop-loss price: send it as a signed request");
}

TEST_F(TriggerOrdersTest, PendingOrdersAreStateTheSnapshotKeeps) {
  trade_at(1'000'000);
  const crypto::Digest before = ex.engine().state_root();
  const OrderId stop = trigger_id(place("alice", {.type = "Limit", .price = px(985'000), .trigger = px(990'000), .client_id = 3}));
  const crypto::Digest with_stop = ex.engine().state_root();
  EXPECT_NE(with_stop, before);

  const std::string bytes = ex.engine().snapshot();
  auto restored = Engine::restore(bytes);
  ASSERT_TRUE(restored) << restored.status().to_string();
  EXPECT_EQ((*restored)->state_root(), with_stop);
  EXPECT_EQ((*restored)->snapshot(), bytes);
  EXPECT_EQ((*restored)->trigger_orders().size(), ex.engine().trigger_orders().size());
  ASSERT_NE((*restored)->trigger_orders().find(stop), nullptr);
  EXPECT_EQ((*restored)->trigger_orders().by_client(ex.id("alice"), 3), stop);
}

}  // namespace
}  // namespace glassbook::engine::testing
