// Trigger (stop) orders through the gateway, as ccxt sends them (triggerPrice, triggerQuantity): the
// answer and the order queries with Backpack's statuses, the order-update stream, cancels, and replay.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <optional>

#include "api/gateway.h"
#include "gateway_rig.h"
#include "recording_connection.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;
using testing::RecordingConnection;
using testing::signed_subscribe;

using Fields = std::vector<std::pair<std::string, std::string>>;

// A signed request from its fields (key, value), over the text the gateway rebuilds.
HttpRequest signed_call(GatewayRig& rig, const crypto::KeyPair& key, const char* method, const char* path, const char* instruction,
                        Fields fields) {
  fields.emplace_back("symbol", "SOL_USDC");
  std::sort(fields.begin(), fields.end());
  std::string body = "{", text = fmt::format("instruction={}", instruction), query;
  for (size_t i = 0; i < fields.size(); ++i) {
    body += fmt::format(R"({}"{}":"{}")", i ? "," : "", fields[i].first, fields[i].second);
    text += fmt::format("&{}={}", fields[i].first, fields[i].second);
    query += fmt::format("{}{}={}", i ? "&" : "", fields[i].first, fields[i].second);
  }
  body += "}";
  text += fmt::format("&timestamp={}&window=5000", kNow);
  HttpRequest r = rig.request(key, method, path, std::string_view(method) == "GET" ? "" : body, text);
  if (std::string_view(method) == "GET") r.query = query;
  return r;
}
HttpRequest order(GatewayRig& rig, const crypto::KeyPair& key, Fields fields) {
  return signed_call(rig, key, "POST", "/api/v1/order", "orderExecute", std::move(fields));
}

std::string field(const std::string& json, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  std::string_view v;
  if (parser.parse(json).get(e) != simdjson::SUCCESS || e[key].get(v) != simdjson::SUCCESS) return "<none>";
  return std::string(v);
}

// Bob rests bids of 2 SOL at 149 and 148 and an ask of 1 SOL at 150, which alice buys: the last price is 150.
void trade_at_150(GatewayRig& rig) {
  for (auto [side, price, quantity] : {std::tuple{"Bid", "149", "2"}, {"Bid", "148", "2"}, {"Ask", "150", "1"}})
    ASSERT_EQ(rig.call(order(rig, rig.bob_, {{"side", side}, {"orderType", "Limit"}, {"price", price}, {"quantity", quantity}})).status, 200u);
  ASSERT_EQ(rig.call(order(rig, rig.alice_, {{"side", "Bid"}, {"orderType", "Limit"}, {"price", "150"}, {"quantity", "1"}})).status, 200u);
}

// A stop-market sell of 1 SOL at 149.5, as ccxt's createOrder(..., 'market', 'sell', 1, undefined, {triggerPrice: 149.5}) sends it.
Fields stop_sell(const char* client_id = nullptr, const char* trigger = "149.5") {
  Fields f = {{"side", "Ask"}, {"orderType", "Market"}, {"triggerPrice", trigger}, {"triggerQuantity", "1"}};
  if (client_id != nullptr) f.emplace_back("clientId", client_id);
  return f;
}

TEST(GatewayTrigger, AStopIsPendingThenFiresUnderItsOwnId) {
  GatewayRig rig;
  trade_at_150(rig);
  HttpResponse placed = rig.call(order(rig, rig.alice_, stop_sell()));
  ASSERT_EQ(placed.status, 200u) << placed.body;
  EXPECT_EQ(field(placed.body, "status"), "TriggerPending") << placed.body;
  EXPECT_EQ(field(placed.body, "triggerPrice"), "149.50") << placed.body;
  EXPECT_EQ(field(placed.body, "triggerQuantity"), "1.00") << placed.body;
  EXPECT_EQ(field(placed.body, "triggerBy"), "LastPrice") << placed.body;
  const std::string id = field(placed.body, "id");

  HttpResponse open = rig.call(signed_call(rig, rig.alice_, "GET", "/api/v1/orders", "orderQueryAll", {}));
  ASSERT_EQ(open.status, 200u) << open.body;
  EXPECT_NE(open.body.find(R"("status":"TriggerPending")"), std::string::npos) << open.body;
  EXPECT_NE(open.body.find(fmt::format(R"("id":"{}")", id)), std::string::npos) << open.body;

  // Alice sells 1 SOL into bob's bid at 149: the last price reaches the trigger, and the stop sells
  // its 1 SOL into what is left there.
  ASSERT_EQ(rig.call(order(rig, rig.alice_, {{"side", "Ask"}, {"orderType", "Limit"}, {"price", "149"}, {"quantity", "1"}})).status, 200u);
  HttpResponse fired = rig.call(signed_call(rig, rig.alice_, "GET", "/api/v1/order", "orderQuery", {{"orderId", id}}));
  ASSERT_EQ(fired.status, 200u) << fired.body;
  EXPECT_EQ(field(fired.body, "status"), "Filled") << fired.body;
  EXPECT_EQ(field(fired.body, "executedQuantity"), "1.00") << fired.body;
  EXPECT_EQ(field(fired.body, "triggerPrice"), "149.50") << fired.body;
}

// The order-update events of one order, in order ("orderAccepted/TriggerPending", "triggerPlaced/New"...).
std::vector<std::string> updates_of(const std::vector<std::string>& frames, const std::string& id) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  for (const std::string& f : frames) {
    simdjson::dom::element e;
    std::string_view kind, status, order;
    if (parser.parse(f).get(e) != simdjson::SUCCESS || e["data"]["e"].get(kind) != simdjson::SUCCESS ||
        e["data"]["X"].get(status) != simdjson::SUCCESS || e["data"]["i"].get(order) != simdjson::SUCCESS || order != id)
      continue;
    out.push_back(fmt::format("{}/{}", kind, status));
  }
  return out;
}

