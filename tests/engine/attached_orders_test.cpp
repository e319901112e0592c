// Take-profit and stop-loss attached to an order: created as the order fills, for what it filled,
// reduce-only, and one cancelling the other (OCO); refused when malformed; kept by snapshots.
#include <string>
#include <vector>

#include "core/decimal.h"
#include "engine/request_text.h"
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

class AttachedOrders : public ::testing::Test {
 protected:
  void SetUp() override {
    ex.check_invariants_always();
    for (const char* name : {"alice", "bob", "carol", "dave"}) ex.trader(name);
    trade_at(1'000'000);
  }
  // Alice's limit buy of `n` lots at `price` with a take-profit and a stop-loss (USDC tenths; 0: none).
  std::vector<Event> buy_with(int64_t n, int64_t price, int64_t take_profit, int64_t stop_loss, int64_t take_profit_limit = 0) {
    std::vector<std::string> owned = {format_decimal(px(price), 6, true), format_decimal(lots(n), 8, true),
                                      format_decimal(px(take_profit), 6, true), format_decimal(px(stop_loss), 6, true),
                                      format_decimal(px(take_profit_limit), 6, true)};
    std::vector<TextParam> p = {{"symbol", "BTC_USDC"}, {"side", "Bid"}, {"orderType", "Limit"}, {"price", owned[0]}, {"quantity", owned[1]}};
    if (take_profit != 0) p.push_back({"takeProfitTriggerPrice", owned[2]});
    if (stop_loss != 0) p.push_back({"stopLossTriggerPrice", owned[3]});
    if (take_profit_limit != 0) p.push_back({"takeProfitLimitPrice", owned[4]});
    return ex.run(ex.key("alice"), SignedRequest{build_request_text("orderExecute", std::move(p), ex.now() / 1000, 5000)});
  }
  // Alice's own stop: a market sell of one lot when the last price falls to `trigger`.
  std::vector<Event> stop_at(int64_t trigger) {
    std::vector<std::string> owned = {format_decimal(lots(1), 8, true), format_decimal(px(trigger), 6, true)};
    std::vector<TextParam> p = {{"symbol", "BTC_USDC"}, {"side", "Ask"}, {"orderType", "Market"}, {"triggerQuantity", owned[0]},
                                {"triggerPrice", owned[1]}};
    return ex.run(ex.key("alice"), SignedRequest{build_request_text("orderExecute", std::move(p), ex.now() / 1000, 5000)});
  }
  std::vector<Event> trade_at(int64_t price) {
    EXPECT_EQ(rejection(ex.order("bob", Side::Sell, px(price), lots(1))), Error::Ok);
    return ex.order("carol", Side::Buy, px(price), lots(1));
  }
  Exchange ex;
};

TEST_F(AttachedOrders, AFillCreatesATakeProfitAndAStopLossForWhatItFilled) {
  ASSERT_EQ(rejection(ex.order("bob", Side::Sell, px(1'000'000), lots(2))), Error::Ok);
  const auto ev = buy_with(3, 1'000'000, 1'010'000, 990'000);
  const OrderId parent = accepted_id(ev);
  const auto made = of_kind(ev, EventKind::TriggerAccepted);
  ASSERT_EQ(made.size(), 2u);
  EXPECT_EQ(made[0].maker_order_id, parent);
  EXPECT_EQ(made[0].maker_remaining, 1);  // take-profit
  EXPECT_EQ(made[0].price, px(1'010'000));
  EXPECT_EQ(made[0].side, Side::Sell);
  EXPECT_EQ(made[0].quantity, lots(2));
  EXPECT_EQ(made[1].maker_remaining, 2);  // stop-loss
  EXPECT_EQ(made[1].price, px(990'000));
  const TriggerOrder* tp = ex.engine().trigger_orders().find(made[0].order_id);
  ASSERT_NE(tp, nullptr);
  EXPECT_TRUE(tp->rises);
  EXPECT_EQ(tp->sibling, made[1].order_id);
  EXPECT_FALSE(ex.engine().trigger_orders().find(made[1].order_id)->rises);

  // The rest of the order fills later: the same pair grows.
  ASSERT_EQ(rejection(ex.order("dave", Side::Sell, px(1'000'000), lots(1))), Error::Ok);
  const auto grown = of_kind(ex.log(), EventKind::TriggerAccepted);
  EXPECT_EQ(ex.engine().trigger_orders().size(), 2u);
  EXPECT_EQ(ex.engine().trigger_orders().find(made[0].order_id)->order.quantity, lots(3));
  EXPECT_EQ(ex.engine().trigger_orders().find(made[1].order_id)->order.quantity, lots(3));
  EXPECT_EQ(grown.back().quantity, lots(3));
}

TEST_F(AttachedOrders, TheOneThatFiresCancelsTheOther) {
  ASSERT_EQ(rejection(ex.order("bob", Side::Sell, px(1'000'000), lots(2))), Error::Ok);
  const auto made = of_kind(buy_with(2, 1'000'000, 1'010'000, 990'000), EventKind::TriggerAccepted);
  ASSERT_EQ(made.size(), 2u);
  ASSERT_EQ(rejection(ex.order("dave", Side::Buy, px(1'005'000), lots(5))), Error::Ok);  // what the take-profit sells into
  const auto ev = trade_at(1'010'000);
  const auto fired = of_kind(ev, EventKind::TriggerFired);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].order_id, made[0].order_id);
  const auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[1].order_id, made[0].order_id);
  EXPECT_EQ(trades[1].quantity, lots(2));
  const auto cancelled = of_kind(ev, EventKind::OrderCancelled);
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].order_id, made[1].order_id) << "the stop-loss went with it";
  EXPECT_TRUE(ex.engine().trigger_orders().empty());
  EXPECT_TRUE(ex.engine().trigger_orders().all_attached().empty());
}

