// Backpack request authentication: header parsing and the time window.
#include "api/request_auth.h"

#include <fmt/format.h>

#include <charconv>

namespace glassbook::api {
namespace {

std::string_view header(const HttpRequest& r, std::string_view name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string_view{} : std::string_view(it->second);
}

Result<int64_t> positive_integer(std::string_view name, std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v <= 0)
    return Status(Error::InvalidArgument, fmt::format("{} must be a positive integer", name));
  return v;
}

}  // namespace

Result<RequestAuth> read_auth(std::string_view key, std::string_view signature, std::string_view timestamp,
                              std::string_view window, int64_t now_ms) {
  if (key.empty()) return Status(Error::Unauthorized, "missing X-API-Key");
  if (signature.empty()) return Status(Error::Unauthorized, "missing X-Signature");
  if (timestamp.empty()) return Status(Error::Unauthorized, "missing X-Timestamp");
  RequestAuth auth;
  auto pk = crypto::public_key_from_base64(key);
  if (!pk) return Status(Error::InvalidSignature, "X-API-Key is not a base64 Ed25519 public key");
  auth.key = *pk;
  auto sig = crypto::signature_from_base64(signature);
  if (!sig) return Status(Error::InvalidSignature, "X-Signature is not a base64 Ed25519 signature");
  auth.signature = *sig;
  auto ts = positive_integer("X-Timestamp", timestamp);
  if (!ts) return ts.status();
  auth.timestamp_ms = *ts;
  if (!window.empty()) {
    auto w = positive_integer("X-Window", window);
    if (!w) return w.status();
    if (*w > kMaxWindowMs) return Status(Error::InvalidArgument, fmt::format("X-Window {} is over the maximum {}", *w, kMaxWindowMs));
    auth.window_ms = *w;
  }
  if (auth.timestamp_ms > now_ms + kMaxFutureMs)
    return Status(Error::InvalidArgument, fmt::format("X-Timestamp {} is ahead of the server time {}", auth.timestamp_ms, now_ms));
  if (auth.timestamp_ms + auth.window_ms < now_ms)
    return Status(Error::Expired, fmt::format("request expired: timestamp {} + window {} is before the server time {}",
                                              auth.timestamp_ms, auth.window_ms, now_ms));
  return auth;
}

Result<RequestAuth> read_auth(const HttpRequest& r, int64_t now_ms) {
  return read_auth(header(r, "x-api-key"), header(r, "x-signature"), header(r, "x-timestamp"), header(r, "x-window"), now_ms);
}

bool signature_matches(const RequestAuth& auth, std::string_view text) { return crypto::verify(auth.key, text, auth.signature); }

}  // namespace glassbook::api
