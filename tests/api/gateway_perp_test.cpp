// The gateway with a perpetual market: orders through the usual endpoints, the public perpetual
// endpoints and the signed position, collateral, funding and fill queries (auth required).
#include "../engine/perp_fixture.h"
#include "gateway_rig.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;
using PerpFixture = engine::testing::PerpExchange;

class PerpGateway : public ::testing::Test {
 protected:
  PerpGateway() : rig([](engine::ExchangeConfig& c) { engine::testing::add_perpetual(c, PerpFixture::oracle_keys()); }) {
    for (int i = 0; i < engine::testing::kOracleSources; ++i)
      rig.submit_native(PerpFixture::source(i), engine::OracleUpdate{{{engine::testing::BTC, 50'000'000'000}}});
  }

  HttpResponse get(std::string path, std::string query = {}) {
    HttpRequest r;
    r.method = "GET";
    r.path = std::move(path);
    r.query = std::move(query);
    r.remote_ip = "127.0.0.1";
    return rig.call(std::move(r));
  }
  // A signed GET: `params` sorted as the signing text wants them ("a=1&b=2"), sent as the query.
  HttpResponse signed_get(const crypto::KeyPair& key, std::string path, std::string_view instruction, std::string params = {}) {
    const std::string text = fmt::format("instruction={}&{}{}timestamp={}&window=5000", instruction, params,
                                         params.empty() ? "" : "&", kNow);
    HttpRequest r = rig.request(key, "GET", std::move(path), "", text);
    r.query = std::move(params);
    return rig.call(std::move(r));
  }
  HttpResponse order(const crypto::KeyPair& key, std::string_view side) {
    const std::string body =
        fmt::format(R"({{"symbol":"BTC_PERP","side":"{}","orderType":"Limit","price":"50000","quantity":"1"}})", side);
    const std::string text = fmt::format(
        "instruction=orderExecute&orderType=Limit&price=50000&quantity=1&side={}&symbol=BTC_PERP&timestamp={}&window=5000", side, kNow);
    return rig.call(rig.request(key, "POST", "/api/v1/order", body, text));
  }

  GatewayRig rig;
};

TEST_F(PerpGateway, PublicPerpetualEndpoints) {
  HttpResponse markets = get("/api/v1/markets");
  EXPECT_NE(markets.body.find(R"("symbol":"BTC_PERP","baseSymbol":"BTC","quoteSymbol":"USDC","marketType":"PERP")"), std::string::npos)
      << markets.body;
  HttpResponse one = get("/api/v1/market", "symbol=BTC_PERP");
  ASSERT_EQ(one.status, 200u) << one.body;
  EXPECT_NE(one.body.find(R"("fundingInterval":3600000)"), std::string::npos) << one.body;
  EXPECT_EQ(code_of(get("/api/v1/market", "symbol=NOPE")), "INVALID_MARKET");
  EXPECT_EQ(code_of(get("/api/v1/market")), "INVALID_CLIENT_REQUEST");

  HttpResponse mp = get("/api/v1/markPrices");
  ASSERT_EQ(mp.status, 200u) << mp.body;
  EXPECT_NE(mp.body.find(R"("indexPrice":"50000.0")"), std::string::npos) << mp.body;
  EXPECT_NE(mp.body.find(R"("fundingRate":"0.0001")"), std::string::npos) << mp.body;
  EXPECT_EQ(get("/api/v1/markPrices", "symbol=BTC_PERP").body, mp.body);  // the only perpetual
  HttpResponse spot = get("/api/v1/markPrices", "symbol=SOL_USDC");
  EXPECT_EQ(spot.status, 400u);
  EXPECT_EQ(code_of(spot), "INVALID_MARKET");
  EXPECT_EQ(code_of(get("/api/v1/markPrices", "symbol=NOPE")), "INVALID_MARKET");

  EXPECT_EQ(code_of(get("/api/v1/fundingRates")), "INVALID_CLIENT_REQUEST");  // symbol is required
  HttpResponse rates = get("/api/v1/fundingRates", "symbol=BTC_PERP");
  EXPECT_EQ(rates.status, 200u);
  EXPECT_EQ(rates.body, "[]");
  EXPECT_EQ(code_of(get("/api/v1/fundingRates", "symbol=BTC_USDC")), "INVALID_MARKET");
  EXPECT_EQ(code_of(get("/api/v1/openInterest", "symbol=SOL_USDC")), "INVALID_MARKET");
}

TEST_F(PerpGateway, PositionsCollateralFundingAndFillsNeedTheAccountsSignature) {
  HttpResponse sell = order(rig.bob_, "Ask");
  ASSERT_EQ(sell.status, 200u) << sell.body;
  HttpResponse buy = order(rig.alice_, "Bid");
  ASSERT_EQ(buy.status, 200u) << buy.body;
  EXPECT_NE(buy.body.find(R"("status":"Filled")"), std::string::npos) << buy.body;
  EXPECT_NE(buy.body.find(R"("symbol":"BTC_PERP")"), std::string::npos) << buy.body;

  HttpResponse oi = get("/api/v1/openInterest");
  EXPECT_NE(oi.body.find(R"("symbol":"BTC_PERP","openInterest":"1")"), std::string::npos) << oi.body;

  HttpResponse pos = signed_get(rig.alice_, "/api/v1/position", "positionQuery");
  ASSERT_EQ(pos.status, 200u) << pos.body;
  EXPECT_NE(pos.body.find(R"("netQuantity":"1")"), std::string::npos) << pos.body;
  EXPECT_NE(pos.body.find(R"("entryPrice":"50000.0")"), std::string::npos) << pos.body;
  HttpResponse short_pos = signed_get(rig.bob_, "/api/v1/position", "positionQuery", "symbol=BTC_PERP");
  EXPECT_NE(short_pos.body.find(R"("netQuantity":"-1")"), std::string::npos) << short_pos.body;
  EXPECT_EQ(code_of(signed_get(rig.bob_, "/api/v1/position", "positionQuery", "symbol=SOL_USDC")), "INVALID_MARKET");

  HttpResponse col = signed_get(rig.alice_, "/api/v1/capital/collateral", "collateralQuery");
  ASSERT_EQ(col.status, 200u) << col.body;
  EXPECT_NE(col.body.find(R"("netExposureFutures":"50000")"), std::string::npos) << col.body;
  EXPECT_NE(col.body.find(R"("initialMargin":"5000")"), std::string::npos) << col.body;

  HttpResponse funding = signed_get(rig.alice_, "/wapi/v1/history/funding", "fundingHistoryQueryAll");
  ASSERT_EQ(funding.status, 200u) << funding.body;
  EXPECT_EQ(funding.body, "[]");  // the sequencer's clock never reaches the funding time here

  HttpResponse fills = signed_get(rig.alice_, "/wapi/v1/history/fills", "fillHistoryQueryAll", "fillType=User&symbol=BTC_PERP");
  ASSERT_EQ(fills.status, 200u) << fills.body;
  EXPECT_NE(fills.body.find(R"("feeSymbol":"USDC")"), std::string::npos) << fills.body;
  EXPECT_EQ(signed_get(rig.alice_, "/wapi/v1/history/fills", "fillHistoryQueryAll", "fillType=Adl").body, "[]");

  // Unsigned or signed for another instruction: refused.
  for (const char* path : {"/api/v1/position", "/api/v1/capital/collateral", "/wapi/v1/history/funding"}) {
    HttpResponse anonymous = get(path);
    EXPECT_EQ(anonymous.status, 401u) << path;
    EXPECT_EQ(code_of(anonymous), "UNAUTHORIZED") << path;
    EXPECT_EQ(code_of(signed_get(rig.alice_, path, "balanceQuery")), "INVALID_SIGNATURE") << path;
  }
}

// Backpack's triggerQuantity "50%" through the gateway: answered as the share while it waits, then
// the order it became; on a spot market it is refused with the rule.
TEST_F(PerpGateway, AStopForAShareOfThePositionIsAnsweredAsTheShare) {
  ASSERT_EQ(order(rig.bob_, "Ask").status, 200u);
  ASSERT_EQ(order(rig.alice_, "Bid").status, 200u);  // alice is long 1 BTC
  const auto stop = [&](std::string_view symbol) {
    const std::string body = fmt::format(
        R"({{"symbol":"{}","side":"Ask","orderType":"Market","triggerPrice":"48000","triggerQuantity":"50%","triggerBy":"MarkPrice"}})", symbol);
    const std::string text = fmt::format(
        "instruction=orderExecute&orderType=Market&side=Ask&symbol={}&triggerBy=MarkPrice&triggerPrice=48000&triggerQuantity=50%"
        "&timestamp={}&window=5000",
        symbol, kNow);
    return rig.call(rig.request(rig.alice_, "POST", "/api/v1/order", body, text));
  };
  HttpResponse placed = stop("BTC_PERP");
  ASSERT_EQ(placed.status, 200u) << placed.body;
  EXPECT_NE(placed.body.find(R"("triggerQuantity":"50%")"), std::string::npos) << placed.body;
  EXPECT_NE(placed.body.find(R"("status":"TriggerPending")"), std::string::npos) << placed.body;
  HttpResponse open = signed_get(rig.alice_, "/api/v1/orders", "orderQueryAll", "symbol=BTC_PERP");
  ASSERT_EQ(open.status, 200u) << open.body;
  EXPECT_NE(open.body.find(R"("triggerQuantity":"50%")"), std::string::npos) << open.body;

  HttpResponse spot = stop("SOL_USDC");
  EXPECT_EQ(spot.status, 400u) << spot.body;
  EXPECT_NE(spot.body.find("triggerQuantity as a share of the position is for perpetual markets: SOL_USDC is spot"), std::string::npos)
      << spot.body;
}

}  // namespace
}  // namespace glassbook::api
