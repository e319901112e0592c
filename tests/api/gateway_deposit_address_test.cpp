// Deposit addresses through the gateway: a chain watcher records them (POST /api/v1/glassbook/command),
// an account reads its own (GET /wapi/v1/capital/deposit/address, Backpack's shape), the watcher reads
// a chain's (GET /api/v1/glassbook/depositAddresses), and the asset list names the chains; deposit
// history is filtered by Backpack's from and to.
#include <algorithm>

#include "gateway_rig.h"
#include "role_command_body.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;
using testing::signed_json;

class DepositAddressGateway : public ::testing::Test {
 protected:
  DepositAddressGateway() {
    alice = *rig.view_->account_of(rig.alice_.public_key());
    bob = *rig.view_->account_of(rig.bob_.public_key());
  }
  HttpResponse record(AccountId account, AssetId asset, std::string chain, std::string address) {
    return testing::post_command(
        rig, signed_json(rig.watcher_, engine::timed(kNow * 1000, engine::RecordDepositAddress{account, asset, std::move(chain), std::move(address)})));
  }
  // A signed GET of `path` with `params` (already sorted by key, as the signing text wants them).
  HttpResponse get(const crypto::KeyPair& key, std::string path, std::string_view instruction, std::string params) {
    const std::string text = fmt::format("instruction={}{}{}&timestamp={}&window=5000", instruction, params.empty() ? "" : "&", params, kNow);
    HttpRequest r = rig.request(key, "GET", std::move(path), "", text);
    r.query = std::move(params);
    return rig.call(std::move(r));
  }
  HttpResponse public_get(std::string path, std::string query) {
    HttpRequest r;
    r.method = "GET";
    r.path = std::move(path);
    r.query = std::move(query);
    r.remote_ip = "127.0.0.1";
    return rig.call(std::move(r));
  }
  GatewayRig rig;
  AccountId alice = 0, bob = 0;
};

const std::string kAliceUsdc = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
const std::string kAliceSol = "00000000000000000000000000000000000000a5";
const std::string kBobUsdc = "00000000000000000000000000000000000000b2";

TEST_F(DepositAddressGateway, AWatcherRecordsAndTheAccountReadsItsAddressAsBackpackAnswers) {
  const uint64_t before = rig.journaled();
  HttpResponse r = record(alice, 2, "Ethereum", kAliceUsdc);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("depositAddress":"recorded")"), std::string::npos) << r.body;
  EXPECT_EQ(rig.journaled(), before + 1);
  // The same record again is done already, and journals nothing.
  r = record(alice, 2, "Ethereum", kAliceUsdc);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("already recorded"), std::string::npos) << r.body;
  EXPECT_EQ(rig.journaled(), before + 1);

  r = get(rig.alice_, "/wapi/v1/capital/deposit/address", "depositAddressQuery", "blockchain=Ethereum");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"address":")" + kAliceUsdc + R"("})");
  // Bob has none there yet: a clear refusal, not someone else's address.
  r = get(rig.bob_, "/wapi/v1/capital/deposit/address", "depositAddressQuery", "blockchain=Ethereum");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("no deposit address on Ethereum"), std::string::npos) << r.body;
  r = get(rig.alice_, "/wapi/v1/capital/deposit/address", "depositAddressQuery", "");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("missing parameter blockchain"), std::string::npos) << r.body;
}

TEST_F(DepositAddressGateway, SeveralAssetsOnAChainNeedTheSymbol) {
  ASSERT_EQ(record(alice, 2, "sim", kAliceUsdc).status, 200);
  ASSERT_EQ(record(alice, 1, "sim", kAliceSol).status, 200);
  HttpResponse r = get(rig.alice_, "/wapi/v1/capital/deposit/address", "depositAddressQuery", "blockchain=sim");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("for each of SOL, USDC: name one with symbol"), std::string::npos) << r.body;
  r = get(rig.alice_, "/wapi/v1/capital/deposit/address", "depositAddressQuery", "blockchain=sim&symbol=SOL");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"address":")" + kAliceSol + R"("})");
  r = get(rig.alice_, "/wapi/v1/capital/deposit/address", "depositAddressQuery", "blockchain=sim&symbol=DOGE");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("unknown asset DOGE"), std::string::npos) << r.body;
}

TEST_F(DepositAddressGateway, RefusedRecordsChangeNothing) {
  ASSERT_EQ(record(alice, 2, "Ethereum", kAliceUsdc).status, 200);
  const uint64_t journaled = rig.journaled();
  const auto root = rig.view_->state_root();
  // Given to another account: the engine refuses it, with its reason.
  HttpResponse r = record(bob, 2, "Ethereum", kAliceUsdc);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("already the deposit address of account"), std::string::npos) << r.body;
  // Signed by an account: not the chain watchers' role, never journaled.
  r = testing::post_command(rig, signed_json(rig.alice_, engine::timed(kNow * 1000, engine::RecordDepositAddress{alice, 1, "sim", kAliceSol})));
  EXPECT_EQ(code_of(r), "UNAUTHORIZED") << r.body;
  // Without its signed time: refused before the journal.
  r = testing::post_command(rig, signed_json(rig.watcher_, engine::RecordDepositAddress{alice, 1, "sim", kAliceSol}));
  EXPECT_EQ(code_of(r), "INVALID_CLIENT_REQUEST") << r.body;
  EXPECT_LE(rig.journaled(), journaled + 1);  // the engine's refusal of the first is journaled, the others never
  EXPECT_EQ(rig.view_->state_root(), root);
}

