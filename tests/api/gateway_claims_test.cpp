// The claims agent's feed: GET /api/v1/glassbook/claims/transfers serves each fill in a claim market
// as a transfer-of-claim record, paged by journal seq, to the estate's claims agent key only.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <string>
#include <vector>

#include "claims_rig.h"

namespace glassbook::api::testing {
namespace {

// The request signed by `key` (by default FTX's claims agent): instruction claimTransferQueryAll over
// the query's parameters, as a Backpack client signs a GET.
HttpRequest get(std::string query, const crypto::KeyPair& key = engine::testing::ClaimsExchange::agent(engine::testing::kFtx)) {
  std::string text = "instruction=claimTransferQueryAll";
  std::vector<std::string> params;
  for (size_t at = 0; at < query.size();) {
    const size_t end = std::min(query.find('&', at), query.size());
    params.push_back(query.substr(at, end - at));
    at = end + 1;
  }
  std::sort(params.begin(), params.end());
  for (const std::string& p : params) text += "&" + p;
  text += "&timestamp=" + std::to_string(kNow) + "&window=5000";
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/v1/glassbook/claims/transfers";
  r.query = std::move(query);
  r.remote_ip = "127.0.0.1";
  r.headers["x-api-key"] = crypto::base64_encode(key.public_key());
  r.headers["x-signature"] = crypto::base64_encode(key.sign(text));
  r.headers["x-timestamp"] = std::to_string(kNow);
  r.headers["x-window"] = "5000";
  return r;
}

TEST(GatewayClaims, TheAgentReadsEachFillAsATransferRecord) {
  ClaimsRig rig;
  const HttpResponse r = rig.call(get("estate=0"));
  ASSERT_EQ(r.status, 200u) << r.body;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(r.body).get(doc), simdjson::SUCCESS) << r.body;
  EXPECT_EQ(uint64_t(doc["estate"]), 0u);
  EXPECT_TRUE(bool(doc["complete"]));
  simdjson::dom::array transfers = doc["transfers"];
  ASSERT_EQ(transfers.size(), 2u) << r.body;
  simdjson::dom::element first = transfers.at(0);
  EXPECT_EQ(std::string_view(first["market"]), "FTXCLAIM_USDC");
  EXPECT_EQ(std::string_view(first["estateName"]), "FTX Trading Ltd.");
  EXPECT_EQ(uint64_t(first["seller"]), rig.alice_id_);
  EXPECT_EQ(uint64_t(first["buyer"]), rig.bob_id_);
  EXPECT_EQ(std::string_view(first["units"]), "100.00");
  EXPECT_EQ(std::string_view(first["price"]), "0.350000");
  EXPECT_EQ(std::string_view(first["quoteAmount"]), "35.000000");
  EXPECT_EQ(std::string_view(first["claimAsset"]), "FTXCLAIM");
  EXPECT_EQ(std::string_view(first["quoteAsset"]), "USDC");
  EXPECT_EQ(std::string_view(first["takerSide"]), "Bid");
  EXPECT_EQ(uint64_t(first["tradeId"]), 1u);
  EXPECT_EQ(int64_t(first["timestamp"]), kNow * 1000);
  simdjson::dom::element second = transfers.at(1);
  EXPECT_EQ(uint64_t(second["tradeId"]), 2u);
  EXPECT_EQ(std::string_view(second["quoteAmount"]), "17.000000");
  const uint64_t first_seq = first["seq"], second_seq = second["seq"];
  EXPECT_LT(first_seq, second_seq);
  EXPECT_LT(second_seq, rig.journaled()) << "each record's command is journaled at its seq";
  // Every record is there: the next page starts after the newest and is empty.
  const uint64_t next = doc["next"];
  EXPECT_EQ(next, second_seq + 1);
  const HttpResponse later = rig.call(get("estate=0&from=" + std::to_string(next)));
  ASSERT_EQ(later.status, 200u);
  ASSERT_EQ(parser.parse(later.body).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(simdjson::dom::array(doc["transfers"]).size(), 0u);
  // A page of one ends before the second command; asked from there, the second comes.
  const HttpResponse one = rig.call(get("estate=0&limit=1"));
  ASSERT_EQ(parser.parse(one.body).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(simdjson::dom::array(doc["transfers"]).size(), 1u);
  EXPECT_EQ(uint64_t(doc["next"]), second_seq);
  // The other estate has traded nothing (read with its own agent's key).
  const HttpResponse celsius = rig.call(get("estate=1", engine::testing::ClaimsExchange::agent(1)));
  ASSERT_EQ(parser.parse(celsius.body).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(simdjson::dom::array(doc["transfers"]).size(), 0u);
}

TEST(GatewayClaims, OnlyTheEstatesAgentReadsTheRecords) {
  ClaimsRig rig;
  // The records name accounts: neither a trader, nor another estate's agent, nor an unsigned request
  // reads them.
  for (const crypto::KeyPair& key : {rig.alice_, rig.bob_, engine::testing::ClaimsExchange::agent(1)}) {
    const HttpResponse r = rig.call(get("estate=0", key));
    EXPECT_EQ(r.status, 401u) << r.body;
    EXPECT_EQ(code_of(r), "UNAUTHORIZED") << r.body;
    EXPECT_NE(r.body.find("claims agent's key only"), std::string::npos) << r.body;
  }
  HttpRequest unsigned_request = get("estate=0");
  unsigned_request.headers.clear();
  EXPECT_EQ(rig.call(unsigned_request).status, 401u);
  // A signature over other parameters than those asked.
  HttpRequest forged = get("estate=0");
  forged.query = "estate=0&from=2";
  EXPECT_EQ(code_of(rig.call(forged)), "INVALID_SIGNATURE");
}

TEST(GatewayClaims, BadParametersAreRefused) {
  ClaimsRig rig;
  EXPECT_EQ(code_of(rig.call(get(""))), "INVALID_CLIENT_REQUEST");
  EXPECT_EQ(code_of(rig.call(get("estate=7"))), "INVALID_CLIENT_REQUEST");
  EXPECT_EQ(code_of(rig.call(get("estate=0&limit=0"))), "INVALID_CLIENT_REQUEST");
  EXPECT_EQ(code_of(rig.call(get("estate=0&limit=10001"))), "INVALID_CLIENT_REQUEST");
  EXPECT_EQ(code_of(rig.call(get("estate=x"))), "INVALID_CLIENT_REQUEST");
}

}  // namespace
}  // namespace glassbook::api::testing
