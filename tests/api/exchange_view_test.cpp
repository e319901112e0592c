// ExchangeView, private side: balances, order statuses through fills, expiry and cancel, fills with
// fees, deposits, order lookups and the order-update stream.
#include "view_harness.h"

namespace glassbook::api::testing {
namespace {

constexpr int64_t kCentiBtc = kBtcUnit / 100;  // 0.01 BTC

class OrdersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    alice = h.open("alice");
    bob = h.open("bob");
    h.deposit("alice", USDC, 1000 * kUsdc);
    h.deposit("bob", BTC, kBtcUnit);
  }
  Json capital(AccountId a) { return Json(h.view().capital(a)); }
  Json order(AccountId a, OrderId id) {
    auto r = h.view().order(a, "BTC_USDC", id, std::nullopt);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return Json(r.is_ok() ? r.value() : "{}");
  }

  ViewHarness h;
  AccountId alice = 0, bob = 0;
};

TEST_F(OrdersTest, BalancesAndStatusesThroughPartialFillFillExpiryAndCancel) {
  Json c0 = capital(alice);
  EXPECT_EQ(str(c0.root["USDC"], "available"), "1000");
  EXPECT_EQ(str(c0.root["USDC"], "locked"), "0");
  EXPECT_EQ(str(c0.root["USDC"], "staked"), "0");
  EXPECT_EQ(str(c0.root["BTC"], "available"), "0");

  // Alice bids 0.01 BTC at 50,000: 500 USDC locked.
  const OrderId a = accepted_id(h.order("alice", kBtc, Side::Buy, usd(50'000), kCentiBtc, TimeInForce::GTC, 7));
  Json c1 = capital(alice);
  EXPECT_EQ(str(c1.root["USDC"], "available"), "500");
  EXPECT_EQ(str(c1.root["USDC"], "locked"), "500");
  Json open = Json(h.view().open_orders(alice, ""));
  ASSERT_EQ(count(open.root), 1u);
  auto o = at(open.root, 0);
  EXPECT_EQ(str(o, "id"), std::to_string(a));
  EXPECT_EQ(num(o, "clientId"), 7);
  EXPECT_EQ(str(o, "symbol"), "BTC_USDC");
  EXPECT_EQ(str(o, "side"), "Bid");
  EXPECT_EQ(str(o, "orderType"), "Limit");
  EXPECT_EQ(str(o, "timeInForce"), "GTC");
  EXPECT_FALSE(bool(o["postOnly"]));
  EXPECT_EQ(str(o, "selfTradePrevention"), "RejectTaker");
  EXPECT_EQ(str(o, "price"), "50000.0");
  EXPECT_EQ(str(o, "quantity"), "0.01000");
  EXPECT_EQ(str(o, "executedQuantity"), "0.00000");
  EXPECT_EQ(str(o, "executedQuoteQuantity"), "0");
  EXPECT_EQ(str(o, "status"), "New");
  EXPECT_EQ(num(o, "createdAt"), kStart / 1000);

  // Bob sells 0.004 into it: Bob's order fills, Alice's is partially filled.
  const OrderId b = accepted_id(h.order("bob", kBtc, Side::Sell, usd(50'000), 4 * kCentiBtc / 10));
  EXPECT_EQ(str(order(alice, a).root, "status"), "PartiallyFilled");
  EXPECT_EQ(str(order(alice, a).root, "executedQuantity"), "0.00400");
  EXPECT_EQ(str(order(alice, a).root, "executedQuoteQuantity"), "200");
  EXPECT_EQ(str(order(bob, b).root, "status"), "Filled");
  Json c2 = capital(alice);
  EXPECT_EQ(str(c2.root["USDC"], "available"), "500");
  EXPECT_EQ(str(c2.root["USDC"], "locked"), "300");
  EXPECT_EQ(str(c2.root["BTC"], "available"), "0.0039992");  // 0.004 less the 2 bp maker fee
  Json c3 = capital(bob);
  EXPECT_EQ(str(c3.root["BTC"], "available"), "0.996");
  EXPECT_EQ(str(c3.root["USDC"], "available"), "199.9");  // 200 less the 5 bp taker fee

  // Bob's IOC sell of 0.01 takes the remaining 0.006 and expires.
  const OrderId c = accepted_id(h.order("bob", kBtc, Side::Sell, usd(50'000), kCentiBtc, TimeInForce::IOC));
  EXPECT_EQ(str(order(alice, a).root, "status"), "Filled");
  Json co = order(bob, c);
  EXPECT_EQ(str(co.root, "status"), "Expired");
  EXPECT_EQ(str(co.root, "timeInForce"), "IOC");
  EXPECT_EQ(str(co.root, "executedQuantity"), "0.00600");
  EXPECT_EQ(str(co.root, "executedQuoteQuantity"), "300");
  Json c4 = capital(alice);
  EXPECT_EQ(str(c4.root["USDC"], "available"), "500");
  EXPECT_EQ(str(c4.root["USDC"], "locked"), "0");
  EXPECT_EQ(str(c4.root["BTC"], "available"), "0.009998");
  Json c5 = capital(bob);
  EXPECT_EQ(str(c5.root["BTC"], "available"), "0.99");
  EXPECT_EQ(str(c5.root["USDC"], "available"), "499.75");

  // Alice bids again and cancels.
  const OrderId d = accepted_id(h.order("alice", kBtc, Side::Buy, usd(49'000), kCentiBtc / 10));
  EXPECT_EQ(str(capital(alice).root["USDC"], "locked"), "49");
  h.cancel("alice", kBtc, d);
  EXPECT_EQ(str(order(alice, d).root, "status"), "Cancelled");
  EXPECT_EQ(str(capital(alice).root["USDC"], "locked"), "0");
  EXPECT_EQ(count(Json(h.view().open_orders(alice, "")).root), 0u);

  // History: newest first, ISO times, expiry reasons.
  Json hist = Json(h.view().order_history(bob, "", 10, 0));
  ASSERT_EQ(count(hist.root), 2u);
  EXPECT_EQ(str(at(hist.root, 0), "id"), std::to_string(c));
  EXPECT_EQ(str(at(hist.root, 0), "expiryReason"), "ImmediateOrCancel");
  EXPECT_EQ(str(at(hist.root, 0), "createdAt"), "2024-01-01T00:00:00.000");
  EXPECT_EQ(str(at(hist.root, 1), "status"), "Filled");
  EXPECT_TRUE(is_null(at(hist.root, 1), "expiryReason"));
  Json ahist = Json(h.view().order_history(alice, "BTC_USDC", 1, 1));  // limit 1, offset 1
  ASSERT_EQ(count(ahist.root), 1u);
  EXPECT_EQ(str(at(ahist.root, 0), "id"), std::to_string(a));
  EXPECT_EQ(count(Json(h.view().order_history(alice, "SOL_USDC", 10, 0)).root), 0u);
  EXPECT_EQ(count(Json(h.view().order_history(alice, "NOPE", 10, 0)).root), 0u);
}

TEST_F(OrdersTest, FillsCarryFeesAndSides) {
  const OrderId a = accepted_id(h.order("alice", kBtc, Side::Buy, usd(50'000), kCentiBtc, TimeInForce::GTC, 7));
  const OrderId b = accepted_id(h.order("bob", kBtc, Side::Sell, usd(50'000), 4 * kCentiBtc / 10));
  Json af = Json(h.view().fills(alice, "", 100, 0));
  ASSERT_EQ(count(af.root), 1u);
  auto f = at(af.root, 0);
  EXPECT_EQ(num(f, "tradeId"), 1);
  EXPECT_EQ(str(f, "orderId"), std::to_string(a));
  EXPECT_EQ(str(f, "clientId"), "7");
  EXPECT_EQ(str(f, "symbol"), "BTC_USDC");
  EXPECT_EQ(str(f, "side"), "Bid");
  EXPECT_EQ(str(f, "price"), "50000.0");
  EXPECT_EQ(str(f, "quantity"), "0.00400");
  EXPECT_EQ(str(f, "fee"), "0.0000008");
  EXPECT_EQ(str(f, "feeSymbol"), "BTC");
  EXPECT_TRUE(bool(f["isMaker"]));
  EXPECT_EQ(str(f, "timestamp"), "2024-01-01T00:00:00.000");
  Json bf = Json(h.view().fills(bob, "BTC_USDC", 100, 0));
  ASSERT_EQ(count(bf.root), 1u);
  EXPECT_EQ(str(at(bf.root, 0), "orderId"), std::to_string(b));
  EXPECT_TRUE(is_null(at(bf.root, 0), "clientId"));
  EXPECT_EQ(str(at(bf.root, 0), "side"), "Ask");
  EXPECT_EQ(str(at(bf.root, 0), "fee"), "0.1");
  EXPECT_EQ(str(at(bf.root, 0), "feeSymbol"), "USDC");
  EXPECT_FALSE(bool(at(bf.root, 0)["isMaker"]));
  EXPECT_EQ(count(Json(h.view().fills(bob, "SOL_USDC", 100, 0)).root), 0u);
  // Newest first, with offset.
  h.order("bob", kBtc, Side::Sell, usd(50'000), kCentiBtc / 10);
  Json page = Json(h.view().fills(alice, "", 1, 1));
  ASSERT_EQ(count(page.root), 1u);
  EXPECT_EQ(num(at(page.root, 0), "tradeId"), 1);
  EXPECT_EQ(num(at(Json(h.view().fills(alice, "", 1, 0)).root, 0), "tradeId"), 2);
}

TEST_F(OrdersTest, DepositsNewestFirst) {
  h.deposit("alice", BTC, kBtcUnit / 4);
  Json d = Json(h.view().deposits(alice, 10, 0));
  ASSERT_EQ(count(d.root), 2u);
  EXPECT_EQ(str(at(d.root, 0), "symbol"), "BTC");
  EXPECT_EQ(str(at(d.root, 0), "quantity"), "0.25");
  EXPECT_EQ(str(at(d.root, 0), "status"), "confirmed");
  EXPECT_EQ(str(at(d.root, 1), "symbol"), "USDC");
  EXPECT_EQ(str(at(d.root, 1), "quantity"), "1000");
  EXPECT_EQ(str(at(d.root, 1), "createdAt"), "2024-01-01T00:00:00.000");
  EXPECT_GT(num(at(d.root, 0), "id"), num(at(d.root, 1), "id"));
  EXPECT_EQ(count(Json(h.view().deposits(alice, 10, 1)).root), 1u);
  EXPECT_EQ(count(Json(h.view().deposits(bob + 100, 10, 0)).root), 0u);
}

TEST_F(OrdersTest, LookupsByIdAndClientId) {
  const OrderId a = accepted_id(h.order("alice", kBtc, Side::Buy, usd(40'000), kCentiBtc, TimeInForce::GTC, 99));
  auto by_client = h.view().order(alice, "BTC_USDC", std::nullopt, 99u);
  ASSERT_TRUE(by_client.is_ok());
  EXPECT_EQ(str(Json(by_client.value()).root, "id"), std::to_string(a));
  EXPECT_EQ(h.view().order(alice, "SOL_USDC", a, std::nullopt).code(), Error::OrderNotFound);
  EXPECT_EQ(h.view().order(bob, "BTC_USDC", a, std::nullopt).code(), Error::OrderNotFound);
  EXPECT_EQ(h.view().order(alice, "BTC_USDC", a + 100, std::nullopt).code(), Error::OrderNotFound);
  EXPECT_EQ(h.view().order(alice, "BTC_USDC", std::nullopt, std::nullopt).code(), Error::InvalidArgument);
  EXPECT_EQ(h.view().order(alice, "BTC_USDC", a, 99u).code(), Error::InvalidArgument);
  auto unknown = h.view().order(alice, "DOGE_USDC", a, std::nullopt);
  EXPECT_EQ(unknown.code(), Error::UnknownMarket);
  EXPECT_EQ(unknown.status().message(), "unknown symbol DOGE_USDC");
  auto placed = h.view().order_by_id(alice, a);
  ASSERT_TRUE(placed.is_ok());
  EXPECT_EQ(str(Json(placed.value()).root, "status"), "New");
  EXPECT_EQ(h.view().order_by_id(bob, a).code(), Error::OrderNotFound);
  // Open orders filter by symbol.
  EXPECT_EQ(count(Json(h.view().open_orders(alice, "BTC_USDC")).root), 1u);
  EXPECT_EQ(count(Json(h.view().open_orders(alice, "SOL_USDC")).root), 0u);
  EXPECT_EQ(count(Json(h.view().open_orders(alice, "NOPE")).root), 0u);
}

TEST_F(OrdersTest, PostOnlyFokMarketAndAmend) {
  const OrderId rest = accepted_id(h.order("alice", kBtc, Side::Buy, usd(50'000), kCentiBtc));
  // Post-only sell that would cross: expired.
  const OrderId po = accepted_id(h.order("bob", kBtc, Side::Sell, usd(49'000), kCentiBtc, TimeInForce::PostOnly));
  Json pj = order(bob, po);
  EXPECT_EQ(str(pj.root, "status"), "Expired");
  EXPECT_EQ(str(pj.root, "timeInForce"), "GTC");
  EXPECT_TRUE(bool(pj.root["postOnly"]));
  EXPECT_EQ(str(at(Json(h.view().order_history(bob, "", 1, 0)).root, 0), "expiryReason"), "PostOnlyTaker");
  // FOK larger than the book: expired without trading.
  const OrderId fok = accepted_id(h.order("bob", kBtc, Side::Sell, usd(50'000), 2 * kCentiBtc, TimeInForce::FOK));
  EXPECT_EQ(str(order(bob, fok).root, "status"), "Expired");
  EXPECT_EQ(str(order(bob, fok).root, "executedQuantity"), "0.00000");
  EXPECT_EQ(str(at(Json(h.view().order_history(bob, "", 1, 0)).root, 0), "expiryReason"), "FillOrKill");
  // Amend the resting bid down in quantity, then up in price.
  h.amend("alice", kBtc, rest, usd(50'000), kCentiBtc / 2);
  EXPECT_EQ(str(order(alice, rest).root, "quantity"), "0.00500");
  h.amend("alice", kBtc, rest, usd(50'100), kCentiBtc / 2);
  EXPECT_EQ(str(order(alice, rest).root, "price"), "50100.0");
  EXPECT_EQ(str(order(alice, rest).root, "status"), "New");
  EXPECT_EQ(str(capital(alice).root["USDC"], "locked"), "250.5");
  // A market sell takes it at 50,100: a Market order shows no price.
  const OrderId mkt = accepted_id(h.order("bob", kBtc, Side::Sell, 0, kCentiBtc / 2, TimeInForce::GTC, 0, Stp::CancelNewest,
                                          OrderType::Market));
  Json mj = order(bob, mkt);
  EXPECT_EQ(str(mj.root, "orderType"), "Market");
  EXPECT_TRUE(is_null(mj.root, "price"));
  EXPECT_EQ(str(mj.root, "status"), "Filled");
  EXPECT_EQ(str(mj.root, "executedQuoteQuantity"), "250.5");
  EXPECT_EQ(str(order(alice, rest).root, "status"), "Filled");
}

TEST_F(OrdersTest, OrderUpdateStream) {
  const std::string all_a = "account.orderUpdate#" + std::to_string(alice);
  const std::string btc_b = "account.orderUpdate.BTC_USDC#" + std::to_string(bob);
  const OrderId a = accepted_id(h.order("alice", kBtc, Side::Buy, usd(50'000), kCentiBtc, TimeInForce::GTC, 7));
  const OrderId c = accepted_id(h.order("bob", kBtc, Side::Sell, usd(50'000), 2 * kCentiBtc, TimeInForce::IOC));
  h.cancel("alice", kBtc, accepted_id(h.order("alice", kBtc, Side::Buy, usd(1'000), kCentiBtc)));

  auto mine = h.data_of(all_a, "account.orderUpdate");
  ASSERT_EQ(mine.size(), 4u);
  EXPECT_EQ(str(mine[0].root, "e"), "orderAccepted");
  EXPECT_EQ(str(mine[0].root, "X"), "New");
  EXPECT_EQ(str(mine[0].root, "i"), std::to_string(a));
  EXPECT_EQ(num(mine[0].root, "c"), 7);
  EXPECT_EQ(str(mine[0].root, "S"), "Bid");
  EXPECT_EQ(str(mine[0].root, "o"), "LIMIT");
  EXPECT_EQ(str(mine[0].root, "f"), "GTC");
  EXPECT_EQ(str(mine[0].root, "q"), "0.01000");
  EXPECT_EQ(str(mine[0].root, "p"), "50000.0");
  EXPECT_EQ(str(mine[0].root, "V"), "RejectTaker");
  EXPECT_EQ(num(mine[0].root, "E"), kStart + 4);  // after 4 setup commands
  EXPECT_EQ(num(mine[0].root, "T"), kStart + 4);
  EXPECT_EQ(str(mine[1].root, "e"), "orderFill");
  EXPECT_EQ(str(mine[1].root, "X"), "Filled");
  EXPECT_EQ(str(mine[1].root, "l"), "0.01000");
  EXPECT_EQ(str(mine[1].root, "L"), "50000.0");
  EXPECT_EQ(str(mine[1].root, "z"), "0.01000");
  EXPECT_EQ(str(mine[1].root, "Z"), "500");
  EXPECT_TRUE(bool(mine[1].root["m"]));
  EXPECT_EQ(str(mine[1].root, "n"), "0.000002");
  EXPECT_EQ(str(mine[1].root, "N"), "BTC");
  EXPECT_EQ(num(mine[1].root, "t"), 1);
  EXPECT_EQ(str(mine[2].root, "e"), "orderAccepted");
  EXPECT_EQ(str(mine[3].root, "e"), "orderCancelled");
  EXPECT_EQ(str(mine[3].root, "X"), "Cancelled");

  auto theirs = h.data_of(btc_b, "account.orderUpdate.BTC_USDC");
  ASSERT_EQ(theirs.size(), 3u);
  EXPECT_EQ(str(theirs[0].root, "e"), "orderAccepted");
  EXPECT_EQ(str(theirs[0].root, "f"), "IOC");
  EXPECT_EQ(str(theirs[1].root, "e"), "orderFill");
  EXPECT_EQ(str(theirs[1].root, "X"), "PartiallyFilled");
  EXPECT_FALSE(bool(theirs[1].root["m"]));
  EXPECT_EQ(str(theirs[1].root, "n"), "0.25");
  EXPECT_EQ(str(theirs[1].root, "N"), "USDC");
  EXPECT_EQ(str(theirs[2].root, "e"), "orderExpired");
  EXPECT_EQ(str(theirs[2].root, "X"), "Expired");
  EXPECT_EQ(str(theirs[2].root, "R"), "ImmediateOrCancel");
  EXPECT_EQ(str(theirs[2].root, "i"), std::to_string(c));
  EXPECT_EQ(str(theirs[2].root, "z"), "0.01000");
  // Nobody else's updates, and no SOL_USDC ones.
  EXPECT_TRUE(h.frames_of("account.orderUpdate.SOL_USDC#" + std::to_string(bob)).empty());
  EXPECT_EQ(h.frames_of("account.orderUpdate#" + std::to_string(bob)).size(), 3u);
}

}  // namespace
}  // namespace glassbook::api::testing
