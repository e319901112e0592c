// The gateway in process (no sockets): what it refuses never reaches the journal; what it accepts is
// journaled as the client's signed text and answered once durable.
#include "api/gateway.h"

#include <gtest/gtest.h>
#include <fmt/format.h>
#include <simdjson.h>

#include <filesystem>
#include <future>

#include "../journal/journal_test_util.h"
#include "engine/command.h"
#include "engine/request_text.h"
#include "journal/reader.h"

namespace glassbook::api {
namespace {

constexpr int64_t kNow = 1'900'000'000'000;  // the gateway's and sequencer's clock in these tests (ms, after genesis)

// A node on a fresh directory with the demo configuration, its view, hub and gateway, and two
// funded accounts.
class GatewayRig {
 public:
  GatewayRig() {
    journal::NodeOptions no;
    no.dir = dir_.path();
    no.genesis = engine::demo_config(watcher_.public_key());
    no.genesis->log_key = log_.public_key();
    no.log_key = log_;
    no.sequencer.clock = [] { return kNow * 1000; };
    no.on_recovered = [this](const engine::Engine& e) {
      view_ = std::make_unique<ExchangeView>(std::move(engine::Engine::restore(e.snapshot())).value());
      feed_ = std::make_unique<StreamFeed>(*view_, hub_);
    };
    no.on_durable = [this](const engine::Command& c, std::span<const engine::Event> ev) { (*feed_)(c, ev); };
    node_ = std::move(journal::Node::open(std::move(no))).value();
    GatewayOptions go;
    go.now_ms = [] { return kNow; };
    go.per_key = RateLimit{1e6, 1e6};
    gateway_ = std::make_unique<Gateway>(*node_, *view_, hub_, go);
    for (const auto* k : {&alice_, &bob_}) {
      submit_native(*k, engine::RegisterAccount{k->public_key()});
      const AccountId a = *view_->account_of(k->public_key());
      submit_native(watcher_, engine::Deposit{a, 1, 1000'000'000'000, a * 10 + 1});    // 1000 SOL
      submit_native(watcher_, engine::Deposit{a, 2, 1000'000'000'000, a * 10 + 2});    // 1,000,000 USDC
    }
  }
  ~GatewayRig() { node_->stop(); }

  void submit_native(const crypto::KeyPair& key, engine::CommandBody body) {
    std::promise<void> done;
    auto sc = engine::sign_command(key, 0, 0, std::move(body));
    ASSERT_TRUE(node_->submit(journal::submission_of(sc), [&](SeqNo, Timestamp, std::span<const engine::Event>) { done.set_value(); }).is_ok());
    done.get_future().wait();
  }

  // A signed request as a Backpack client sends it; `text` is what gets signed (normally the text
  // the gateway rebuilds from the body).
  HttpRequest request(const crypto::KeyPair& key, std::string method, std::string path, std::string body, std::string_view text,
                      int64_t ts = kNow, std::string window = "5000") {
    HttpRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = std::move(body);
    r.remote_ip = "127.0.0.1";
    r.headers["x-api-key"] = crypto::base64_encode(key.public_key());
    r.headers["x-signature"] = crypto::base64_encode(key.sign(text));
    r.headers["x-timestamp"] = std::to_string(ts);
    r.headers["x-window"] = window;
    return r;
  }

  HttpResponse call(HttpRequest r) {
    auto p = std::make_shared<std::promise<HttpResponse>>();
    auto f = p->get_future();
    gateway_->handle(std::move(r), [p](HttpResponse resp) { p->set_value(std::move(resp)); });
    return f.get();
  }

  uint64_t journaled() const { return node_->tree_size(); }

  journal::testing::TempDir dir_;
  crypto::KeyPair log_ = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/log"));
  crypto::KeyPair watcher_ = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/watcher"));
  crypto::KeyPair alice_ = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/alice"));
  crypto::KeyPair bob_ = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/bob"));
  StreamHub hub_;
  std::unique_ptr<ExchangeView> view_;
  std::unique_ptr<StreamFeed> feed_;
  std::unique_ptr<journal::Node> node_;
  std::unique_ptr<Gateway> gateway_;
};

constexpr std::string_view kOrderBody = R"({"symbol":"SOL_USDC","side":"Bid","orderType":"Limit","price":"150.25","quantity":"1","clientId":7})";
const std::string kOrderText =
    "instruction=orderExecute&clientId=7&orderType=Limit&price=150.25&quantity=1&side=Bid&symbol=SOL_USDC&timestamp=" +
    std::to_string(kNow) + "&window=5000";

std::string code_of(const HttpResponse& r) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(r.body).get(e) != simdjson::SUCCESS) return "<not json>";
  std::string_view code;
  if (e["code"].get(code) != simdjson::SUCCESS) return "<no code>";
  return std::string(code);
}

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
