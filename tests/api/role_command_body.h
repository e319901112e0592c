// The JSON body of POST /api/v1/glassbook/command, as a role key (or a key signing itself up) sends it.
#pragma once
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "engine/command.h"
#include "gateway_rig.h"

namespace glassbook::api::testing {

inline std::string b64(std::string_view bytes) {
  return crypto::base64_encode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

// `body` signed by `key` (or, with `signer`, claimed to be someone else's).
inline std::string signed_json(const crypto::KeyPair& key, const engine::CommandBody& body,
                               std::optional<crypto::PublicKey> signer = std::nullopt) {
  const std::string bytes = engine::signing_bytes(body);
  return fmt::format(R"({{"command":"{}","signer":"{}","signature":"{}"}})", b64(bytes),
                     crypto::base64_encode(signer.value_or(key.public_key())), crypto::base64_encode(key.sign(bytes)));
}

// POST /api/v1/glassbook/command with `body`, from a loopback client, answered by the rig's gateway.
inline HttpResponse post_command(GatewayRig& rig, std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.path = "/api/v1/glassbook/command";
  r.body = std::move(body);
  r.remote_ip = "127.0.0.1";
  return rig.call(std::move(r));
}

}  // namespace glassbook::api::testing
