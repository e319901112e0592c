// HttpServer: starts the listener and the I/O threads; stops them in order.
#include "api/http_server.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>

#include "api/listener.h"
#include "api/server_core.h"

namespace glassbook::api {

namespace {
// How long stop() waits for connections to finish their on_close before it stops the event loop anyway.
constexpr std::chrono::milliseconds kStopWait{5000};
}  // namespace

HttpServer::HttpServer(std::shared_ptr<ServerCore> core, std::shared_ptr<Listener> listener, uint16_t port)
    : core_(std::move(core)), listener_(std::move(listener)), port_(port) {}

Result<std::unique_ptr<HttpServer>> HttpServer::start(ServerOptions options, HttpHandler& http, WsHandler& ws) {
  if (options.max_connections_per_address == 0 || options.reserved_for_new_addresses >= options.max_connections)
    return Status(Error::InvalidArgument,
                  fmt::format("connection limits: max_connections_per_address must be at least 1 (is {}) and "
                              "reserved_for_new_addresses ({}) below max_connections ({})",
                              options.max_connections_per_address, options.reserved_for_new_addresses, options.max_connections));
  try {
    const size_t threads = std::max<size_t>(options.threads, 1);
    auto core = std::make_shared<ServerCore>(std::move(options), http, ws);
    auto listener = Listener::open(core);
    if (!listener) return listener.status();
    const uint16_t port = listener.value()->port();
    std::unique_ptr<HttpServer> server(new HttpServer(core, std::move(listener).value(), port));
    server->listener_->start();
    server->threads_.reserve(threads);
    ServerCore* raw = core.get();
    for (size_t i = 0; i < threads; ++i) server->threads_.emplace_back([raw] { raw->run(); });
    return server;
  } catch (const std::exception& e) {
    return Status(Error::Io, fmt::format("cannot start the HTTP server: {}", e.what()));
  }
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::stop() {
  std::lock_guard lock(stop_mutex_);
  if (stopped_) return;
  stopped_ = true;
  listener_->close();
  core_->close_all(kStopWait);
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
  core_->drain();
  listener_.reset();
}

size_t HttpServer::connections() const { return core_->connections(); }

}  // namespace glassbook::api
