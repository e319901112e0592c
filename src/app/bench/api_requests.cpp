// Pre-signed raw HTTP order requests: signing text, JSON body and headers, signed on every core.
#include "app/bench/api_requests.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace glassbook::app {

namespace {

// The order's parameters in the signing text: keys sorted bytewise, values exactly as in the body.
std::string order_text(const BenchOrder& o) {
  return fmt::format("instruction=orderExecute&clientId={}&orderType=Limit&price={}&quantity={}&side={}&symbol=SOL_USDC&timeInForce=GTC&",
                     o.client_id, o.price, o.quantity, o.ask ? "Ask" : "Bid");
}

std::string order_json(const BenchOrder& o) {
  return fmt::format(R"({{"symbol":"SOL_USDC","side":"{}","orderType":"Limit","quantity":"{}","price":"{}","timeInForce":"GTC","clientId":{}}})",
                     o.ask ? "Ask" : "Bid", o.quantity, o.price, o.client_id);
}

// What one request is before it is signed.
struct Plan {
  const crypto::KeyPair* key = nullptr;
  std::vector<BenchOrder> orders;
};

}  // namespace

std::string signed_order_request(const crypto::KeyPair& key, const std::vector<BenchOrder>& orders, bool batch,
                                 int64_t timestamp_ms, int64_t window_ms, const std::string& host) {
  std::string text, body = batch ? "[" : "";
  for (size_t i = 0; i < orders.size(); ++i) {
    text += order_text(orders[i]);
    if (i > 0) body += ',';
    body += order_json(orders[i]);
  }
  if (batch) body += ']';
  text += fmt::format("timestamp={}&window={}", timestamp_ms, window_ms);
  const crypto::Signature signature = key.sign(text);
  return fmt::format(
      "POST /api/v1/{} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nX-API-Key: {}\r\n"
      "X-Signature: {}\r\nX-Timestamp: {}\r\nX-Window: {}\r\nContent-Length: {}\r\n\r\n{}",
      batch ? "orders" : "order", host, crypto::base64_encode(key.public_key()), crypto::base64_encode(signature),
      timestamp_ms, window_ms, body.size(), body);
}

std::vector<std::string> presign_order_requests(BenchTraders& traders, size_t requests, size_t orders_per_request,
                                                int64_t timestamp_ms, double rate, int64_t window_ms, const std::string& host) {
  const size_t pairs = std::min(traders.sellers.size(), traders.buyers.size());
  traders.next_client_id.resize(traders.sellers.size() + traders.buyers.size(), 1);
  std::vector<Plan> plans(requests);
  for (size_t k = 0; k < requests; ++k) {
    const bool ask = k % 2 == 0;
    const size_t pair = (k / 2) % pairs;
    const size_t trader = ask ? pair : traders.sellers.size() + pair;
    plans[k].key = ask ? &traders.sellers[pair] : &traders.buyers[pair];
    for (size_t i = 0; i < orders_per_request; ++i) {
      BenchOrder o;
      o.ask = ask;
      o.client_id = traders.next_client_id[trader]++;
      plans[k].orders.push_back(o);
    }
  }
  std::vector<std::string> out(requests);
  const size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> workers;
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (size_t k = t; k < requests; k += threads)
        out[k] = signed_order_request(*plans[k].key, plans[k].orders, orders_per_request > 1,
                                      timestamp_ms + (rate > 0 ? static_cast<int64_t>(1e3 * static_cast<double>(k) / rate) : 0),
                                      window_ms, host);
    });
  }
  for (auto& w : workers) w.join();
  return out;
}

}  // namespace glassbook::app
