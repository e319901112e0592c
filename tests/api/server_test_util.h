// Helpers for the HTTP server tests: recording handlers, bounded waits, and Beast sync clients with a watchdog.
#pragma once
#include <sys/socket.h>

#include "api/beast_http.h"  // first: before any other Beast header pulls in the parser

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/http_server.h"

namespace glassbook::api::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

constexpr std::chrono::seconds kWait{20};  // every wait in these tests ends by then

// Polls pred until it holds or kWait passes.
inline bool eventually(const std::function<bool()>& pred) {
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// Shuts a socket down when a test is still blocked on it after kWait, so a blocking read fails instead of hanging.
class Watchdog {
 public:
  explicit Watchdog(int fd)
      : thread_([this, fd] {
          std::unique_lock lock(mutex_);
          if (!done_cv_.wait_for(lock, kWait, [this] { return done_; })) ::shutdown(fd, SHUT_RDWR);
        }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    done_cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;
  std::thread thread_;
};

// One blocking HTTP client connection.
struct HttpClient {
  // `local_address`: connect from this loopback address (127.0.0.2, ...) to look like another client.
  explicit HttpClient(uint16_t port, std::string_view local_address = {}) : socket(io) {
    if (!local_address.empty()) {
      socket.open(tcp::v4());
      socket.bind(tcp::endpoint(asio::ip::make_address(local_address), 0));
    }
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    watchdog = std::make_unique<Watchdog>(socket.native_handle());
  }
  http::response<http::string_body> request(http::verb verb, std::string target, std::string body = {},
                                            bool keep_alive = true) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.keep_alive(keep_alive);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = std::move(body);
    }
    req.prepare_payload();
    http::write(socket, req);
    return read();
  }
  http::response<http::string_body> read() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::read(socket, buffer, parser, last_error);
    return parser.release();
  }
  void write_raw(std::string_view text) { asio::write(socket, asio::buffer(text)); }
  // True when the server closed the connection: a read returns end of file (or a reset).
  bool closed_by_server() {
    char byte;
    beast::error_code ec;
    socket.read_some(asio::buffer(&byte, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }

  asio::io_context io;
  tcp::socket socket;
  beast::flat_buffer buffer;
  beast::error_code last_error;
  std::unique_ptr<Watchdog> watchdog;
};

// One blocking WebSocket client connection.
struct WsClient {
  explicit WsClient(uint16_t port, std::string path = "/") : ws(io) {
    ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    watchdog = std::make_unique<Watchdog>(ws.next_layer().native_handle());
    ws.handshake("127.0.0.1:" + std::to_string(port), path);
  }
  // The next text message, or empty with `error` set when the connection ended.
  std::string read() {
    beast::flat_buffer buffer;
    ws.read(buffer, error);
    return error ? std::string() : beast::buffers_to_string(buffer.data());
  }

  asio::io_context io;
  websocket::stream<tcp::socket> ws;
  beast::error_code error;
  std::unique_ptr<Watchdog> watchdog;
};

inline std::string reason_text(const WsClient& client) {
  const auto& reason = client.ws.reason().reason;
  return std::string(reason.data(), reason.size());
}

// Records requests; responds at once with an echo unless told to keep (or drop) the Respond.
class RecordingHttpHandler : public HttpHandler {
 public:
  enum class Mode { Echo, Keep, Drop };

  void handle(HttpRequest request, Respond respond) override {
    std::lock_guard lock(mutex);
    requests.push_back(request);
    switch (mode) {
      case Mode::Echo: {
        HttpResponse response;
        response.status = 200;
        response.body = request.method + " " + request.path + "?" + request.query + " " + request.body;
        response.content_type = "text/plain";
        respond(std::move(response));
        break;
      }
      case Mode::Keep: kept.push_back(std::move(respond)); break;
      case Mode::Drop: break;
    }
  }
  size_t count() {
    std::lock_guard lock(mutex);
    return requests.size();
  }
  size_t kept_count() {
    std::lock_guard lock(mutex);
    return kept.size();
  }

  std::mutex mutex;
  Mode mode = Mode::Echo;
  std::vector<HttpRequest> requests;
  std::vector<Respond> kept;
};

// Echoes text messages (or only records them), remembers connections, and counts opens and closes per id.
class RecordingWsHandler : public WsHandler {
 public:
  void on_open(const std::shared_ptr<WsConnection>& c) override {
    std::lock_guard lock(mutex);
    connections.push_back(c);
    ++opens[c->id()];
  }
  void on_message(const std::shared_ptr<WsConnection>& c, std::string_view text) override {
    {
      std::lock_guard lock(mutex);
      messages.emplace_back(text);
    }
    if (echo) c->send(std::string(text));
  }
  void on_close(const std::shared_ptr<WsConnection>& c) override {
    std::lock_guard lock(mutex);
    ++closes[c->id()];
  }
  std::shared_ptr<WsConnection> connection(size_t i) {
    std::lock_guard lock(mutex);
    return i < connections.size() ? connections[i] : nullptr;
  }
  size_t total_closes() {
    std::lock_guard lock(mutex);
    size_t n = 0;
    for (auto& [id, count] : closes) n += count;
    return n;
  }
  size_t total_opens() {
    std::lock_guard lock(mutex);
    return connections.size();
  }

  std::mutex mutex;
  bool echo = true;
  std::vector<std::shared_ptr<WsConnection>> connections;
  std::vector<std::string> messages;
  std::map<uint64_t, int> opens;
  std::map<uint64_t, int> closes;
};

inline std::unique_ptr<HttpServer> start_server(HttpHandler& http, WsHandler& ws, ServerOptions options = {}) {
  options.address = "127.0.0.1";
  options.port = 0;
  auto server = HttpServer::start(std::move(options), http, ws);
  if (!server) return nullptr;
  return std::move(server).value();
}

}  // namespace glassbook::api::testing