TEST_F(AttachedOrders, AFiredTakeProfitSellsNoMoreThanIsFree) {
  ASSERT_EQ(rejection(ex.order("bob", Side::Sell, px(1'000'000), lots(2))), Error::Ok);
  const auto made = of_kind(buy_with(2, 1'000'000, 1'010'000, 0), EventKind::TriggerAccepted);
  ASSERT_EQ(made.size(), 1u);
  // Alice puts all but one lot of her BTC (and what fees left below a lot) on a far ask: one lot is
  // free when the take-profit fires.
  const int64_t free_btc = ex.balance("alice", BTC).total - ex.balance("alice", BTC).held;
  ASSERT_EQ(rejection(ex.order("alice", Side::Sell, px(2'000'000), (free_btc - lots(1)) / kLot * kLot)), Error::Ok);
  ASSERT_EQ(rejection(ex.order("dave", Side::Buy, px(1'005'000), lots(5))), Error::Ok);
  const auto trades = of_kind(trade_at(1'010'000), EventKind::Trade);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[1].order_id, made[0].order_id);
  EXPECT_EQ(trades[1].quantity, lots(1));
}

TEST_F(AttachedOrders, MalformedTakeProfitsAndStopLossesAreRefused) {
  const crypto::Digest root = ex.engine().state_root();
  EXPECT_EQ(rejection(buy_with(1, 1'000'000, 0, 0, 1'020'000)), Error::InvalidArgument);
  EXPECT_EQ(ex.engine().last_error(), "takeProfitLimitPrice needs takeProfitTriggerPrice");
  EXPECT_EQ(rejection(buy_with(1, 1'000'000, 60'000'000, 0)), Error::InvalidPrice);
  EXPECT_EQ(ex.engine().last_error(), "takeProfitTriggerPrice: price 6000000 is above the market's maximum price 5000000 USDC");
  EXPECT_EQ(ex.engine().state_root(), root);
}

// The room a take-profit and a stop-loss need under the account's cap is taken when their order is
// placed, not when it fills: other trigger orders cannot use it up in between, so a fill never leaves
// a position without the protection its order asked for.
TEST_F(AttachedOrders, TheirRoomUnderTheCapIsReservedAtPlacement) {
  const OrderId parent = accepted_id(buy_with(2, 990'000, 1'010'000, 980'000));  // rests
  ASSERT_NE(parent, 0u);
  EXPECT_EQ(ex.engine().trigger_orders().slots_of(ex.id("alice")), 2u);
  for (size_t i = 2; i < TriggerOrders::kMaxPerAccount; ++i)
    ASSERT_EQ(rejection(stop_at(970'000 - static_cast<int64_t>(i))), Error::Ok) << i;
  const crypto::Digest root = ex.engine().state_root();
  EXPECT_EQ(rejection(stop_at(960'000)), Error::BookFull);
  EXPECT_EQ(ex.engine().last_error(), "an account may hold at most 32 trigger orders, counting the take-profit and stop-loss its open orders carry");
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_EQ(rejection(buy_with(1, 990'000, 1'010'000, 0)), Error::BookFull) << "no room for another take-profit";

  // The fill creates both, within the room reserved for them.
  ASSERT_EQ(rejection(ex.order("bob", Side::Sell, px(990'000), lots(2))), Error::Ok);
  const auto made = of_kind(ex.log(), EventKind::TriggerAccepted);
  ASSERT_GE(made.size(), 2u);
  EXPECT_EQ(made[made.size() - 2].maker_order_id, parent);
  EXPECT_EQ(made.back().maker_order_id, parent);
  EXPECT_EQ(ex.engine().trigger_orders().count_of(ex.id("alice")), TriggerOrders::kMaxPerAccount);
  EXPECT_EQ(ex.engine().trigger_orders().slots_of(ex.id("alice")), TriggerOrders::kMaxPerAccount);
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored) << restored.status().to_string();
  EXPECT_EQ((*restored)->trigger_orders().slots_of(ex.id("alice")), TriggerOrders::kMaxPerAccount);

  // When the pair is gone and its order done, the room is free again.
  const auto tp = made[made.size() - 2].order_id;
  ASSERT_EQ(rejection(ex.cancel("alice", tp)), Error::Ok);
  EXPECT_EQ(ex.engine().trigger_orders().slots_of(ex.id("alice")), TriggerOrders::kMaxPerAccount) << "the stop-loss still pending";
  ASSERT_EQ(rejection(ex.cancel("alice", made.back().order_id)), Error::Ok);
  EXPECT_EQ(ex.engine().trigger_orders().slots_of(ex.id("alice")), TriggerOrders::kMaxPerAccount - 2);
}

TEST_F(AttachedOrders, WhatAnOrderCarriesIsInTheSnapshot) {
  const auto ev = buy_with(2, 990'000, 1'010'000, 980'000);  // rests: nothing filled yet
  ASSERT_EQ(rejection(ev), Error::Ok);
  EXPECT_EQ(ex.engine().trigger_orders().all_attached().size(), 1u);
  const std::string bytes = ex.engine().snapshot();
  auto restored = Engine::restore(bytes);
  ASSERT_TRUE(restored) << restored.status().to_string();
  EXPECT_EQ((*restored)->state_root(), ex.engine().state_root());
  EXPECT_EQ((*restored)->snapshot(), bytes);
  EXPECT_EQ((*restored)->trigger_orders().all_attached(), ex.engine().trigger_orders().all_attached());
  // Cancelled before any fill, it leaves nothing behind.
  ex.cancel("alice", accepted_id(ev));
  EXPECT_TRUE(ex.engine().trigger_orders().all_attached().empty());
}

}  // namespace
}  // namespace glassbook::engine::testing
