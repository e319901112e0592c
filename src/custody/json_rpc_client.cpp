// JsonRpcClient (json_rpc_client.h): the request's text with fmt, the answer read with simdjson.
#include "custody/json_rpc_client.h"

#include <fmt/format.h>

#include "custody/json_text.h"

namespace glassbook::custody {

namespace dom = simdjson::dom;

JsonRpcClient::JsonRpcClient(RpcTransport transport, std::string peer, ErrorCode error_code, bool check_id)
    : transport_(std::move(transport)), peer_(std::move(peer)), error_code_(std::move(error_code)), check_id_(check_id) {}

Status JsonRpcClient::bad_answer(std::string_view method, std::string_view why) const {
  return Status(Error::Io, fmt::format("{} {}: unexpected answer: {}", peer_, method, why));
}

Result<dom::element> JsonRpcClient::call(std::string_view method, std::string_view params_json) {
  const uint64_t id = next_id_++;
  auto r = transport_(fmt::format(R"({{"jsonrpc":"2.0","id":{},"method":{},"params":{}}})", id, json_quote(method), params_json));
  if (!r) return r.status();
  answer_ = std::move(r).value();
  dom::element root;
  if (parser_.parse(answer_).get(root) != simdjson::SUCCESS) return bad_answer(method, "not JSON");
  dom::element error;
  if (root["error"].get(error) == simdjson::SUCCESS) {
    std::string_view message, reason;
    if (error["message"].get(message) != simdjson::SUCCESS) message = "(no message)";
    if (error["data"]["code"].get(reason) != simdjson::SUCCESS) reason = "";
    return Status(error_code_(message, reason), fmt::format("{} {}: {}", peer_, method, message));
  }
  uint64_t echoed = 0;
  if (check_id_ && (root["id"].get(echoed) != simdjson::SUCCESS || echoed != id)) return bad_answer(method, "another request's id");
  dom::element result;
  if (root["result"].get(result) != simdjson::SUCCESS) return bad_answer(method, "no result");
  return result;
}

}  // namespace glassbook::custody
