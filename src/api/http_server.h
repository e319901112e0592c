// The HTTP/1.1 and WebSocket server of the gateway (Boost.Beast): limits, keep-alive, upgrades, orderly stop.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/http_types.h"
#include "core/result.h"

namespace glassbook::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;                 // 0: an ephemeral port (see HttpServer::port())
  size_t threads = 2;                // I/O threads
  size_t max_connections = 10'000;   // further accepts are closed at once
  // One address may hold at most this many connections (HTTP and WebSocket), so that one client
  // cannot take every slot; a NAT of many users shares one address, hence not far lower.
  size_t max_connections_per_address = 100;
  // The last slots go only to addresses holding no connection: when max_connections minus this many
  // are open, an address that already has one is refused another. Less than max_connections.
  size_t reserved_for_new_addresses = 1'000;
  // A WebSocket that holds no subscription this long is closed (clients answer pings, so the idle
  // timeout alone never ends it). Counted from its opening and from its last unsubscription.
  std::chrono::seconds ws_unsubscribed_timeout{60};
  size_t max_header_bytes = 8 * 1024;
  size_t max_body_bytes = 64 * 1024;
  size_t max_frame_bytes = 64 * 1024;       // WebSocket message limit
  size_t max_ws_queue_bytes = 4 << 20;      // unsent bytes per WebSocket before it is closed as a slow consumer
  std::chrono::seconds idle_timeout{60};
};

class ServerCore;
class Listener;

// Requests go to `http`, WebSocket connections (an Upgrade on any path) to `ws`; both must outlive stop().
// After stop() returns no handler is called again. Respond and WsConnection objects may outlive the server:
// they then do nothing (a WsConnection's send returns false).
class HttpServer {
 public:
  // Binds, listens and starts the I/O threads. Error::Io with the OS message when it cannot bind;
  // Error::InvalidArgument when the connection limits contradict each other.
  static Result<std::unique_ptr<HttpServer>> start(ServerOptions options, HttpHandler& http, WsHandler& ws);
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const { return port_; }  // the bound port
  // Closes the listener and every connection (WebSockets get on_close), joins the threads; idempotent.
  // Must not be called from a handler (an I/O thread).
  void stop();
  size_t connections() const;  // open HTTP + WebSocket connections

 private:
  HttpServer(std::shared_ptr<ServerCore> core, std::shared_ptr<Listener> listener, uint16_t port);

  std::shared_ptr<ServerCore> core_;
  std::shared_ptr<Listener> listener_;
  std::vector<std::thread> threads_;
  const uint16_t port_;
  std::mutex stop_mutex_;
  bool stopped_ = false;
};

}  // namespace glassbook::api
