// One HTTP/1.1 connection: request by request (keep-alive) into the HttpHandler, limit errors, WebSocket upgrades.
#pragma once
#include "api/beast_http.h"  // first: before other Beast headers pull in the parser

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/server_core.h"

namespace glassbook::api {

// Runs on its own strand. A Respond holds the session: when every copy of a Respond is dropped uncalled,
// the session is destroyed and the client sees the connection closed without a response.
class HttpSession : public ServerConnection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(std::shared_ptr<ServerCore> core, boost::asio::ip::tcp::socket socket, uint64_t id);
  ~HttpSession() override;
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  void start();  // the session must be registered with the core first
  const std::string& remote_ip() const { return remote_ip_; }  // empty when the peer was already gone
  void shutdown() override;

 private:
  enum class After { KeepAlive, Close, Linger };  // what follows a written response

  void read_request();
  void on_header(boost::beast::error_code ec);
  void read_body();
  void on_body(boost::beast::error_code ec);
  void on_read_error(boost::beast::error_code ec);
  void dispatch_request();
  void respond(uint64_t seq, HttpResponse response);
  void fail_request(unsigned status, std::string_view message);
  void write(unsigned status, std::string body, std::string_view content_type, After after, std::string_view cache_control = {});
  void on_write(After after, boost::beast::error_code ec);
  void linger();
  void close_socket();
  void upgrade();

  std::shared_ptr<ServerCore> core_;
  const ServerOptions& options_;
  boost::beast::tcp_stream stream_;
  const boost::asio::any_io_executor executor_;  // the strand; stream_ is moved out on upgrade
  const uint64_t id_;
  std::string remote_ip_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::optional<boost::beast::http::response<boost::beast::http::string_body>> response_;
  std::optional<boost::beast::http::response<boost::beast::http::empty_body>> continue_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;  // the request is a HEAD: answered as its GET, headers only
  uint64_t request_seq_ = 0;         // the request awaiting its response
  bool awaiting_response_ = false;
  size_t lingered_bytes_ = 0;
  bool closed_ = false;
  bool upgraded_ = false;
};

}  // namespace glassbook::api
