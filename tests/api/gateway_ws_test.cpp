// The gateway's WebSocket subscriptions in process (a recording connection, no sockets): private
// streams are signed to subscribe and stop on UNSUBSCRIBE.
#include <gtest/gtest.h>
#include <fmt/format.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/gateway.h"
#include "gateway_rig.h"
#include "recording_connection.h"

namespace glassbook::api {
namespace {

using testing::GatewayRig;
using testing::kNow;
using testing::RecordingConnection;
using testing::signed_subscribe;

HttpRequest order(GatewayRig& rig, int client_id) {
  const std::string body =
      fmt::format(R"({{"symbol":"SOL_USDC","side":"Bid","orderType":"Limit","price":"150","quantity":"1","clientId":{}}})", client_id);
  const std::string text = fmt::format(
      "instruction=orderExecute&clientId={}&orderType=Limit&price=150&quantity=1&side=Bid&symbol=SOL_USDC&timestamp={}&window=5000", client_id, kNow);
  return rig.request(rig.alice_, "POST", "/api/v1/order", body, text);
}

size_t order_updates(const std::vector<std::string>& frames) {
  size_t n = 0;
  for (const auto& f : frames) n += f.find("account.orderUpdate") != std::string::npos;
  return n;
}

TEST(GatewayWs, UnsubscribeStopsEveryPrivateStream) {
  GatewayRig rig;
  for (std::string_view stream : {"account.orderUpdate", "account.orderUpdate.SOL_USDC"}) {
    SCOPED_TRACE(stream);
    auto c = std::make_shared<RecordingConnection>(stream.size());
    rig.gateway_->on_open(c);
    rig.gateway_->on_message(c, signed_subscribe(rig.alice_, stream));
    ASSERT_EQ(c->take(), std::vector<std::string>{});  // no error
    EXPECT_TRUE(c->subscribed());  // the server keeps it open
    ASSERT_EQ(rig.call(order(rig, 1 + static_cast<int>(stream.size()))).status, 200u);
    ASSERT_GE(order_updates(c->take()), 1u);

    rig.gateway_->on_message(c, fmt::format(R"({{"method":"UNSUBSCRIBE","params":["{}"]}})", stream));
    EXPECT_EQ(c->take(), std::vector<std::string>{});
    EXPECT_FALSE(c->subscribed());  // the server may close it after ws_unsubscribed_timeout
    EXPECT_EQ(rig.hub_.subscribers(fmt::format("{}#{}", stream, *rig.view_->account_of(rig.alice_.public_key()))), 0u);
    ASSERT_EQ(rig.call(order(rig, 100 + static_cast<int>(stream.size()))).status, 200u);
    EXPECT_EQ(order_updates(c->take()), 0u);
    rig.gateway_->on_close(c);
  }
}

TEST(GatewayWs, UnsubscribeFromTheWholeStreamKeepsThePerMarketOne) {
  GatewayRig rig;
  auto c = std::make_shared<RecordingConnection>(1);
  rig.gateway_->on_open(c);
  rig.gateway_->on_message(c, signed_subscribe(rig.alice_, "account.orderUpdate.SOL_USDC"));
  rig.gateway_->on_message(c, R"({"method":"UNSUBSCRIBE","params":["account.orderUpdate"]})");
  ASSERT_EQ(rig.call(order(rig, 1)).status, 200u);
  EXPECT_GE(order_updates(c->take()), 1u);
  rig.gateway_->on_close(c);
}

}  // namespace
}  // namespace glassbook::api
