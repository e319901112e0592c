// Request authentication: Backpack's headers, the time window, signatures, and the replay guard.
#include "api/request_auth.h"

#include <gtest/gtest.h>

#include "api/replay_guard.h"

namespace glassbook::api {
namespace {

constexpr int64_t kNow = 1'700'000'000'000;

HttpRequest signed_request(const crypto::KeyPair& key, std::string_view text, int64_t ts, std::string window = "5000") {
  HttpRequest r;
  r.headers["x-api-key"] = crypto::base64_encode(key.public_key());
  r.headers["x-signature"] = crypto::base64_encode(key.sign(text));
  r.headers["x-timestamp"] = std::to_string(ts);
  if (!window.empty()) r.headers["x-window"] = window;
  return r;
}

TEST(RequestAuth, ReadsHeadersAndChecksTheSignature) {
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label("auth/alice"));
  const std::string text = "instruction=balanceQuery&timestamp=1700000000000&window=5000";
  auto auth = read_auth(signed_request(key, text, kNow), kNow + 10);
  ASSERT_TRUE(auth.is_ok()) << auth.status().to_string();
  EXPECT_EQ(auth->key, key.public_key());
  EXPECT_EQ(auth->timestamp_ms, kNow);
  EXPECT_EQ(auth->window_ms, 5000);
  EXPECT_TRUE(signature_matches(*auth, text));
  EXPECT_FALSE(signature_matches(*auth, "instruction=orderQueryAll&timestamp=1700000000000&window=5000"));
  auto default_window = read_auth(signed_request(key, text, kNow, ""), kNow);
  ASSERT_TRUE(default_window.is_ok());
  EXPECT_EQ(default_window->window_ms, kDefaultWindowMs);
}

TEST(RequestAuth, RefusesMissingMalformedAndOutOfWindow) {
  const auto key = crypto::KeyPair::from_seed(crypto::seed_from_label("auth/bob"));
  HttpRequest r = signed_request(key, "x", kNow);
  auto code = [](const HttpRequest& req, int64_t now) { return read_auth(req, now).status().code(); };

  HttpRequest missing = r;
  missing.headers.erase("x-signature");
  EXPECT_EQ(code(missing, kNow), Error::Unauthorized);
  HttpRequest bad_key = r;
  bad_key.headers["x-api-key"] = "not base64!";
  EXPECT_EQ(code(bad_key, kNow), Error::InvalidSignature);
  HttpRequest bad_sig = r;
  bad_sig.headers["x-signature"] = crypto::base64_encode(key.public_key());  // 32 bytes, not 64
  EXPECT_EQ(code(bad_sig, kNow), Error::InvalidSignature);
  HttpRequest bad_ts = r;
  bad_ts.headers["x-timestamp"] = "12abc";
  EXPECT_EQ(code(bad_ts, kNow), Error::InvalidArgument);
  EXPECT_EQ(code(signed_request(key, "x", kNow, "60001"), kNow), Error::InvalidArgument);
  EXPECT_EQ(code(signed_request(key, "x", kNow, "0"), kNow), Error::InvalidArgument);
  EXPECT_TRUE(read_auth(signed_request(key, "x", kNow, "60000"), kNow + 60'000).is_ok());
  EXPECT_EQ(code(r, kNow + 5'001), Error::Expired);
  EXPECT_TRUE(read_auth(r, kNow - kMaxFutureMs).is_ok());
  EXPECT_EQ(code(r, kNow - kMaxFutureMs - 1), Error::InvalidArgument);  // from the future
}

TEST(ReplayGuard, RefusesASignatureUntilItsWindowCloses) {
  ReplayGuard guard(3);
  crypto::Signature a{}, b{}, c{}, d{};
  a[0] = 1, b[0] = 2, c[0] = 3, d[0] = 4;
  EXPECT_TRUE(guard.first_use(a, 1000, 0).is_ok());
  EXPECT_EQ(guard.first_use(a, 1000, 10).code(), Error::InvalidArgument);
  EXPECT_TRUE(guard.first_use(b, 2000, 10).is_ok());
  EXPECT_TRUE(guard.first_use(c, 3000, 10).is_ok());
  EXPECT_EQ(guard.first_use(d, 3000, 10).code(), Error::Overloaded);  // full: refused, never let through
  EXPECT_EQ(guard.size(), 3u);
  EXPECT_TRUE(guard.first_use(d, 3000, 1001).is_ok());  // a's window has closed: room again
  EXPECT_EQ(guard.first_use(a, 5000, 1001).code(), Error::Overloaded);  // b, c, d fill it
  EXPECT_TRUE(guard.first_use(a, 5000, 2001).is_ok());  // b's window has closed too (a itself would be refused as expired)
  EXPECT_EQ(guard.first_use(c, 5000, 2001).code(), Error::InvalidArgument);
}

}  // namespace
}  // namespace glassbook::api
