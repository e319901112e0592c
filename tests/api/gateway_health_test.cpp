// GET /api/v1/glassbook/health: healthy while the node runs; 503 with the reason once a failed
// checkpoint write (a full disk: checkpoints.log is /dev/full) has stopped it.
#include <gtest/gtest.h>

#include <filesystem>

#include "gateway_rig.h"
#include "journal/checkpoint_log.h"

namespace glassbook::api {
namespace {

using namespace testing;

HttpRequest health_request() {
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/v1/glassbook/health";
  r.remote_ip = "127.0.0.1";
  return r;
}

TEST(GatewayHealth, SaysWhyTheNodeStopped) {
  // The rig's set-up makes seqs 1..6 durable; the checkpoint due at seq 8 cannot be written.
  GatewayRig rig({}, [](journal::NodeOptions& o) {
    o.checkpoint_every = 8;
    std::filesystem::create_symlink("/dev/full", journal::checkpoint_log_path(o.dir));
  });
  const HttpResponse healthy = rig.call(health_request());
  EXPECT_EQ(healthy.status, 200u);
  EXPECT_EQ(healthy.body, R"({"healthy":true,"treeSize":7,"checkpointedSize":0})");

  const AccountId alice = *rig.view_->account_of(rig.alice_.public_key());
  rig.submit_native(rig.alice_, engine::CancelAll{alice, 1});  // seq 7
  rig.submit_native(rig.alice_, engine::CancelAll{alice, 1});  // seq 8: acknowledged, then the checkpoint fails
  const HttpResponse stopped = rig.call(health_request());
  EXPECT_EQ(stopped.status, 503u);
  EXPECT_EQ(code_of(stopped), "SERVICE_UNAVAILABLE");
  EXPECT_NE(stopped.body.find(R"("healthy":false)"), std::string::npos) << stopped.body;
  EXPECT_NE(stopped.body.find("node stopped: the checkpoint of 9 records could not be written"), std::string::npos) << stopped.body;
  EXPECT_NE(stopped.body.find("No space left on device"), std::string::npos) << stopped.body;
}

}  // namespace
}  // namespace glassbook::api
