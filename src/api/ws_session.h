// One WebSocket connection: ordered messages into the WsHandler, a bounded send queue, bounded closes.
#pragma once
#include "api/beast_http.h"  // first: before the WebSocket headers pull in the parser

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "api/server_core.h"

namespace glassbook::api {

// Runs on the strand of the HTTP connection it was upgraded from. Lives while the server's I/O holds it or
// anyone holds its WsConnection; after it finished, send() returns false and close() does nothing.
class WsSession : public WsConnection, public ServerConnection, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(std::shared_ptr<ServerCore> core, boost::beast::tcp_stream stream, uint64_t id, std::string remote_ip);
  ~WsSession() override;
  WsSession(const WsSession&) = delete;
  WsSession& operator=(const WsSession&) = delete;

  // Registers with the core and answers the upgrade request (on the connection's strand).
  void start(boost::beast::http::request<boost::beast::http::string_body> upgrade);

  bool send(std::string text) override;
  void close(std::string_view reason) override;
  uint64_t id() const override { return id_; }
  const std::string& remote_ip() const override { return remote_ip_; }
  void set_subscribed(bool subscribed) override;
  void shutdown() override;

 private:
  void on_accept(boost::beast::error_code ec);
  void read_more();
  void on_read(boost::beast::error_code ec);
  void deliver();
  // Any thread: no more sends; the close frame follows the queued frames, or replaces them when discard.
  void request_close(boost::beast::websocket::close_code code, std::string_view reason, bool discard);
  void start_close(boost::beast::websocket::close_reason reason, bool discard);
  void begin_close();
  void write_next();
  void on_write(boost::beast::error_code ec);
  void arm_unsubscribed_timer();  // on the strand: closes the connection unless it subscribes in time
  void hard_close();
  void finish();
  bool closed();

  std::shared_ptr<ServerCore> core_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  const boost::asio::any_io_executor executor_;  // the strand
  boost::asio::steady_timer close_timer_;
  boost::asio::steady_timer unsubscribed_timer_;  // runs while the connection holds no subscription
  const uint64_t id_;
  const std::string remote_ip_;
  const size_t max_message_;
  const size_t max_unsent_;
  boost::beast::http::request<boost::beast::http::string_body> upgrade_;

  // On the strand only.
  boost::beast::flat_buffer message_;  // the message being read, at most max_message_ + 1 bytes
  std::string in_flight_;              // the frame being written
  std::optional<boost::beast::websocket::close_reason> pending_close_;
  bool opened_ = false;
  bool subscribed_ = false;
  bool discarding_ = false;  // a close is under way: incoming data is dropped
  bool close_started_ = false;
  bool finished_ = false;

  std::mutex mutex_;  // guards the send side below, shared with other threads
  std::deque<std::string> outbox_;
  size_t unsent_bytes_ = 0;  // outbox_ plus in_flight_
  bool writing_ = false;     // a write_next is posted or a write is in flight
  bool closed_ = false;      // no more sends
};

}  // namespace glassbook::api
