// Market orders sized in the quote asset (Backpack's quoteQuantity) through the gateway: what they
// fill, what they refuse, and that replaying the journal gives the same state.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <optional>

#include "api/gateway.h"
#include "gateway_rig.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;

// An order from its fields (key, value), signed over the text the gateway rebuilds.
HttpRequest order(GatewayRig& rig, const crypto::KeyPair& key, std::vector<std::pair<std::string, std::string>> fields) {
  fields.emplace_back("symbol", "SOL_USDC");
  std::sort(fields.begin(), fields.end());
  std::string body = "{", text = "instruction=orderExecute";
  for (size_t i = 0; i < fields.size(); ++i) {
    body += fmt::format(R"({}"{}":"{}")", i ? "," : "", fields[i].first, fields[i].second);
    text += fmt::format("&{}={}", fields[i].first, fields[i].second);
  }
  body += "}";
  text += fmt::format("&timestamp={}&window=5000", kNow);
  return rig.request(key, "POST", "/api/v1/order", body, text);
}

std::string field(const std::string& json, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  std::string_view v;
  if (parser.parse(json).get(e) != simdjson::SUCCESS || e[key].get(v) != simdjson::SUCCESS) return "<none>";
  return std::string(v);
}

// Bob rests asks of 2 SOL at 150 and 2 SOL at 151, and bids of 2 SOL at 149 and 2 SOL at 148.
void rest_book(GatewayRig& rig) {
  const std::pair<const char*, const char*> levels[] = {{"Ask", "150"}, {"Ask", "151"}, {"Bid", "149"}, {"Bid", "148"}};
  for (auto [side, price] : levels) {
    HttpResponse r = rig.call(order(rig, rig.bob_, {{"side", side}, {"orderType", "Limit"}, {"price", price}, {"quantity", "2"}}));
    ASSERT_EQ(r.status, 200u) << r.body;
  }
}

TEST(GatewayQuote, AMarketBuySpendsAtMostItsQuoteQuantity) {
  GatewayRig rig;
  rest_book(rig);
  // 300 USDC buys the 2 SOL at 150 exactly.
  HttpResponse exact = rig.call(order(rig, rig.alice_, {{"side", "Bid"}, {"orderType", "Market"}, {"quoteQuantity", "300"}}));
  ASSERT_EQ(exact.status, 200u) << exact.body;
  EXPECT_EQ(field(exact.body, "executedQuantity"), "2.00") << exact.body;
  EXPECT_EQ(field(exact.body, "executedQuoteQuantity"), "300") << exact.body;
  // 200 USDC at 151: as many whole lots (0.01 SOL) as 200 USDC holds at that price, 1.32 SOL.
  HttpResponse next = rig.call(order(rig, rig.alice_, {{"side", "Bid"}, {"orderType", "Market"}, {"quoteQuantity", "200"}}));
  ASSERT_EQ(next.status, 200u) << next.body;
  EXPECT_EQ(field(next.body, "executedQuantity"), "1.32") << next.body;
  EXPECT_EQ(field(next.body, "executedQuoteQuantity"), "199.32") << next.body;
}

TEST(GatewayQuote, AMarketBuyAcrossLevelsHoldsNoMoreThanItsBudget) {
  GatewayRig rig;
  rest_book(rig);
  // 450 USDC: 2 SOL at 150, then at 151 while 151 x everything bought stays within 450 (2.98 SOL).
  HttpResponse r = rig.call(order(rig, rig.alice_, {{"side", "Bid"}, {"orderType", "Market"}, {"quoteQuantity", "450"}}));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(field(r.body, "executedQuantity"), "2.98") << r.body;
  EXPECT_EQ(field(r.body, "executedQuoteQuantity"), "447.98") << r.body;
}

