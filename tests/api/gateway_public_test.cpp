// The gateway's public answers: the depth limits docs/api.md states, and error bodies that stay valid
// UTF-8 JSON whatever bytes the request held.
#include <gtest/gtest.h>
#include <fmt/format.h>
#include <simdjson.h>

#include "api/gateway.h"
#include "gateway_rig.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;

HttpRequest get(std::string path, std::string query = {}) {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  r.query = std::move(query);
  r.remote_ip = "127.0.0.1";
  return r;
}

TEST(GatewayPublic, DepthTakesBackpacksLimitOf5000) {
  GatewayRig rig;
  HttpResponse most = rig.call(get("/api/v1/depth", "symbol=SOL_USDC&limit=5000"));
  EXPECT_EQ(most.status, 200u) << most.body;
  HttpResponse over = rig.call(get("/api/v1/depth", "symbol=SOL_USDC&limit=5001"));
  EXPECT_EQ(over.status, 400u) << over.body;
  EXPECT_NE(over.body.find("5000"), std::string::npos) << over.body;
  EXPECT_EQ(rig.call(get("/api/v1/depth", "symbol=SOL_USDC")).status, 200u);
}

TEST(GatewayPublic, ErrorBodiesAreValidUtf8WhateverTheRequestHeld) {
  GatewayRig rig;
  const std::string bad = "\xff\xfe\xc3(\xed\xa0\x80";
  // An unknown path and a parameter name are echoed in the message (a value is refused unechoed).
  for (HttpRequest r : {get("/api/v1/" + bad), get("/api/v1/depth", bad + "=1")}) {
    HttpResponse resp = rig.call(r);
    EXPECT_EQ(resp.status / 100, 4u) << resp.body;
    EXPECT_TRUE(simdjson::validate_utf8(resp.body)) << resp.body;
    EXPECT_NE(code_of(resp), "<not json>") << resp.body;
    EXPECT_NE(resp.body.find("\\ufffd"), std::string::npos) << resp.body;
  }
}

}  // namespace
}  // namespace glassbook::api
