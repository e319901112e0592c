// The gateway's view of HTTP and WebSocket: plain requests, responses and connections, free of Beast types.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace glassbook::api {

// One HTTP request as the server read it. Header names are lower-cased; a repeated header keeps
// its last value. `path` has no query string; `query` is the raw text after '?' (possibly empty).
struct HttpRequest {
  std::string method;  // "GET", "POST", "DELETE", ...
  std::string path;    // "/api/v1/order"
  std::string query;   // "symbol=SOL_USDC&limit=10"
  std::map<std::string, std::string, std::less<>> headers;
  std::string body;
  std::string remote_ip;  // "127.0.0.1"
};

struct HttpResponse {
  unsigned status = 200;
  std::string body;  // JSON unless content_type says otherwise
  std::string content_type = "application/json";
  std::string cache_control = {};  // the Cache-Control header; empty: none sent
};

// Sends the response of one request. Must be called exactly once, from any thread.
using Respond = std::function<void(HttpResponse)>;

// Handles requests. Called on an I/O thread: must not block (queue work elsewhere and call Respond later).
class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual void handle(HttpRequest request, Respond respond) = 0;
};

// One open WebSocket connection, shared by the server and whoever holds it.
class WsConnection {
 public:
  virtual ~WsConnection() = default;
  // Queues a text frame; thread-safe, never blocks. When the connection's queue is over its byte
  // limit (a slow consumer), the connection is closed with a reason instead and false is returned.
  // False too once the connection is closed.
  virtual bool send(std::string text) = 0;
  // Closes with a WebSocket close frame carrying `reason` (at most 123 bytes). Thread-safe, idempotent.
  virtual void close(std::string_view reason) = 0;
  virtual uint64_t id() const = 0;  // unique within the server's life
  virtual const std::string& remote_ip() const = 0;
  // The handler says whether the connection holds any subscription: one that holds none for the
  // server's ws_unsubscribed_timeout is closed. Thread-safe. A new connection holds none.
  virtual void set_subscribed(bool subscribed) { (void)subscribed; }
};

// Handles WebSocket connections. Calls for one connection never run concurrently with each other.
class WsHandler {
 public:
  virtual ~WsHandler() = default;
  virtual void on_open(const std::shared_ptr<WsConnection>& connection) = 0;
  virtual void on_message(const std::shared_ptr<WsConnection>& connection, std::string_view text) = 0;
  virtual void on_close(const std::shared_ptr<WsConnection>& connection) = 0;
};

}  // namespace glassbook::api
