// Engine refusals on the wire: the Backpack code and the engine's own message, naming the rule and
// its limit, for a single order, an order in a batch and a cancel.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <simdjson.h>

#include "api/gateway.h"
#include "engine/request_text.h"
#include "gateway_rig.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;

std::string message_of(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  std::string_view m;
  if (parser.parse(body).get(e) != simdjson::SUCCESS || e["message"].get(m) != simdjson::SUCCESS) return "<no message>";
  return std::string(m);
}

// A single order as JSON and as the text the client signs (its fields in alphabetical order).
HttpRequest order(GatewayRig& rig, const crypto::KeyPair& key, std::string_view type, std::string_view side, std::string_view price,
                  std::string_view quantity) {
  std::string body = fmt::format(R"({{"symbol":"SOL_USDC","side":"{}","orderType":"{}","quantity":"{}")", side, type, quantity);
  std::string text = fmt::format("instruction=orderExecute&orderType={}", type);
  if (!price.empty()) {
    body += fmt::format(R"(,"price":"{}")", price);
    text += fmt::format("&price={}", price);
  }
  body += "}";
  text += fmt::format("&quantity={}&side={}&symbol=SOL_USDC&timestamp={}&window=5000", quantity, side, kNow);
  return rig.request(key, "POST", "/api/v1/order", body, text);
}

TEST(GatewayRefusal, APriceAboveTheMaximumNamesTheMaximum) {
  GatewayRig rig;
  HttpResponse r = rig.call(order(rig, rig.alice_, "Limit", "Ask", "100001", "1"));
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(code_of(r), "INVALID_PRICE");
  EXPECT_EQ(message_of(r.body), "price 100001 is above the market's maximum price 100000 USDC") << r.body;
}

TEST(GatewayRefusal, AMarketOrderOnAnEmptyBookSaysSo) {
  GatewayRig rig;
  HttpResponse r = rig.call(order(rig, rig.alice_, "Market", "Bid", "", "1"));
  EXPECT_EQ(code_of(r), "INVALID_PRICE") << r.body;
  EXPECT_EQ(message_of(r.body),
            "a market order without a price needs resting orders to trade against: the SOL_USDC book has no asks; send a price or a limit order")
      << r.body;
}

TEST(GatewayRefusal, ANotionalOverflowNamesTheLargestAmount) {
  GatewayRig rig;
  HttpResponse r = rig.call(order(rig, rig.alice_, "Limit", "Bid", "100000", "100000000"));
  EXPECT_EQ(code_of(r), "INVALID_ORDER") << r.body;
  EXPECT_EQ(message_of(r.body), "order notional out of range: price x quantity must be at most 9223372036854.775807 USDC") << r.body;
}

TEST(GatewayRefusal, EachRefusedOrderOfABatchCarriesItsMessage) {
  GatewayRig rig;
  const std::string body =
      R"([{"symbol":"SOL_USDC","side":"Ask","orderType":"Limit","price":"100001","quantity":"1"},)"
      R"({"symbol":"SOL_USDC","side":"Ask","orderType":"Limit","price":"150","quantity":"1"}])";
  auto params = [](std::string_view price) {
    return std::vector<engine::TextParam>{{"symbol", "SOL_USDC"}, {"side", "Ask"}, {"orderType", "Limit"}, {"price", price}, {"quantity", "1"}};
  };
  const std::vector<std::vector<engine::TextParam>> orders = {params("100001"), params("150")};
  const std::string text = engine::build_batch_text("orderExecute", orders, kNow, 5000);
  HttpResponse r = rig.call(rig.request(rig.alice_, "POST", "/api/v1/orders", body, text));
  ASSERT_EQ(r.status, 200u) << r.body;
  simdjson::dom::parser parser;
  simdjson::dom::array entries = parser.parse(r.body).get_array();
  ASSERT_EQ(entries.size(), 2u) << r.body;
  std::string_view code, message;
  ASSERT_EQ(entries.at(0)["code"].get(code), simdjson::SUCCESS) << r.body;
  EXPECT_EQ(code, "INVALID_PRICE");
  ASSERT_EQ(entries.at(0)["message"].get(message), simdjson::SUCCESS);
  EXPECT_EQ(message, "price 100001 is above the market's maximum price 100000 USDC");
  EXPECT_EQ(entries.at(1)["status"].get_string().value(), "New") << r.body;
}

}  // namespace
}  // namespace glassbook::api
