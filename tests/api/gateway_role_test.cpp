// POST /api/v1/glassbook/command: role keys' natively signed commands (an oracle source's report, a
// chain watcher's deposit) journaled and applied; everything else, and every bad input, refused
// before the journal.
#include "../engine/perp_fixture.h"
#include "gateway_rig.h"
#include "role_command_body.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;
using PerpFixture = engine::testing::PerpExchange;

using testing::b64;
using testing::signed_json;

class RoleCommand : public ::testing::Test {
 protected:
  RoleCommand() : rig([](engine::ExchangeConfig& c) { engine::testing::add_perpetual(c, PerpFixture::oracle_keys()); }) {}

  HttpResponse post(std::string body) { return testing::post_command(rig, std::move(body)); }
  static engine::OracleReport btc(Timestamp at, int64_t price) { return engine::OracleReport{at, {{engine::testing::BTC, price}}}; }

  GatewayRig rig;
};

TEST_F(RoleCommand, OracleReportsFromSourcesAreJournaledAndApplied) {
  const uint64_t before = rig.journaled();
  for (int i = 0; i < 3; ++i) {
    const HttpResponse r = post(signed_json(PerpFixture::source(i), btc(kNow * 1000 - 10 + i, 50'000'000'000)));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("\"journalSeq\":"), std::string::npos) << r.body;
  }
  EXPECT_EQ(rig.journaled(), before + 3);
  EXPECT_EQ(rig.view_->index_price(engine::testing::BTC), 50'000'000'000);
  EXPECT_EQ(rig.view_->last_report_time(PerpFixture::source(2).public_key()), kNow * 1000 - 8);
}

TEST_F(RoleCommand, ReplayedStaleOrForeignCommandsNeverReachTheJournal) {
  const std::string report = signed_json(PerpFixture::source(0), btc(kNow * 1000, 50'000'000'000));
  ASSERT_EQ(post(report).status, 200);
  const uint64_t journaled = rig.journaled();
  struct Case {
    const char* what;
    std::string body;
    const char* code;
  };
  const crypto::KeyPair stranger = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/stranger"));
  const crypto::PublicKey alice = rig.alice_.public_key();
  std::string forged = signed_json(PerpFixture::source(1), btc(kNow * 1000, 1));
  forged[forged.size() - 5] = forged[forged.size() - 5] == 'A' ? 'B' : 'A';  // a bit of the signature
  const Case cases[] = {
      {"the same report again", report, "INVALID_CLIENT_REQUEST"},
      {"an older report", signed_json(PerpFixture::source(0), btc(kNow * 1000 - 1, 50'000'000'000)), "INVALID_CLIENT_REQUEST"},
      {"a stale report", signed_json(PerpFixture::source(1), btc(kNow * 1000 - 11'000'000, 50'000'000'000)), "INVALID_CLIENT_REQUEST"},
      {"a report from the future", signed_json(PerpFixture::source(1), btc(kNow * 1000 + 11'000'000, 1)), "INVALID_CLIENT_REQUEST"},
      {"a report signed by no source", signed_json(stranger, btc(kNow * 1000, 1)), "UNAUTHORIZED"},
      {"a source's key claimed by another signer", signed_json(stranger, btc(kNow * 1000, 1), PerpFixture::source(1).public_key()),
       "INVALID_SIGNATURE"},
      {"a forged signature", forged, "INVALID_SIGNATURE"},
      {"an unstamped OracleUpdate", signed_json(PerpFixture::source(1), engine::OracleUpdate{{{engine::testing::BTC, 1}}}),
       "INVALID_CLIENT_REQUEST"},
      {"an account's own order", signed_json(rig.alice_, engine::CancelAll{16, engine::kAllMarkets}), "INVALID_CLIENT_REQUEST"},
      {"a deposit signed by an account", signed_json(rig.alice_, engine::timed(kNow * 1000, engine::Deposit{16, 2, 5, 999})), "UNAUTHORIZED"},
      {"a deposit without its signed time", signed_json(rig.watcher_, engine::Deposit{16, 2, 5, 999}), "INVALID_CLIENT_REQUEST"},
      {"someone else's registration", signed_json(stranger, engine::RegisterAccount{alice}), "UNAUTHORIZED"},
      {"malformed JSON", "{\"command\":", "INVALID_CLIENT_REQUEST"},
      {"an unknown field", R"({"command":"AA==","signer":"AA==","signature":"AA==","extra":"1"})", "INVALID_CLIENT_REQUEST"},
      {"a missing field", R"({"command":"AA==","signer":"AA=="})", "INVALID_CLIENT_REQUEST"},
      {"a number for a string", R"({"command":1,"signer":"AA==","signature":"AA=="})", "INVALID_CLIENT_REQUEST"},
      {"bytes that are no command", fmt::format(R"({{"command":"{}","signer":"{}","signature":"{}"}})", b64("glassbook/command/v1\x0c"),
                                                crypto::base64_encode(alice), crypto::base64_encode(rig.alice_.sign("x"))),
       "INVALID_CLIENT_REQUEST"},
      {"not base64", R"({"command":"***","signer":"AA==","signature":"AA=="})", "INVALID_CLIENT_REQUEST"},
  };
  for (const Case& c : cases) {
    const HttpResponse r = post(c.body);
    EXPECT_NE(r.status, 200) << c.what;
    EXPECT_EQ(code_of(r), c.code) << c.what << ": " << r.body;
  }
  EXPECT_EQ(rig.journaled(), journaled) << "a refused command reached the journal";
}

TEST_F(RoleCommand, ADepositFromTheChainWatcherIsCreditedOnceAndItsReplaysNeverJournaled) {
  const AccountId alice = *rig.view_->account_of(rig.alice_.public_key());
  const engine::Deposit d{alice, 2, 7'000'000, 424242};
  const std::string attestation = signed_json(rig.watcher_, engine::timed(kNow * 1000, d));
  const HttpResponse r = post(attestation);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("deposit":"credited")"), std::string::npos) << r.body;
  const uint64_t journaled = rig.journaled();
  // The captured attestation again; signed again later; held back past its window: each refused
  // at the gateway with a code that says what happened, and none journaled.
  const HttpResponse replay = post(attestation);
  EXPECT_EQ(code_of(replay), "DUPLICATE_REQUEST") << replay.body;
  const HttpResponse resigned = post(signed_json(rig.watcher_, engine::timed(kNow * 1000 + 5, d)));
  EXPECT_EQ(code_of(resigned), "DUPLICATE_DEPOSIT") << resigned.body;
  const HttpResponse stale = post(signed_json(rig.watcher_, engine::timed(kNow * 1000 - 61'000'000, engine::Deposit{alice, 2, 1, 7})));
  EXPECT_EQ(code_of(stale), "EXPIRED") << stale.body;
  EXPECT_EQ(rig.journaled(), journaled) << "a replayed or expired deposit reached the journal";
}

TEST_F(RoleCommand, AnEngineRefusalKeepsItsOwnName) {
  const HttpResponse r = post(signed_json(rig.watcher_, engine::timed(kNow * 1000, engine::Deposit{999'999, 2, 1, 8})));
  EXPECT_EQ(code_of(r), "UNKNOWN_ACCOUNT") << r.body;
}

TEST_F(RoleCommand, AnAccountRegistersItselfOnce) {
  const crypto::KeyPair carol = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/carol"));
  const HttpResponse r = post(signed_json(carol, engine::RegisterAccount{carol.public_key()}));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto id = rig.view_->account_of(carol.public_key());
  ASSERT_TRUE(id.has_value());
  EXPECT_NE(r.body.find(fmt::format(R"("account":{})", *id)), std::string::npos) << r.body;
  const uint64_t journaled = rig.journaled();
  EXPECT_EQ(code_of(post(signed_json(carol, engine::RegisterAccount{carol.public_key()}))), "DUPLICATE_ACCOUNT_KEY");
  EXPECT_EQ(rig.journaled(), journaled);
}

// GET /api/v1/glassbook/risk: what the web interface's Risk page shows.
TEST_F(RoleCommand, TheRiskOverviewShowsEachSourcesLastPriceAndStaleness) {
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(post(signed_json(PerpFixture::source(i), btc(kNow * 1000 - 10 + i, 50'000'000'000 + i * 1'000'000))).status, 200);
  // A refused report (a price from no source) changes nothing.
  const crypto::KeyPair stranger = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/stranger"));
  EXPECT_NE(post(signed_json(stranger, btc(kNow * 1000, 1))).status, 200);

  HttpRequest r;
  r.method = "GET";
  r.path = "/api/v1/glassbook/risk";
  r.remote_ip = "127.0.0.1";
  const HttpResponse answer = rig.call(std::move(r));
  ASSERT_EQ(answer.status, 200u) << answer.body;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(answer.body).get(doc), simdjson::SUCCESS) << answer.body;
  EXPECT_EQ(int64_t(doc["stalenessMs"]), 10'000);
  simdjson::dom::array sources = doc["sources"];
  ASSERT_EQ(sources.size(), 5u);
  size_t i = 0;
  for (simdjson::dom::element s : sources) {
    EXPECT_EQ(uint64_t(s["index"]), i);
    EXPECT_EQ(std::string_view(s["key"]), crypto::base64_encode(PerpFixture::source(static_cast<int>(i)).public_key()));
    if (i < 3) {
      EXPECT_FALSE(bool(s["stale"])) << i;
      EXPECT_EQ(int64_t(s["lastReportTimestamp"]), (kNow * 1000 - 10 + static_cast<int64_t>(i)) / 1000);
      EXPECT_EQ(std::string_view(s["prices"]["BTC"]), fmt::format("5000{}.000000", i)) << answer.body;
    } else {
      EXPECT_TRUE(bool(s["stale"])) << i << ": a source that never spoke is stale";
      EXPECT_TRUE(s["lastReportTimestamp"].is_null());
      EXPECT_EQ(simdjson::dom::object(s["prices"]).size(), 0u);
    }
    ++i;
  }
  bool perp_listed = false;
  for (simdjson::dom::element m : simdjson::dom::array(doc["markets"])) {
    EXPECT_FALSE(bool(m["paused"]));
    perp_listed |= std::string_view(m["symbol"]) == "BTC_PERP";
  }
  EXPECT_TRUE(perp_listed) << answer.body;
  simdjson::dom::array fund = doc["insuranceFund"];
  ASSERT_GE(fund.size(), 1u) << answer.body;
  EXPECT_EQ(std::string_view(fund.at(0)["symbol"]), "USDC") << answer.body;
}

}  // namespace
}  // namespace glassbook::api
