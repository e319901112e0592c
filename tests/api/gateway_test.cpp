// The gateway in process (no sockets): what it refuses never reaches the journal; what it accepts is
// journaled as the client's signed text and answered once durable.
#include "api/gateway.h"

#include <gtest/gtest.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <filesystem>
#include <future>

#include "engine/command.h"
#include "engine/request_text.h"
#include "gateway_rig.h"
#include "journal/reader.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;

constexpr std::string_view kOrderBody = R"({"symbol":"SOL_USDC","side":"Bid","orderType":"Limit","price":"150.25","quantity":"1","clientId":7})";
const std::string kOrderText =
    "instruction=orderExecute&clientId=7&orderType=Limit&price=150.25&quantity=1&side=Bid&symbol=SOL_USDC&timestamp=" +
    std::to_string(kNow) + "&window=5000";

TEST(Gateway, AcceptedOrderIsJournaledAsTheSignedTextAndAnsweredOnceDurable) {
  GatewayRig rig;
  const uint64_t before = rig.journaled();
  HttpResponse r = rig.call(rig.request(rig.alice_, "POST", "/api/v1/order", std::string(kOrderBody), kOrderText));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(rig.journaled(), before + 1);
  EXPECT_NE(r.body.find("\"status\":\"New\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(fmt::format("\"journalSeq\":{}", before)), std::string::npos) << r.body;

  // The journal's last record holds the client's exact text, key and signature.
  rig.node_->stop();
  std::vector<journal::Record> records;
  ASSERT_TRUE(journal::scan_journal(rig.dir_.path(), {}, [&](const journal::RecordView& v) {
                records.push_back(v.to_record());
                return Status::ok();
              }).is_ok());
  ASSERT_EQ(records.size(), before + 1);
  EXPECT_EQ(records.back().signed_bytes, kOrderText);
  EXPECT_EQ(records.back().signer, rig.alice_.public_key());
  EXPECT_TRUE(crypto::verify(records.back().signer, records.back().signed_bytes, records.back().signature));
}