TEST(GatewayTrigger, TheOrderUpdateStreamFollowsAStop) {
  GatewayRig rig;
  trade_at_150(rig);
  auto c = std::make_shared<RecordingConnection>(1);
  rig.gateway_->on_open(c);
  rig.gateway_->on_message(c, signed_subscribe(rig.alice_, "account.orderUpdate"));
  HttpResponse placed = rig.call(order(rig, rig.alice_, stop_sell()));
  ASSERT_EQ(placed.status, 200u) << placed.body;
  const std::string id = field(placed.body, "id");
  ASSERT_EQ(rig.call(order(rig, rig.alice_, {{"side", "Ask"}, {"orderType", "Limit"}, {"price", "149"}, {"quantity", "1"}})).status, 200u);
  const std::vector<std::string> frames = c->take();
  EXPECT_EQ(updates_of(frames, id), (std::vector<std::string>{"orderAccepted/TriggerPending", "triggerPlaced/New", "orderFill/Filled"}));
  bool has_trigger_price = false;
  for (const auto& f : frames) has_trigger_price = has_trigger_price || f.find(R"("P":"149.50")") != std::string::npos;
  EXPECT_TRUE(has_trigger_price);
  rig.gateway_->on_close(c);
}

TEST(GatewayTrigger, APendingStopIsCancelledByIdOrClientId) {
  GatewayRig rig;
  trade_at_150(rig);
  HttpResponse placed = rig.call(order(rig, rig.alice_, stop_sell()));
  ASSERT_EQ(placed.status, 200u) << placed.body;
  HttpResponse cancelled =
      rig.call(signed_call(rig, rig.alice_, "DELETE", "/api/v1/order", "orderCancel", {{"orderId", field(placed.body, "id")}}));
  ASSERT_EQ(cancelled.status, 200u) << cancelled.body;
  EXPECT_EQ(field(cancelled.body, "status"), "Cancelled") << cancelled.body;

  ASSERT_EQ(rig.call(order(rig, rig.alice_, stop_sell("77"))).status, 200u);
  HttpResponse again = rig.call(order(rig, rig.alice_, stop_sell("77", "149.4")));  // another request, the same client id
  EXPECT_EQ(code_of(again), "INVALID_ORDER") << again.body;  // the client id is taken by the pending order
  HttpResponse by_client = rig.call(signed_call(rig, rig.alice_, "DELETE", "/api/v1/order", "orderCancel", {{"clientId", "77"}}));
  ASSERT_EQ(by_client.status, 200u) << by_client.body;
  EXPECT_EQ(field(by_client.body, "status"), "Cancelled") << by_client.body;
}

TEST(GatewayTrigger, BadTriggerOrdersAreRefusedWithWhatIsWrong) {
  GatewayRig rig;
  HttpResponse no_price = rig.call(order(rig, rig.alice_, stop_sell()));
  EXPECT_EQ(code_of(no_price), "INVALID_PRICE") << no_price.body;
  EXPECT_NE(no_price.body.find("SOL_USDC has no last price yet"), std::string::npos) << no_price.body;
  trade_at_150(rig);
  const uint64_t before = rig.journaled();
  HttpResponse by_index = rig.call(order(rig, rig.alice_, {{"side", "Ask"}, {"orderType", "Market"}, {"triggerPrice", "149.5"},
                                                           {"triggerQuantity", "1"}, {"triggerBy", "IndexPrice"}}));
  EXPECT_EQ(code_of(by_index), "INVALID_CLIENT_REQUEST") << by_index.body;
  HttpResponse both = rig.call(order(rig, rig.alice_, {{"side", "Ask"}, {"orderType", "Market"}, {"triggerPrice", "149.5"},
                                                       {"triggerQuantity", "1"}, {"quantity", "1"}}));
  EXPECT_EQ(code_of(both), "INVALID_CLIENT_REQUEST") << both.body;
  EXPECT_EQ(rig.journaled(), before) << "refused before the journal";
}

TEST(GatewayTrigger, ReplayingTheJournalGivesTheSameState) {
  GatewayRig rig;
  trade_at_150(rig);
  ASSERT_EQ(rig.call(order(rig, rig.alice_, stop_sell("5"))).status, 200u);
  ASSERT_EQ(rig.call(order(rig, rig.alice_, {{"side", "Bid"}, {"orderType", "Limit"}, {"price", "140"}, {"triggerPrice", "151"},
                                             {"triggerQuantity", "1"}})).status, 200u);
  ASSERT_EQ(rig.call(order(rig, rig.alice_, {{"side", "Ask"}, {"orderType", "Limit"}, {"price", "149"}, {"quantity", "1"}})).status, 200u);
  const crypto::Digest live = rig.view_->state_root();
  rig.node_.reset();  // stopped and closed: the journal is free for another node

  std::optional<crypto::Digest> replayed;
  journal::NodeOptions no;
  no.dir = rig.dir_.path();
  no.log_key = rig.log_;
  no.from_genesis = true;
  no.sequencer.clock = [] { return (kNow + 1) * 1000; };
  no.on_recovered = [&](const engine::Engine& e) {
    replayed = e.state_root();
    EXPECT_EQ(e.trigger_orders().size(), 1u) << "the stop fired; the buy stop at 151 waits";
  };
  auto node = journal::Node::open(std::move(no));
  ASSERT_TRUE(node) << node.status().to_string();
  rig.node_ = std::move(node).value();  // the rig stops it
  ASSERT_TRUE(replayed.has_value());
  EXPECT_EQ(*replayed, live);
}

}  // namespace
}  // namespace glassbook::api
