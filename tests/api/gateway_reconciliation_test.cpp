// GET /api/v1/glassbook/reconciliation: the exchange's wallets, each asset's figures and the open
// alerts; and a withdrawal of an asset whose alert is open refused over HTTP with WITHDRAWALS_HALTED.
#include <gtest/gtest.h>

#include "gateway_rig.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;
using testing::kNow;

crypto::KeyPair operator_key() { return crypto::KeyPair::from_seed(crypto::seed_from_label("gw/operator")); }
crypto::KeyPair custodian() { return crypto::KeyPair::from_seed(crypto::seed_from_label("gw/custodian")); }
constexpr const char* kHot = "00000000000000000000000000000000000000a1";

void rules(engine::ExchangeConfig& c) {
  c.operators = {{operator_key().public_key()}, 1};
  c.custodians = {{custodian().public_key()}, 1};
  c.withdrawals.assets = {{}, {10'000'000'000, 0, 0}};
}

TEST(GatewayReconciliation, TheWalletsFiguresAndAlertsAreShownAndAHaltedAssetsWithdrawalRefused) {
  GatewayRig rig(rules);
  auto get = [&] {
    HttpRequest r;
    r.method = "GET";
    r.path = "/api/v1/glassbook/reconciliation";
    r.remote_ip = "127.0.0.1";
    HttpResponse answer = rig.call(std::move(r));
    EXPECT_EQ(answer.status, 200u) << answer.body;
    return answer.body;
  };
  EXPECT_EQ(get(), R"({"haltWithdrawalsOnAlert":true,"wallets":[],"assets":[],"alerts":[]})");

  rig.submit_native(operator_key(), engine::timed(kNow * 1000, engine::RegisterWallet{"Solana", 1, kHot, engine::WalletKind::CustomerHot,
                                                                                       {custodian().public_key()}, 1}));
  std::string body = get();
  EXPECT_NE(body.find(fmt::format(R"("wallets":[{{"blockchain":"Solana","address":"{}","symbol":"SOL","kind":"customer-hot","signers":["{}"],"threshold":1,"height":null,"balance":null}}])",
                                  kHot, crypto::base64_encode(custodian().public_key()))),
            std::string::npos)
      << body;
  EXPECT_NE(body.find(R"("status":"unobserved")"), std::string::npos) << body;

  // The watcher sees the hot wallet empty: the customers' SOL is missing.
  rig.submit_native(rig.watcher_, engine::timed(kNow * 1000, engine::ObserveWalletBalance{"Solana", kHot, 7, 0}));
  body = get();
  EXPECT_NE(body.find(R"("height":7,"balance":"0")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("status":"shortfall")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("customerWalletsBalance":"0")"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("openAlert":1,"withdrawalsHalted":true)"), std::string::npos) << body;
  EXPECT_NE(body.find(R"("alerts":[{"alertId":1,"symbol":"SOL","kind":"shortfall","discrepancy":"-)"), std::string::npos) << body;

  const AccountId alice = *rig.view_->account_of(rig.alice_.public_key());
  rig.submit_native(rig.alice_, engine::AddWithdrawalAddress{alice, "sol1alice"});
  const std::string text =
      fmt::format("instruction=withdraw&address=sol1alice&blockchain=Solana&quantity=1&symbol=SOL&timestamp={}&window=5000", kNow);
  HttpResponse r = rig.call(rig.request(rig.alice_, "POST", "/wapi/v1/capital/withdrawals",
                                        R"({"address":"sol1alice","blockchain":"Solana","quantity":"1","symbol":"SOL"})", text));
  EXPECT_EQ(r.status, 400u) << r.body;
  EXPECT_EQ(code_of(r), "WITHDRAWALS_HALTED") << r.body;
}

}  // namespace
}  // namespace glassbook::api