TEST(Gateway, RefusedRequestsNeverReachTheJournal) {
  GatewayRig rig;
  const crypto::KeyPair stranger = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/stranger"));
  auto order = [&](std::string body, const crypto::KeyPair& key, std::string_view text, int64_t ts = kNow, std::string window = "5000") {
    return rig.request(key, "POST", "/api/v1/order", std::move(body), text, ts, std::move(window));
  };
  auto text_for = [](std::string_view params, int64_t ts = kNow, std::string_view window = "5000") {
    return fmt::format("instruction=orderExecute&{}&timestamp={}&window={}", params, ts, window);
  };
  struct Case {
    const char* name;
    HttpRequest request;
    unsigned status;
    std::string code;
  };
  const std::string good = "clientId=7&orderType=Limit&price=150.25&quantity=1&side=Bid&symbol=SOL_USDC";
  HttpRequest forged = order(std::string(kOrderBody), rig.alice_, kOrderText);
  forged.headers["x-signature"] = crypto::base64_encode(rig.bob_.sign(kOrderText));  // alice's key, bob's signature
  std::vector<Case> cases = {
      {"malformed JSON", order("{\"symbol\":", rig.alice_, kOrderText), 400, "INVALID_CLIENT_REQUEST"},
      {"wrong signature", forged, 401, "INVALID_SIGNATURE"},
      {"signed for another instruction", order(std::string(kOrderBody), rig.alice_, "instruction=orderCancel&" + kOrderText.substr(25)), 401, "INVALID_SIGNATURE"},
      {"unknown key", order(std::string(kOrderBody), stranger, kOrderText), 401, "UNAUTHORIZED"},
      {"stale", order(std::string(kOrderBody), rig.alice_, text_for(good, kNow - 6000), kNow - 6000), 400, "INVALID_CLIENT_REQUEST"},
      {"future", order(std::string(kOrderBody), rig.alice_, text_for(good, kNow + 600'000), kNow + 600'000), 400, "INVALID_CLIENT_REQUEST"},
      {"window over the maximum", order(std::string(kOrderBody), rig.alice_, text_for(good, kNow, "60001"), kNow, "60001"), 400, "INVALID_CLIENT_REQUEST"},
      {"unknown symbol",
       order(R"({"symbol":"DOGE_USDC","side":"Bid","orderType":"Limit","price":"1","quantity":"1"})", rig.alice_,
             text_for("orderType=Limit&price=1&quantity=1&side=Bid&symbol=DOGE_USDC")),
       400, "INVALID_MARKET"},
      {"number for a decimal",
       order(R"({"symbol":"SOL_USDC","side":"Bid","orderType":"Limit","price":150,"quantity":"1"})", rig.alice_,
             text_for("orderType=Limit&price=150&quantity=1&side=Bid&symbol=SOL_USDC")),
       400, "INVALID_CLIENT_REQUEST"},
      {"too many price decimals",
       order(R"({"symbol":"SOL_USDC","side":"Bid","orderType":"Limit","price":"150.1234567","quantity":"1"})", rig.alice_,
             text_for("orderType=Limit&price=150.1234567&quantity=1&side=Bid&symbol=SOL_USDC")),
       400, "INVALID_PRICE"},
      {"zero quantity",
       order(R"({"symbol":"SOL_USDC","side":"Bid","orderType":"Limit","price":"150","quantity":"0"})", rig.alice_,
             text_for("orderType=Limit&price=150&quantity=0&side=Bid&symbol=SOL_USDC")),
       400, "INVALID_QUANTITY"},
      {"negative quantity",
       order(R"({"symbol":"SOL_USDC","side":"Bid","orderType":"Limit","price":"150","quantity":"-1"})", rig.alice_,
             text_for("orderType=Limit&price=150&quantity=-1&side=Bid&symbol=SOL_USDC")),
       400, "INVALID_QUANTITY"},
      {"unknown field",
       order(R"({"symbol":"SOL_USDC","side":"Bid","orderType":"Limit","price":"150","quantity":"1","colour":"red"})", rig.alice_,
             text_for("colour=red&orderType=Limit&price=150&quantity=1&side=Bid&symbol=SOL_USDC")),
       400, "INVALID_CLIENT_REQUEST"},
  };
  const uint64_t before = rig.journaled();
  for (Case& c : cases) {
    HttpResponse r = rig.call(std::move(c.request));
    EXPECT_EQ(r.status, c.status) << c.name << ": " << r.body;
    EXPECT_EQ(code_of(r), c.code) << c.name << ": " << r.body;
    EXPECT_EQ(rig.journaled(), before) << c.name;
  }
}

TEST(Gateway, AReplayedSignedRequestActsOnce) {
  GatewayRig rig;
  HttpResponse first = rig.call(rig.request(rig.alice_, "POST", "/api/v1/order", std::string(kOrderBody), kOrderText));
  ASSERT_EQ(first.status, 200u) << first.body;
  const uint64_t after_first = rig.journaled();
  HttpResponse again = rig.call(rig.request(rig.alice_, "POST", "/api/v1/order", std::string(kOrderBody), kOrderText));
  EXPECT_EQ(again.status, 400u);
  EXPECT_EQ(code_of(again), "INVALID_CLIENT_REQUEST");
  EXPECT_NE(again.body.find("duplicate"), std::string::npos) << again.body;
  EXPECT_EQ(rig.journaled(), after_first);
}

TEST(Gateway, AReplayAfterAGatewayRestartIsRefusedBeforeTheJournal) {
  GatewayRig rig;
  HttpResponse first = rig.call(rig.request(rig.alice_, "POST", "/api/v1/order", std::string(kOrderBody), kOrderText));
  ASSERT_EQ(first.status, 200u) << first.body;
  const uint64_t after_first = rig.journaled();
  rig.restart_gateway();
  HttpResponse again = rig.call(rig.request(rig.alice_, "POST", "/api/v1/order", std::string(kOrderBody), kOrderText));
  EXPECT_EQ(again.status, 400u);
  EXPECT_EQ(code_of(again), "INVALID_CLIENT_REQUEST");
  EXPECT_NE(again.body.find("duplicate request: this signed request was already sequenced"), std::string::npos) << again.body;
  EXPECT_EQ(rig.journaled(), after_first);
}

TEST(Gateway, EngineRefusalsAnswerWithBackpackCodes) {
  GatewayRig rig;
  // 10,000 SOL at 150 needs 1.5M USDC: alice has 1M.
  const std::string body = R"({"symbol":"SOL_USDC","side":"Bid","orderType":"Limit","price":"150","quantity":"10000"})";
  const std::string text = fmt::format("instruction=orderExecute&orderType=Limit&price=150&quantity=10000&side=Bid&symbol=SOL_USDC&timestamp={}&window=5000", kNow);
  HttpResponse r = rig.call(rig.request(rig.alice_, "POST", "/api/v1/order", body, text));
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(code_of(r), "INSUFFICIENT_FUNDS");
  // Cancelling an order that does not exist.
  const std::string cancel = fmt::format("instruction=orderCancel&orderId=999&symbol=SOL_USDC&timestamp={}&window=5000", kNow);
  HttpResponse c = rig.call(rig.request(rig.alice_, "DELETE", "/api/v1/order", R"({"symbol":"SOL_USDC","orderId":"999"})", cancel));
  EXPECT_EQ(code_of(c), "RESOURCE_NOT_FOUND") << c.body;
}

TEST(Gateway, QueriesAreSignedButNeverJournaled) {
  GatewayRig rig;
  const uint64_t before = rig.journaled();
  const std::string text = fmt::format("instruction=balanceQuery&timestamp={}&window=5000", kNow);
  HttpRequest q = rig.request(rig.alice_, "GET", "/api/v1/capital", "", text);
  HttpResponse r = rig.call(q);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_NE(r.body.find("\"SOL\""), std::string::npos) << r.body;
  HttpResponse again = rig.call(q);  // queries may repeat
  EXPECT_EQ(again.status, 200u);
  EXPECT_EQ(rig.journaled(), before);
  HttpRequest wrong = rig.request(rig.alice_, "GET", "/api/v1/capital", "", "instruction=orderQueryAll&timestamp=1&window=5000");
  EXPECT_EQ(rig.call(wrong).status, 401u);
}

}  // namespace
}  // namespace glassbook::api