TEST(GatewayQuote, AMarketSellReceivesAtMostItsQuoteQuantity) {
  GatewayRig rig;
  rest_book(rig);
  // 400 USDC: 2 SOL at 149 (298), then 0.68 SOL at 148 (100.64): 398.64.
  HttpResponse r = rig.call(order(rig, rig.alice_, {{"side", "Ask"}, {"orderType", "Market"}, {"quoteQuantity", "400"}}));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(field(r.body, "executedQuantity"), "2.68") << r.body;
  EXPECT_EQ(field(r.body, "executedQuoteQuantity"), "398.64") << r.body;
}

TEST(GatewayQuote, BadQuoteQuantitiesAreRefusedBeforeTheJournal) {
  GatewayRig rig;
  const uint64_t before = rig.journaled();
  struct Case {
    const char* name;
    std::vector<std::pair<std::string, std::string>> fields;
    const char* code;
  };
  const Case cases[] = {
      {"limit", {{"side", "Bid"}, {"orderType", "Limit"}, {"price", "150"}, {"quoteQuantity", "300"}}, "INVALID_CLIENT_REQUEST"},
      {"both", {{"side", "Bid"}, {"orderType", "Market"}, {"quantity", "1"}, {"quoteQuantity", "300"}}, "INVALID_CLIENT_REQUEST"},
      {"zero", {{"side", "Bid"}, {"orderType", "Market"}, {"quoteQuantity", "0"}}, "INVALID_QUANTITY"},
      {"too many decimals", {{"side", "Bid"}, {"orderType", "Market"}, {"quoteQuantity", "1.0000001"}}, "INVALID_QUANTITY"},
  };
  for (const Case& c : cases) {
    HttpResponse r = rig.call(order(rig, rig.alice_, c.fields));
    EXPECT_EQ(code_of(r), c.code) << c.name << ": " << r.body;
  }
  EXPECT_EQ(rig.journaled(), before);
}

TEST(GatewayQuote, TheEngineRefusesWhatTheBookCannotFill) {
  GatewayRig rig;
  HttpResponse empty = rig.call(order(rig, rig.alice_, {{"side", "Bid"}, {"orderType", "Market"}, {"quoteQuantity", "300"}}));
  EXPECT_EQ(code_of(empty), "INVALID_PRICE") << empty.body;
  EXPECT_NE(empty.body.find("the SOL_USDC book has no asks"), std::string::npos) << empty.body;
  rest_book(rig);
  HttpResponse tiny = rig.call(order(rig, rig.alice_, {{"side", "Bid"}, {"orderType", "Market"}, {"quoteQuantity", "1"}}));
  EXPECT_EQ(code_of(tiny), "INVALID_QUANTITY") << tiny.body;
  EXPECT_NE(tiny.body.find("not even one lot (0.01 SOL) at the best price 150"), std::string::npos) << tiny.body;
}

TEST(GatewayQuote, ReplayingTheJournalGivesTheSameState) {
  GatewayRig rig;
  rest_book(rig);
  ASSERT_EQ(rig.call(order(rig, rig.alice_, {{"side", "Bid"}, {"orderType", "Market"}, {"quoteQuantity", "450"}})).status, 200u);
  ASSERT_EQ(rig.call(order(rig, rig.alice_, {{"side", "Ask"}, {"orderType", "Market"}, {"quoteQuantity", "400"}})).status, 200u);
  const crypto::Digest live = rig.view_->state_root();
  rig.node_.reset();  // stopped and closed: the journal is free for another node

  std::optional<crypto::Digest> replayed;
  journal::NodeOptions no;
  no.dir = rig.dir_.path();
  no.log_key = rig.log_;
  no.from_genesis = true;
  no.sequencer.clock = [] { return (kNow + 1) * 1000; };
  no.on_recovered = [&](const engine::Engine& e) { replayed = e.state_root(); };
  auto node = journal::Node::open(std::move(no));
  ASSERT_TRUE(node) << node.status().to_string();
  rig.node_ = std::move(node).value();  // the rig stops it
  ASSERT_TRUE(replayed.has_value());
  EXPECT_EQ(*replayed, live);
}

}  // namespace
}  // namespace glassbook::api
