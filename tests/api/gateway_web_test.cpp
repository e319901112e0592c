// The gateway serves the web interface at every GET path outside /api/ and /wapi/, and (when open)
// takes an account's own sign-up at POST /api/v1/glassbook/command, answering the new account.
#include <fstream>

#include "gateway_rig.h"
#include "role_command_body.h"

namespace glassbook::api {
namespace {

using testing::code_of;
using testing::GatewayRig;

using testing::signed_json;

class GatewayWeb : public ::testing::Test {
 protected:
  GatewayWeb() {
    const std::filesystem::path root = std::filesystem::path(web_dir_.path()) / "dist";
    std::filesystem::create_directories(root / "assets");
    std::ofstream(root / "index.html") << "<!doctype html><div id=app></div>";
    std::ofstream(root / "assets" / "app-X1.js") << "export{}";
    std::ofstream(std::filesystem::path(web_dir_.path()) / "secret.txt") << "secret";
    auto files = StaticFiles::load(root);
    EXPECT_TRUE(files) << files.status().message();
    auto web = std::make_shared<const StaticFiles>(std::move(files).value());
    rig.restart_gateway([&](GatewayOptions& o) {
      o.web = web;
      o.open_registration = open_registration;
    });
  }
  HttpResponse get(std::string path) {
    HttpRequest r;
    r.method = "GET";
    r.path = std::move(path);
    r.remote_ip = "127.0.0.1";
    return rig.call(std::move(r));
  }
  HttpResponse post_command(std::string body) { return testing::post_command(rig, std::move(body)); }

  bool open_registration = true;
  journal::testing::TempDir web_dir_;
  GatewayRig rig;
};

TEST_F(GatewayWeb, TheIndexAndAssetsAreServedBesideTheApi) {
  const HttpResponse index = get("/");
  EXPECT_EQ(index.status, 200u);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.body, "<!doctype html><div id=app></div>");
  const HttpResponse js = get("/assets/app-X1.js");
  EXPECT_EQ(js.status, 200u);
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.cache_control, "public, max-age=31536000, immutable");
  const HttpResponse markets = get("/api/v1/markets");
  EXPECT_EQ(markets.status, 200u);
  EXPECT_EQ(markets.content_type, "application/json");
  EXPECT_EQ(code_of(get("/api/v1/nothing")), "RESOURCE_NOT_FOUND");  // the API's own 404, not a file lookup
}

TEST_F(GatewayWeb, PathsOutsideTheWebRootAreNotFound) {
  for (std::string path : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                           "/nothing.js"}) {
    const HttpResponse r = get(path);
    EXPECT_EQ(r.status, 404u) << path;
    EXPECT_EQ(code_of(r), "RESOURCE_NOT_FOUND") << path;
    EXPECT_EQ(r.body.find("secret\""), std::string::npos);
  }
}

TEST_F(GatewayWeb, AKeySignsItselfUpAndLearnsItsAccount) {
  const crypto::KeyPair carol = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/carol"));
  const uint64_t before = rig.journaled();
  const HttpResponse r = post_command(signed_json(carol, engine::RegisterAccount{carol.public_key()}));
  ASSERT_EQ(r.status, 200u) << r.body;
  const auto account = rig.view_->account_of(carol.public_key());
  ASSERT_TRUE(account);
  EXPECT_NE(r.body.find(fmt::format(R"("account":{})", *account)), std::string::npos) << r.body;
  EXPECT_EQ(rig.journaled(), before + 1);

  // Again: refused before the journal, with the reason.
  const HttpResponse again = post_command(signed_json(carol, engine::RegisterAccount{carol.public_key()}));
  EXPECT_EQ(again.status, 400u) << again.body;
  EXPECT_EQ(code_of(again), "DUPLICATE_ACCOUNT_KEY");
  EXPECT_NE(again.body.find("already bound to an account"), std::string::npos) << again.body;
  EXPECT_EQ(rig.journaled(), before + 1);
}

TEST_F(GatewayWeb, ASignUpForSomeoneElsesKeyIsRefusedBeforeTheJournal) {
  const crypto::KeyPair carol = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/carol"));
  const crypto::KeyPair dave = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/dave"));
  const uint64_t before = rig.journaled();
  const HttpResponse r = post_command(signed_json(carol, engine::RegisterAccount{dave.public_key()}));
  EXPECT_EQ(code_of(r), "UNAUTHORIZED") << r.body;
  EXPECT_EQ(rig.journaled(), before);
  EXPECT_FALSE(rig.view_->account_of(dave.public_key()));
}

class GatewayClosedRegistration : public GatewayWeb {
 protected:
  GatewayClosedRegistration() {
    rig.restart_gateway([](GatewayOptions& o) { o.open_registration = false; });  // and no web root
  }
};

TEST_F(GatewayClosedRegistration, SignUpsAreRefusedAndNoFilesAreServed) {
  const crypto::KeyPair carol = crypto::KeyPair::from_seed(crypto::seed_from_label("gw/carol"));
  const uint64_t before = rig.journaled();
  const HttpResponse r = post_command(signed_json(carol, engine::RegisterAccount{carol.public_key()}));
  EXPECT_EQ(code_of(r), "INVALID_CLIENT_REQUEST") << r.body;
  EXPECT_EQ(rig.journaled(), before);
  EXPECT_EQ(code_of(get("/")), "RESOURCE_NOT_FOUND");
}

}  // namespace
}  // namespace glassbook::api
