// What an HttpServer shares with its connections: io_context, handlers, limits, the registry stop() closes.
#pragma once
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

#include "api/http_server.h"
#include "api/http_types.h"

namespace glassbook::api {

// What the registry can do with an open connection.
class ServerConnection {
 public:
  virtual ~ServerConnection() = default;
  // Thread-safe: closes the socket at once (the server is stopping). The connection then deregisters itself.
  virtual void shutdown() = 0;
};

// Owned through shared_ptr by the server and by every connection, so the io_context outlives every socket,
// even a connection kept alive by a Respond or a WsConnection held after the server stopped.
class ServerCore {
 public:
  ServerCore(ServerOptions options, HttpHandler& http, WsHandler& ws);
  ServerCore(const ServerCore&) = delete;
  ServerCore& operator=(const ServerCore&) = delete;

  boost::asio::io_context& io() { return io_; }
  const ServerOptions& options() const { return options_; }
  HttpHandler& http_handler() { return http_; }
  WsHandler& ws_handler() { return ws_; }
  uint64_t next_id() { return next_id_.fetch_add(1, std::memory_order_relaxed); }

  // Posts fn to ex unless the server is stopping; false when fn was dropped. Work from other threads
  // (Respond, WsConnection::send) goes through here so nothing is queued once the I/O threads are gone.
  template <class Executor, class Fn>
  bool post(const Executor& ex, Fn&& fn) {
    std::shared_lock lock(stop_mutex_);
    if (stopping_) return false;
    boost::asio::post(ex, std::forward<Fn>(fn));
    return true;
  }

  // Registers an open connection from `address`. False (nothing registered) once stopping, or when
  // check_limit and the limits refuse it: max_connections open, the address's
  // max_connections_per_address open, or only the reserve left and the address holding one already.
  bool add(uint64_t id, std::weak_ptr<ServerConnection> connection, const std::string& address, bool check_limit);
  void remove(uint64_t id);  // idempotent
  size_t connections() const;

  // Runs the event loop on the calling thread until stop; exceptions from handlers are caught and reported.
  void run();
  // Stops accepting new work, shuts every open connection down and waits, at most `wait`, until all
  // have deregistered (their on_close calls done). Then lets the event loop end and stops it.
  void close_all(std::chrono::milliseconds wait);
  // After the I/O threads joined: runs the completions left behind (aborted operations) so the
  // connections they hold are released.
  void drain();

 private:
  const ServerOptions options_;
  HttpHandler& http_;
  WsHandler& ws_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::atomic<uint64_t> next_id_{1};

  mutable std::shared_mutex stop_mutex_;  // exclusive only to set stopping_
  bool stopping_ = false;

  mutable std::mutex registry_mutex_;
  std::condition_variable registry_empty_;
  struct Registered {
    std::weak_ptr<ServerConnection> connection;
    std::string address;
  };
  std::unordered_map<uint64_t, Registered> registry_;
  std::unordered_map<std::string, size_t> per_address_;  // open connections of each address
};

}  // namespace glassbook::api
