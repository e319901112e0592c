// One JSON-RPC 2.0 call loop over any transport, shared by the simulated chain's client and the Ethereum adapter.
#pragma once
#include <simdjson.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace glassbook::custody {

// Sends one JSON-RPC request's text and returns the response's text; Error::Io when it could not.
using RpcTransport = std::function<Result<std::string>(const std::string& request)>;

// Writes each request with a fresh id, parses the answer with simdjson, and turns an error object
// into a Status: a refusal the peer explains, never mistaken for a result.
class JsonRpcClient {
 public:
  // The Status code of a refusal, from the error object's message and its data.code (empty when absent).
  using ErrorCode = std::function<Error(std::string_view message, std::string_view data_code)>;
  // `peer` names the other side in messages ("chain", "eth node"). With `check_id`, an answer must
  // carry the request's id (JSON-RPC 2.0 says it does; a node behind a proxy that mixes answers up
  // would otherwise be believed).
  JsonRpcClient(RpcTransport transport, std::string peer, ErrorCode error_code, bool check_id);

  // The "result" member of the answer to `method` with `params_json` (a JSON array or object),
  // valid until the next call. Error::Io for an answer that is not JSON-RPC.
  Result<simdjson::dom::element> call(std::string_view method, std::string_view params_json);
  // A Status for an answer whose result is not what `method` returns.
  Status bad_answer(std::string_view method, std::string_view why) const;

 private:
  RpcTransport transport_;
  std::string peer_;
  ErrorCode error_code_;
  bool check_id_ = true;
  uint64_t next_id_ = 1;
  simdjson::dom::parser parser_;
  std::string answer_;
};

}  // namespace glassbook::custody
