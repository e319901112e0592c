// Accepts TCP connections for the HttpServer and starts an HttpSession on each, within max_connections.
#pragma once
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <cstdint>
#include <memory>

#include "api/server_core.h"
#include "core/result.h"

namespace glassbook::api {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // Binds and listens on options().address:port. Error::Io with the OS message when that fails.
  static Result<std::shared_ptr<Listener>> open(std::shared_ptr<ServerCore> core);
  explicit Listener(std::shared_ptr<ServerCore> core);

  uint16_t port() const { return port_; }
  void start();  // begins accepting
  void close();  // thread-safe: closes the acceptor on its strand

 private:
  void accept();
  void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  std::shared_ptr<ServerCore> core_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;  // backs off after an accept error (say, out of file descriptors)
  uint16_t port_ = 0;
  bool closed_ = false;  // on the acceptor's strand
};

}  // namespace glassbook::api
