// The creditor's side of the claims market over the gateway: the public estates and estate report (with
// the traded figures), an account's own claims, KYC, payouts and escrow (signed queries), the claims
// commands taken at POST /api/v1/glassbook/command, and the account.claimUpdate stream.
#include <gtest/gtest.h>
#include <simdjson.h>

#include "claims_rig.h"
#include "engine/distribution_commands.h"
#include "recording_connection.h"
#include "role_command_body.h"

namespace glassbook::api::testing {
namespace {

using engine::testing::ClaimsExchange;
using engine::testing::kFtx;

constexpr AssetId kUsdcAsset = 2;

HttpRequest public_get(std::string path, std::string query) {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.query = std::move(query);
  r.remote_ip = "127.0.0.1";
  return r;
}

// A signed private GET: `params` are the query, already sorted by key as the signing text wants them.
HttpResponse signed_get(ClaimsRig& rig, const crypto::KeyPair& key, const std::string& path, std::string_view instruction,
                        const std::string& params = "") {
  const std::string text = fmt::format("instruction={}&{}{}timestamp={}&window=5000", instruction, params, params.empty() ? "" : "&", kNow);
  HttpRequest r = rig.request(key, "GET", path, "", text);
  r.query = params;
  return rig.call(std::move(r));
}

simdjson::dom::element parsed(simdjson::dom::parser& parser, const HttpResponse& r) {
  simdjson::dom::element e;
  EXPECT_EQ(parser.parse(r.body).get(e), simdjson::SUCCESS) << r.body;
  return e;
}

// The rig after a distribution: the claims agent's account (funded with 1,000 USDC) declares round 1 at
// 37% in USDC (3700 micro-USDC per cent of face) and pays it; bob, attested in CN (barred from payouts)
// beforehand, has his share escrowed. Every claims command goes through the HTTP endpoint.
class CreditorRig : public ClaimsRig {
 public:
  HttpResponse post(const crypto::KeyPair& key, const engine::CommandBody& body) { return post_command(*this, signed_json(key, body)); }
  void kyc(AccountId account, uint8_t level, std::string jurisdiction, Timestamp issued) {
    const HttpResponse r = post(ClaimsExchange::provider(kFtx), engine::AttestKyc{kFtx, account, level, std::move(jurisdiction), issued,
                                                                                  kNow * 1000 + 3'600'000'000});
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_NE(r.body.find(R"("kyc":"attested")"), std::string::npos) << r.body;
  }
  // `funded`: what the round takes from the agent's account (37% of the units outstanding).
  void distribute(std::string_view funded) {
    const crypto::KeyPair agent = ClaimsExchange::agent(kFtx);
    submit_native(agent, engine::RegisterAccount{agent.public_key()});
    agent_id_ = *view_->account_of(agent.public_key());
    submit_native(watcher_, engine::Deposit{agent_id_, kUsdcAsset, 1'000'000'000, 990});
    kyc(bob_id_, 2, "CN", kNow * 1000);
    const HttpResponse declared =
        post(agent, engine::DeclareDistribution{kFtx, 1, agent_id_, kUsdcAsset, 3700, 1, static_cast<SeqNo>(journaled() - 1)});
    ASSERT_EQ(declared.status, 200u) << declared.body;
    EXPECT_NE(declared.body.find(fmt::format(R"("round":1,"funded":"{}")", funded)), std::string::npos) << declared.body;
    const HttpResponse paid = post(agent, engine::PayDistribution{kFtx, 1});
    ASSERT_EQ(paid.status, 200u) << paid.body;
    EXPECT_NE(paid.body.find(R"("roundComplete":true,"remainder":"0.000000")"), std::string::npos) << paid.body;
  }
  AccountId agent_id_ = 0;
};

TEST(GatewayClaimsCreditor, TheReportCarriesTheTradedFiguresFromTheTransferRecords) {
  ClaimsRig rig;
  simdjson::dom::parser parser;
  const HttpResponse r = rig.call(public_get("/api/v1/glassbook/claims/report", "estate=0"));
  ASSERT_EQ(r.status, 200u) << r.body;
  simdjson::dom::element doc = parsed(parser, r);
  EXPECT_EQ(std::string_view(doc["name"]), "FTX Trading Ltd.");
  EXPECT_EQ(uint64_t(doc["claims"]["registered"]), 1u);
  EXPECT_EQ(std::string_view(doc["claims"]["faceLinked"]), "1000.00");
  EXPECT_EQ(std::string_view(doc["unitsOutstanding"]), "1000.00");
  simdjson::dom::array traded = doc["traded"];
  ASSERT_EQ(traded.size(), 1u) << r.body;
  simdjson::dom::element t = traded.at(0);
  EXPECT_EQ(std::string_view(t["market"]), "FTXCLAIM_USDC");
  EXPECT_EQ(uint64_t(t["trades"]), 2u);
  // 100.00 at 0.350 and 50.00 at 0.340: 52 USDC for 150 units, the last at 0.340, VWAP 52 / 150 floored.
  EXPECT_EQ(std::string_view(t["units"]), "150.00");
  EXPECT_EQ(std::string_view(t["quoteVolume"]), "52.000000");
  EXPECT_EQ(std::string_view(t["lastPrice"]), "0.340000");
  EXPECT_EQ(std::string_view(t["vwap"]), "0.346666");
  EXPECT_LT(uint64_t(t["lastSeq"]), rig.journaled());
  // Celsius has no claim market; an unknown estate or none is refused.
  const HttpResponse celsius = rig.call(public_get("/api/v1/glassbook/claims/report", "estate=1"));
  ASSERT_EQ(celsius.status, 200u);
  EXPECT_EQ(simdjson::dom::array(parsed(parser, celsius)["traded"]).size(), 0u);
  EXPECT_EQ(code_of(rig.call(public_get("/api/v1/glassbook/claims/report", "estate=2"))), "INVALID_CLIENT_REQUEST");
  EXPECT_EQ(code_of(rig.call(public_get("/api/v1/glassbook/claims/report", ""))), "INVALID_CLIENT_REQUEST");
}

TEST(GatewayClaimsCreditor, TheEstatesArePublic) {
  ClaimsRig rig;
  simdjson::dom::parser parser;
  const HttpResponse r = rig.call(public_get("/api/v1/glassbook/claims/estates", ""));
  ASSERT_EQ(r.status, 200u) << r.body;
  simdjson::dom::array estates = parsed(parser, r);
  ASSERT_EQ(estates.size(), 2u);
  simdjson::dom::element ftx = estates.at(0);
  EXPECT_EQ(std::string_view(ftx["claimUnit"]), "USD");
  EXPECT_EQ(std::string_view(ftx["claimAsset"]), "FTXCLAIM");
  EXPECT_EQ(std::string_view(simdjson::dom::array(ftx["payoutAssets"]).at(0)), "USDC");
  EXPECT_EQ(simdjson::minify(ftx["barredJurisdictions"]), R"(["CN","RU"])");
  EXPECT_EQ(simdjson::minify(ftx["transferRules"]), R"({"minKycLevel":2,"barredBuyerJurisdictions":["KP"]})");
  EXPECT_EQ(simdjson::minify(ftx["markets"]), R"(["FTXCLAIM_USDC"])");
  EXPECT_EQ(std::string_view(ftx["claimsAgent"]), crypto::base64_encode(ClaimsExchange::agent(kFtx).public_key()));
  EXPECT_TRUE(ftx["openRound"].is_null());
  EXPECT_EQ(simdjson::minify(estates.at(1)["markets"]), "[]");
}

TEST(GatewayClaimsCreditor, AnAccountReadsItsOwnClaimsAndKyc) {
  ClaimsRig rig;
  simdjson::dom::parser parser;
  const HttpResponse claims = signed_get(rig, rig.alice_, "/api/v1/glassbook/claims", "claimQueryAll");
  ASSERT_EQ(claims.status, 200u) << claims.body;
  EXPECT_EQ(claims.body,
            R"([{"estate":0,"estateName":"FTX Trading Ltd.","claimId":"1","claimAsset":"FTXCLAIM","face":"1000.00","status":"Allowed",)"
            R"("revision":1,"units":"1000.00"}])");
  // bob bought units but holds no claim of his own; asked for another estate, alice has none.
  EXPECT_EQ(signed_get(rig, rig.bob_, "/api/v1/glassbook/claims", "claimQueryAll").body, "[]");
  EXPECT_EQ(signed_get(rig, rig.alice_, "/api/v1/glassbook/claims", "claimQueryAll", "estate=1").body, "[]");
  EXPECT_EQ(code_of(signed_get(rig, rig.alice_, "/api/v1/glassbook/claims", "claimQueryAll", "estate=9")), "INVALID_CLIENT_REQUEST");

  const HttpResponse kyc = signed_get(rig, rig.alice_, "/api/v1/glassbook/claims/kyc", "kycQueryAll");
  ASSERT_EQ(kyc.status, 200u) << kyc.body;
  simdjson::dom::array entries = parsed(parser, kyc);
  ASSERT_EQ(entries.size(), 1u);
  simdjson::dom::element k = entries.at(0);
  EXPECT_EQ(uint64_t(k["level"]), 1u);
  EXPECT_EQ(std::string_view(k["jurisdiction"]), "US");
  EXPECT_EQ(int64_t(k["expiresAt"]), kNow * 1000 + 3'600'000'000);
  EXPECT_TRUE(bool(k["valid"]));
  EXPECT_TRUE(bool(k["maySell"]));
  EXPECT_FALSE(bool(k["mayBuy"])) << "level 1 is below FTX's level 2 for buyers";
  EXPECT_FALSE(bool(k["payoutsBarred"]));
  // The query is the signer's own: a request signed with another text, or no key, is refused.
  HttpRequest forged = rig.request(rig.alice_, "GET", "/api/v1/glassbook/claims", "", "instruction=balanceQuery&timestamp=1&window=5000");
  EXPECT_EQ(code_of(rig.call(std::move(forged))), "INVALID_SIGNATURE");
  EXPECT_EQ(code_of(rig.call(public_get("/api/v1/glassbook/claims/kyc", ""))), "UNAUTHORIZED");
}

TEST(GatewayClaimsCreditor, APaidRoundShowsInTheHistoryAndABarredShareInEscrowUntilReleased) {
  CreditorRig rig;
  rig.distribute("370.000000");
  simdjson::dom::parser parser;
  // alice holds 850.00 of face after selling 150.00: 85,000 cents x 3,700 micro-USDC.
  const HttpResponse alice = signed_get(rig, rig.alice_, "/api/v1/glassbook/claims/distributions", "distributionHistoryQueryAll");
  ASSERT_EQ(alice.status, 200u) << alice.body;
  simdjson::dom::array history = parsed(parser, alice);
  ASSERT_EQ(history.size(), 1u) << alice.body;
  EXPECT_EQ(std::string_view(history.at(0)["status"]), "paid");
  EXPECT_EQ(uint64_t(history.at(0)["round"]), 1u);
  EXPECT_EQ(std::string_view(history.at(0)["symbol"]), "USDC");
  EXPECT_EQ(std::string_view(history.at(0)["quantity"]), "314.500000");
  EXPECT_EQ(std::string_view(history.at(0)["units"]), "850.00");
  EXPECT_EQ(signed_get(rig, rig.alice_, "/api/v1/glassbook/claims/escrow", "escrowQueryAll").body, "[]");
  // bob, in CN, is barred from payouts: his 55.50 USDC waits in escrow, not releasable.
  const HttpResponse bob = signed_get(rig, rig.bob_, "/api/v1/glassbook/claims/escrow", "escrowQueryAll");
  EXPECT_EQ(bob.body,
            R"([{"estate":0,"estateName":"FTX Trading Ltd.","symbol":"USDC","quantity":"55.500000","releasable":false,)"
            R"("reason":"jurisdiction CN is barred from payouts"}])");
  const HttpResponse barred = rig.post(rig.bob_, engine::ReleaseEscrow{rig.bob_id_, kFtx, kUsdcAsset});
  EXPECT_EQ(code_of(barred), "UNAUTHORIZED") << "the engine's refusal, by its own name";
  EXPECT_NE(barred.body.find("bars payouts to CN"), std::string::npos) << barred.body;
  // Attested again in FR, he releases it himself.
  rig.kyc(rig.bob_id_, 2, "FR", kNow * 1000 + 1);
  EXPECT_NE(signed_get(rig, rig.bob_, "/api/v1/glassbook/claims/escrow", "escrowQueryAll").body.find(R"("releasable":true,"reason":null)"),
            std::string::npos);
  const HttpResponse released = rig.post(rig.bob_, engine::ReleaseEscrow{rig.bob_id_, kFtx, kUsdcAsset});
  ASSERT_EQ(released.status, 200u) << released.body;
  EXPECT_NE(released.body.find(R"("escrowReleased":"55.500000")"), std::string::npos) << released.body;
  EXPECT_EQ(signed_get(rig, rig.bob_, "/api/v1/glassbook/claims/escrow", "escrowQueryAll").body, "[]");
  simdjson::dom::array bob_history = parsed(parser, signed_get(rig, rig.bob_, "/api/v1/glassbook/claims/distributions", "distributionHistoryQueryAll"));
  ASSERT_EQ(bob_history.size(), 2u);
  EXPECT_EQ(std::string_view(bob_history.at(0)["status"]), "released");
  EXPECT_TRUE(bob_history.at(0)["round"].is_null());
  EXPECT_EQ(std::string_view(bob_history.at(1)["status"]), "escrowed");
  EXPECT_EQ(std::string_view(bob_history.at(1)["quantity"]), "55.500000");
  // The report sees the round and no escrow left.
  simdjson::dom::element report = parsed(parser, rig.call(public_get("/api/v1/glassbook/claims/report", "estate=0")));
  simdjson::dom::element round = simdjson::dom::array(report["rounds"]).at(0);
  EXPECT_EQ(std::string_view(round["paid"]), "314.500000");
  EXPECT_EQ(std::string_view(round["escrowed"]), "55.500000");
  EXPECT_TRUE(bool(round["complete"]));
  EXPECT_EQ(simdjson::minify(report["escrow"]), "[]") << "nothing left in escrow";
}

TEST(GatewayClaimsCreditor, ClaimsCommandsNeedTheirSignerAndAreRefusedBeforeTheJournal) {
  CreditorRig rig;
  const uint64_t before = rig.journaled();
  const crypto::Digest hash = engine::testing::legacy_hash("carol@example.com");
  // An agent's command signed by a creditor, a KYC attestation by the agent, a link or a release for
  // another account, an unknown estate: refused, nothing journaled.
  EXPECT_EQ(code_of(rig.post(rig.alice_, engine::AttestClaim{kFtx, 2, 1, 5'00, engine::ClaimStatus::Allowed, hash})), "UNAUTHORIZED");
  EXPECT_EQ(code_of(rig.post(rig.alice_, engine::PayDistribution{kFtx, 1})), "UNAUTHORIZED");
  EXPECT_EQ(code_of(rig.post(ClaimsExchange::agent(kFtx), engine::AttestKyc{kFtx, rig.alice_id_, 3, "FR", 1, kNow * 2000})), "UNAUTHORIZED");
  EXPECT_EQ(code_of(rig.post(rig.bob_, engine::LinkClaim{rig.alice_id_, kFtx, 1, hash, {}})), "UNAUTHORIZED");
  EXPECT_EQ(code_of(rig.post(rig.bob_, engine::ReleaseEscrow{rig.alice_id_, kFtx, kUsdcAsset})), "UNAUTHORIZED");
  EXPECT_EQ(code_of(rig.post(ClaimsExchange::agent(kFtx), engine::AttestClaim{7, 2, 1, 5'00, engine::ClaimStatus::Allowed, hash})),
            "INVALID_CLIENT_REQUEST");
  EXPECT_EQ(rig.journaled(), before);
}

std::vector<std::string> claim_events(const std::vector<std::string>& frames) {
  std::vector<std::string> out;
  simdjson::dom::parser parser;
  for (const std::string& f : frames) {
    simdjson::dom::element e;
    if (parser.parse(f).get(e) != simdjson::SUCCESS || std::string_view(e["stream"]) != "account.claimUpdate") continue;
    out.emplace_back(std::string_view(e["data"]["e"]));
  }
  return out;
}

TEST(GatewayClaimsCreditor, TheClaimUpdateStreamCarriesEveryClaimEventOfTheAccount) {
  CreditorRig rig;
  auto alice = std::make_shared<RecordingConnection>(1);
  auto bob = std::make_shared<RecordingConnection>(2);
  for (const auto& [c, key] : {std::pair{alice, &rig.alice_}, std::pair{bob, &rig.bob_}}) {
    rig.gateway_->on_open(c);
    rig.gateway_->on_message(c, signed_subscribe(*key, "account.claimUpdate"));
    ASSERT_EQ(c->take(), std::vector<std::string>{});  // no error
  }
  // alice links a second claim over HTTP: linked, units credited.
  const crypto::Digest hash = engine::testing::legacy_hash("alice-2@example.com");
  ASSERT_EQ(rig.post(ClaimsExchange::agent(kFtx), engine::AttestClaim{kFtx, 2, 1, 200'00, engine::ClaimStatus::Allowed, hash}).status, 200u);
  const std::string bytes = engine::claim_link_bytes("FTX Trading Ltd.", 2, rig.alice_id_, rig.alice_.public_key(), hash);
  const HttpResponse linked = rig.post(rig.alice_, engine::LinkClaim{rig.alice_id_, kFtx, 2, hash, ClaimsExchange::agent(kFtx).sign(bytes)});
  ASSERT_EQ(linked.status, 200u) << linked.body;
  EXPECT_NE(linked.body.find(R"("claim":"linked","unitsCredited":"200.00")"), std::string::npos) << linked.body;
  EXPECT_EQ(claim_events(alice->take()), (std::vector<std::string>{"claimLinked", "claimUnitsCredited"}));
  // A sale: each side hears of it, as seller and as buyer.
  rig.trade(360, 360, 10);
  const std::vector<std::string> sold = alice->take();
  EXPECT_EQ(claim_events(sold), std::vector<std::string>{"claimTransferred"});
  EXPECT_EQ(claim_events(bob->take()), std::vector<std::string>{"claimTransferred"});
  bool seller = false;
  for (const std::string& f : sold) seller |= f.find(R"("side":"seller","market":"FTXCLAIM_USDC")") != std::string::npos &&
                                              f.find(R"("units":"10.00","price":"0.360000","quoteAmount":"3.600000")") != std::string::npos;
  EXPECT_TRUE(seller);
  // The round: bob's KYC, then a payment to alice and an escrow for bob; bob's release.
  rig.distribute("444.000000");  // 1,200.00 of face outstanding
  EXPECT_EQ(claim_events(alice->take()), std::vector<std::string>{"distributionPaid"});
  EXPECT_EQ(claim_events(bob->take()), (std::vector<std::string>{"kycAttested", "distributionEscrowed"}));
  rig.kyc(rig.bob_id_, 2, "FR", kNow * 1000 + 1);
  ASSERT_EQ(rig.post(rig.bob_, engine::ReleaseEscrow{rig.bob_id_, kFtx, kUsdcAsset}).status, 200u);
  const std::vector<std::string> released = bob->take();
  EXPECT_EQ(claim_events(released), (std::vector<std::string>{"kycAttested", "escrowReleased"}));
  EXPECT_NE(released.back().find(R"("symbol":"USDC","quantity":"59.200000")"), std::string::npos) << released.back();
  EXPECT_EQ(alice->take(), std::vector<std::string>{}) << "bob's events are his alone";
  // The agent disputes alice's second claim: she hears of the new attestation and of the units taken back.
  const HttpResponse disputed = rig.post(ClaimsExchange::agent(kFtx), engine::AttestClaim{kFtx, 2, 2, 200'00, engine::ClaimStatus::Disputed, hash});
  ASSERT_EQ(disputed.status, 200u) << disputed.body;
  EXPECT_NE(disputed.body.find(R"("claim":"attested","revision":2,"unitsTakenBack":"200.00")"), std::string::npos) << disputed.body;
  const std::vector<std::string> dispute = alice->take();
  EXPECT_EQ(claim_events(dispute), (std::vector<std::string>{"claimAttested", "claimUnitsTakenBack"}));
  EXPECT_NE(dispute.front().find(R"("claimId":"2","face":"200.00","status":"Disputed","revision":2)"), std::string::npos) << dispute.front();
  // Unsubscribed (no signature needed), bob hears nothing more.
  rig.gateway_->on_message(bob, R"({"method":"UNSUBSCRIBE","params":["account.claimUpdate"]})");
  rig.kyc(rig.bob_id_, 2, "DE", kNow * 1000 + 2);
  EXPECT_EQ(bob->take(), std::vector<std::string>{});
  for (const auto& c : {alice, bob}) rig.gateway_->on_close(c);
}

}  // namespace
}  // namespace glassbook::api::testing
