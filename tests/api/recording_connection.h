// A WebSocket connection that records what the gateway sends it (no sockets), and the signed SUBSCRIBE
// of a private stream, for the gateway's stream tests.
#pragma once
#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "api/gateway.h"
#include "gateway_rig.h"

namespace glassbook::api::testing {

class RecordingConnection final : public WsConnection {
 public:
  explicit RecordingConnection(uint64_t id) : id_(id) {}
  bool send(std::string text) override {
    std::lock_guard lk(mu_);
    frames_.push_back(std::move(text));
    return true;
  }
  void close(std::string_view) override {}
  void set_subscribed(bool subscribed) override { subscribed_ = subscribed; }
  bool subscribed() const { return subscribed_; }
  uint64_t id() const override { return id_; }
  const std::string& remote_ip() const override { return ip_; }
  std::vector<std::string> take() {
    std::lock_guard lk(mu_);
    return std::exchange(frames_, {});
  }

 private:
  const uint64_t id_;
  const std::string ip_ = "127.0.0.1";
  std::mutex mu_;
  std::vector<std::string> frames_;
  std::atomic<bool> subscribed_ = false;
};

inline std::string signed_subscribe(const crypto::KeyPair& key, std::string_view stream) {
  const std::string text = fmt::format("instruction=subscribe&timestamp={}&window=5000", kNow);
  return fmt::format(R"({{"method":"SUBSCRIBE","params":["{}"],"signature":["{}","{}","{}","5000"]}})", stream,
                     crypto::base64_encode(key.public_key()), crypto::base64_encode(key.sign(text)), kNow);
}

}  // namespace glassbook::api::testing
