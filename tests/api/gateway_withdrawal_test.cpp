// POST and GET /wapi/v1/capital/withdrawals: a signed withdraw request journaled and answered in
// Backpack's shape, refusals with their codes, and the account's withdrawals as their events leave them.
#include <gtest/gtest.h>

#include "gateway_rig.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;

crypto::KeyPair custodian() { return crypto::KeyPair::from_seed(crypto::seed_from_label("gw/custodian")); }

// One custodian approves; SOL up to 10 is approved at once; addresses usable at once.
void rules(engine::ExchangeConfig& c) {
  c.custodians = {{custodian().public_key()}, 1};
  c.withdrawals.assets = {{}, {10'000'000'000, 0, 0}};
}

std::string withdraw_text(std::string_view address, std::string_view quantity) {
  return fmt::format("instruction=withdraw&address={}&blockchain=Solana&quantity={}&symbol=SOL&timestamp={}&window=5000", address,
                     quantity, kNow);
}
std::string withdraw_body(std::string_view address, std::string_view quantity) {
  return fmt::format(R"({{"address":"{}","blockchain":"Solana","quantity":"{}","symbol":"SOL"}})", address, quantity);
}

TEST(GatewayWithdrawals, ASignedWithdrawalIsJournaledHeldAndListedAsItProgresses) {
  GatewayRig rig(rules);
  const AccountId alice = *rig.view_->account_of(rig.alice_.public_key());
  rig.submit_native(rig.alice_, engine::AddWithdrawalAddress{alice, "sol1alice"});

  // Not on the allow-list: refused before anything moves, with the engine's code.
  const uint64_t before = rig.journaled();
  HttpResponse r = rig.call(rig.request(rig.alice_, "POST", "/wapi/v1/capital/withdrawals", withdraw_body("sol1mallory", "1"),
                                        withdraw_text("sol1mallory", "1")));
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(code_of(r), "ADDRESS_COOLING_OFF") << r.body;

  r = rig.call(rig.request(rig.alice_, "POST", "/wapi/v1/capital/withdrawals", withdraw_body("sol1alice", "1.5"),
                           withdraw_text("sol1alice", "1.5")));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_GT(rig.journaled(), before);
  EXPECT_NE(r.body.find("\"id\":1"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"status\":\"pending\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"glassbookStatus\":\"approved\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"toAddress\":\"sol1alice\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"symbol\":\"SOL\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"transactionHash\":null"), std::string::npos) << r.body;

  // The custodian records the broadcast and the chain watcher confirms it.
  rig.submit_native(custodian(), engine::timed(kNow * 1000, engine::BroadcastWithdrawal{1, "0xfeed"}));
  rig.submit_native(rig.watcher_, engine::timed(kNow * 1000, engine::SettleWithdrawal{1, true}));

  const std::string query = fmt::format("instruction=withdrawalQueryAll&timestamp={}&window=5000", kNow);
  r = rig.call(rig.request(rig.alice_, "GET", "/wapi/v1/capital/withdrawals", "", query));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body.front(), '[');
  EXPECT_NE(r.body.find("\"status\":\"confirmed\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"transactionHash\":\"0xfeed\""), std::string::npos) << r.body;
  // Bob has none.
  r = rig.call(rig.request(rig.bob_, "GET", "/wapi/v1/capital/withdrawals", "", query));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.body, "[]");
}

TEST(GatewayWithdrawals, TheOpenWithdrawalsAreListedForCustodiansAndWatchersUntilTheyFinish) {
  GatewayRig rig(rules);
  const AccountId alice = *rig.view_->account_of(rig.alice_.public_key());
  rig.submit_native(rig.alice_, engine::AddWithdrawalAddress{alice, "sol1alice"});
  auto list = [&] {
    HttpRequest get;
    get.method = "GET";
    get.path = "/api/v1/glassbook/withdrawals";
    get.remote_ip = "127.0.0.1";
    HttpResponse r = rig.call(std::move(get));
    EXPECT_EQ(r.status, 200u) << r.body;
    return r.body;
  };
  EXPECT_EQ(list(), "[]");
  // 20 SOL is above the 10 approved at once: it waits for the custodian.
  HttpResponse r = rig.call(rig.request(rig.alice_, "POST", "/wapi/v1/capital/withdrawals", withdraw_body("sol1alice", "20"),
                                        withdraw_text("sol1alice", "20")));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(list(), fmt::format(R"([{{"withdrawalId":1,"account":{},"symbol":"SOL","amount":"20000000000","address":"sol1alice",)"
                                R"("blockchain":"Solana","status":"awaitingApproval","approvalsNeeded":1,"approvers":[],"txId":null,)"
                                R"("confirmedBy":[],"failedBy":[]}}])",
                                alice));
  rig.submit_native(custodian(), engine::timed(kNow * 1000, engine::ApproveWithdrawal{1}));
  rig.submit_native(custodian(), engine::timed(kNow * 1000 + 1, engine::BroadcastWithdrawal{1, "0xfeed"}));
  const std::string broadcast = list();
  EXPECT_NE(broadcast.find(R"("status":"broadcast")"), std::string::npos) << broadcast;
  EXPECT_NE(broadcast.find(fmt::format(R"("approvers":["{}"])", crypto::base64_encode(custodian().public_key()))), std::string::npos) << broadcast;
  EXPECT_NE(broadcast.find(R"("txId":"0xfeed")"), std::string::npos) << broadcast;
  rig.submit_native(rig.watcher_, engine::timed(kNow * 1000, engine::SettleWithdrawal{1, true}));
  EXPECT_EQ(list(), "[]");  // finished: it leaves the list (the account's history keeps it)
}

}  // namespace
}  // namespace glassbook::api
