// Backpack request authentication: the X-API-Key / X-Signature / X-Timestamp / X-Window headers and the time window.
#pragma once
#include <cstdint>
#include <string_view>

#include "api/http_types.h"
#include "core/result.h"
#include "crypto/ed25519.h"

namespace glassbook::api {

inline constexpr int64_t kDefaultWindowMs = 5'000;
inline constexpr int64_t kMaxWindowMs = 60'000;
// How far ahead of the server's clock a request's timestamp may be (clock skew).
inline constexpr int64_t kMaxFutureMs = 2'000;

struct RequestAuth {
  crypto::PublicKey key{};
  crypto::Signature signature{};
  int64_t timestamp_ms = 0;
  int64_t window_ms = kDefaultWindowMs;
};

// Reads and checks the headers against the server time `now_ms`. Errors:
//  - Error::Unauthorized: a header is missing;
//  - Error::InvalidSignature: the key or the signature is not valid base64 of the right length;
//  - Error::InvalidArgument: timestamp or window not a positive integer, window over kMaxWindowMs,
//    timestamp more than kMaxFutureMs ahead;
//  - Error::Expired: timestamp + window is before now.
Result<RequestAuth> read_auth(const HttpRequest& request, int64_t now_ms);
// The same checks for the values a WebSocket subscription carries in its "signature" array.
Result<RequestAuth> read_auth(std::string_view key, std::string_view signature, std::string_view timestamp,
                              std::string_view window, int64_t now_ms);

// True when `signature` is the key's Ed25519 signature of `text` (libsodium; on the caller's thread).
bool signature_matches(const RequestAuth& auth, std::string_view text);

}  // namespace glassbook::api
