// The simulated chain's JSON-RPC 2.0 face, free of HTTP: one request's text in, one response's text
// out (docs/custody.md lists the methods). `glassbook chain-sim` serves it over HTTP.
#pragma once
#include <string>
#include <string_view>

#include "custody/sim_chain.h"

namespace glassbook::custody {

// JSON-RPC error codes: the specification's, then the chain's own refusals.
inline constexpr int kRpcParseError = -32700;
inline constexpr int kRpcInvalidRequest = -32600;
inline constexpr int kRpcMethodNotFound = -32601;
inline constexpr int kRpcInvalidParams = -32602;
inline constexpr int kRpcChainRefused = -32000;  // error.data.code names the reason (INSUFFICIENT_FUNDS, INVALID_SIGNATURE, ...)

inline constexpr size_t kMaxRpcRequestBytes = 1 << 20;

struct RpcAnswer {
  std::string body;      // the response object; empty for a notification (a request without an id)
  bool changed = false;  // the chain's state changed: the caller saves it before answering
};

// Runs one request against `chain`. With `test_methods` false, sim_mine, sim_reorg, sim_faucet and
// sim_steal are unknown methods. Bad input gets an error object and changes nothing. Batches (JSON
// arrays) are refused as invalid requests.
RpcAnswer handle_sim_chain_rpc(SimChain& chain, std::string_view request, bool test_methods);

}  // namespace glassbook::custody
