// Pre-signed raw HTTP order requests for the gateway benchmark (Backpack signing, built client-side).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/ed25519.h"

namespace glassbook::app {

// One SOL_USDC limit GTC order as a client sends it.
struct BenchOrder {
  bool ask = false;
  std::string price = "100";
  std::string quantity = "0.01";
  uint32_t client_id = 0;
};

// The whole HTTP/1.1 request (headers and JSON body), signed by `key`: POST /api/v1/order for one
// order, POST /api/v1/orders (a JSON array, one signature over the concatenated texts) when `batch`.
std::string signed_order_request(const crypto::KeyPair& key, const std::vector<BenchOrder>& orders, bool batch,
                                 int64_t timestamp_ms, int64_t window_ms, const std::string& host);

// Accounts that trade with each other in pairs: sellers[i] only sells and buyers[i] only buys, so
// no order ever meets one of its own account's orders (self-trade prevention never fires).
struct BenchTraders {
  std::vector<crypto::KeyPair> sellers;
  std::vector<crypto::KeyPair> buyers;
  std::vector<uint32_t> next_client_id;  // per trader (sellers then buyers): distinct texts, no replay
};

// `requests` requests alternating an Ask and a Bid of `orders_per_request` orders each (0.01 SOL at
// the same price, so every Bid trades with an Ask), rotating over the trader pairs; signed on every
// core. Request k is complete and independent: send them in any order on any connection. Request k
// is signed at timestamp_ms + k / rate (in ms; all at timestamp_ms when rate is 0): as a client
// that signs each request as it sends it at `rate` requests/s would.
std::vector<std::string> presign_order_requests(BenchTraders& traders, size_t requests, size_t orders_per_request,
                                                int64_t timestamp_ms, double rate, int64_t window_ms, const std::string& host);

}  // namespace glassbook::app
