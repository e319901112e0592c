// The claims agent's feed: GET /api/v1/glassbook/claims/transfers serves each fill in a claim market
// as a transfer-of-claim record, paged by journal seq.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "claims_rig.h"

namespace glassbook::api::testing {
namespace {

HttpRequest get(std::string query) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/v1/glassbook/claims/transfers";
  r.query = std::move(query);
  r.remote_ip = "127.0.0.1";
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
  // The other estate has traded nothing.
  const HttpResponse celsius = rig.call(get("estate=1"));
  ASSERT_EQ(parser.parse(celsius.body).get(doc), simdjson::SUCCESS);
  EXPECT_EQ(simdjson::dom::array(doc["transfers"]).size(), 0u);
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