TEST_F(DepositAddressGateway, TheWatcherReadsAChainsAddressesAndTheAssetsNameTheChains) {
  ASSERT_EQ(record(alice, 2, "sim", kAliceUsdc).status, 200);
  ASSERT_EQ(record(bob, 2, "Ethereum", kBobUsdc).status, 200);
  HttpResponse r = public_get("/api/v1/glassbook/depositAddresses", "blockchain=sim");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, fmt::format(R"([{{"account":{},"symbol":"USDC","address":"{}"}}])", alice, kAliceUsdc));
  r = public_get("/api/v1/glassbook/depositAddresses", "blockchain=Solana");
  EXPECT_EQ(r.body, "[]");
  r = public_get("/api/v1/glassbook/depositAddresses", "blockchain=no%20chain");
  EXPECT_EQ(r.status, 400) << r.body;

  r = public_get("/api/v1/assets", "");
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::parser parser;
  simdjson::dom::array assets;
  ASSERT_EQ(parser.parse(r.body).get(assets), simdjson::SUCCESS) << r.body;
  for (simdjson::dom::element a : assets) {
    std::string_view symbol;
    ASSERT_EQ(a["symbol"].get(symbol), simdjson::SUCCESS);
    std::vector<std::string> chains;
    simdjson::dom::array tokens;
    ASSERT_EQ(a["tokens"].get(tokens), simdjson::SUCCESS);
    for (simdjson::dom::element t : tokens) {
      std::string_view chain;
      bool deposit = false, withdraw = true;
      ASSERT_EQ(t["blockchain"].get(chain), simdjson::SUCCESS);
      ASSERT_EQ(t["depositEnabled"].get(deposit), simdjson::SUCCESS);
      ASSERT_EQ(t["withdrawEnabled"].get(withdraw), simdjson::SUCCESS);
      chains.emplace_back(chain);
      EXPECT_TRUE(deposit);
      EXPECT_FALSE(withdraw) << "no custodian is configured: no withdrawal could be approved";
    }
    const std::vector<std::string> expected = symbol == "USDC" ? std::vector<std::string>{"Ethereum", "sim"} : std::vector<std::string>{};
    EXPECT_EQ(chains, expected) << symbol;
  }
}

TEST_F(DepositAddressGateway, DepositHistoryTakesBackpacksFromAndTo) {
  // The rig credited alice two deposits at its sequencer's time (kNow ms).
  HttpResponse r = get(rig.alice_, "/wapi/v1/capital/deposits", "depositQueryAll", "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find(R"("status":"confirmed")"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("symbol":"USDC")"), std::string::npos) << r.body;
  r = get(rig.alice_, "/wapi/v1/capital/deposits", "depositQueryAll", fmt::format("from={}", kNow));
  EXPECT_NE(r.body, "[]") << r.body;
  r = get(rig.alice_, "/wapi/v1/capital/deposits", "depositQueryAll", fmt::format("from={}", kNow + 1));
  EXPECT_EQ(r.body, "[]") << r.body;
  r = get(rig.alice_, "/wapi/v1/capital/deposits", "depositQueryAll", fmt::format("to={}", kNow - 1));
  EXPECT_EQ(r.body, "[]") << r.body;
  r = get(rig.alice_, "/wapi/v1/capital/deposits", "depositQueryAll", fmt::format("from={}&limit=1&to={}", kNow, kNow));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(std::count(r.body.begin(), r.body.end(), '{'), 1) << r.body;
  r = get(rig.alice_, "/wapi/v1/capital/deposits", "depositQueryAll", fmt::format("from={}&to={}", kNow, kNow - 1));
  EXPECT_EQ(r.status, 400) << r.body;
  r = get(rig.alice_, "/wapi/v1/capital/deposits", "depositQueryAll", "from=yesterday");
  EXPECT_EQ(r.status, 400) << r.body;
}

// With a custodian configured the chains where deposits are taken take withdrawals too (one smallest
// unit at least); claim units, which never leave, have no chain to list.
TEST(DepositAddressGatewayCustodians, TheAssetsSayWithdrawalsAreTakenOnceACustodianIsConfigured) {
  const crypto::KeyPair custodian = crypto::KeyPair::from_seed(crypto::seed_from_label("test/assets/custodian"));
  GatewayRig rig([&](engine::ExchangeConfig& c) { c.custodians = engine::RolePolicy{{custodian.public_key()}, 1}; });
  const AccountId alice = *rig.view_->account_of(rig.alice_.public_key());
  const HttpResponse recorded = testing::post_command(
      rig, signed_json(rig.watcher_, engine::timed(kNow * 1000, engine::RecordDepositAddress{alice, 2, "sim", std::string(kAliceUsdc)})));
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/v1/assets";
  r.remote_ip = "127.0.0.1";
  const HttpResponse assets = rig.call(std::move(r));
  ASSERT_EQ(assets.status, 200) << assets.body;
  EXPECT_NE(assets.body.find(R"("blockchain":"sim","contractAddress":null,"depositEnabled":true,"displayName":"USDC","maximumWithdrawal":null,)"
                             R"("minimumDeposit":"0.000001","minimumWithdrawal":"0.000001","withdrawEnabled":true)"),
            std::string::npos)
      << assets.body;
  EXPECT_EQ(assets.body.find(R"("withdrawEnabled":false)"), std::string::npos) << assets.body;
}

}  // namespace
}  // namespace glassbook::api
