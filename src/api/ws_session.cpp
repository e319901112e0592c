// A WebSocket connection on its strand: ordered reads into the handler, a bounded send queue, bounded closes.
#include "api/ws_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/field.hpp>
#include <chrono>
#include <cstdint>

namespace glassbook::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

constexpr size_t kReadChunk = 64 * 1024;
// A close handshake that has not finished by then (say, the peer stopped reading) ends with the socket closed.
constexpr std::chrono::seconds kCloseTimeout{5};
constexpr size_t kMaxCloseReason = 123;  // RFC 6455: a control frame's payload is 125 bytes, 2 hold the code

// At most 123 bytes, not cutting a UTF-8 sequence in two (peers reject a reason that is not UTF-8).
std::string_view truncate_reason(std::string_view reason) {
  if (reason.size() <= kMaxCloseReason) return reason;
  size_t n = kMaxCloseReason;
  while (n > 0 && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80) --n;
  return reason.substr(0, n);
}

}  // namespace

WsSession::WsSession(std::shared_ptr<ServerCore> core, beast::tcp_stream stream, uint64_t id, std::string remote_ip)
    : core_(std::move(core)),
      ws_(std::move(stream)),
      executor_(ws_.get_executor()),
      close_timer_(executor_),
      unsubscribed_timer_(executor_),
      id_(id),
      remote_ip_(std::move(remote_ip)),
      max_message_(core_->options().max_frame_bytes),
      max_unsent_(core_->options().max_ws_queue_bytes) {}

WsSession::~WsSession() { core_->remove(id_); }

void WsSession::start(beast::http::request<beast::http::string_body> upgrade) {
  upgrade_ = std::move(upgrade);
  if (!core_->add(id_, weak_from_this(), remote_ip_, /*check_limit=*/false)) return;  // stopping: closed when dropped
  auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
  timeouts.idle_timeout = core_->options().idle_timeout;  // pings at half of it, closes after all of it
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& response) { response.set(beast::http::field::server, "glassbook"); }));
  // The limit itself (with a close reason) is checked in on_read; Beast's own check, at a frame's header,
  // only stops absurd frames from being read at all (they are closed with 1009 and no reason).
  ws_.read_message_max(max_message_ <= (SIZE_MAX - 1) / 2 ? 2 * max_message_ + 1 : 0);
  ws_.auto_fragment(false);
  ws_.text(true);
  ws_.async_accept(upgrade_, [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
}

void WsSession::on_accept(beast::error_code ec) {
  upgrade_ = {};
  if (finished_) return;
  if (ec) return finish();
  opened_ = true;
  arm_unsubscribed_timer();
  try {
    core_->ws_handler().on_open(shared_from_this());
  } catch (...) {
    request_close(websocket::close_code::internal_error, "internal error", true);
  }
  read_more();
}

void WsSession::read_more() {
  const size_t room = max_message_ + 1 - message_.size();  // one byte over the limit tells it was passed
  ws_.async_read_some(message_, std::min(room, kReadChunk),
                      [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
}

void WsSession::on_read(beast::error_code ec) {
  if (finished_) return;
  if (ec) return finish();  // closed by the peer or by us, timed out, or failed
  if (discarding_) {
    message_.clear();
    return read_more();  // keeps a read pending: it receives the peer's close frame
  }
  if (message_.size() > max_message_) {
    discarding_ = true;
    message_.clear();
    request_close(websocket::close_code::too_big, fmt::format("message over {} bytes", max_message_), true);
    return read_more();
  }
  if (!ws_.is_message_done()) return read_more();
  if (ws_.got_binary()) {
    discarding_ = true;
    request_close(websocket::close_code::unknown_data, "binary messages are not supported", true);
  } else {
    deliver();
  }
  message_.clear();
  read_more();
}

void WsSession::deliver() {
  if (closed()) return;  // the application closed this connection: it wants no more messages
  const std::string_view text(static_cast<const char*>(message_.data().data()), message_.size());
  try {
    core_->ws_handler().on_message(shared_from_this(), text);
  } catch (...) {
    request_close(websocket::close_code::internal_error, "internal error", true);
  }
}

bool WsSession::send(std::string text) {
  const size_t n = text.size();
  std::unique_lock lock(mutex_);
  if (closed_) return false;
  if (n > max_unsent_ || unsent_bytes_ > max_unsent_ - n) {
    lock.unlock();
    request_close(websocket::close_code::policy_error,
                  fmt::format("slow consumer: more than {} bytes unsent", max_unsent_), true);
    return false;
  }
  unsent_bytes_ += n;
  outbox_.push_back(std::move(text));
  if (writing_) return true;  // the writer takes it in turn
  writing_ = true;
  lock.unlock();
  if (core_->post(executor_, [self = shared_from_this()] { self->write_next(); })) return true;
  lock.lock();  // the server is stopping
  closed_ = true;
  writing_ = false;
  return false;
}

void WsSession::close(std::string_view reason) { request_close(websocket::close_code::normal, reason, false); }

void WsSession::request_close(websocket::close_code code, std::string_view reason, bool discard) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    if (discard) {
      for (const auto& frame : outbox_) unsent_bytes_ -= frame.size();
      outbox_.clear();
    }
  }
  websocket::close_reason close_reason(code, truncate_reason(reason));
  core_->post(executor_, [self = shared_from_this(), close_reason, discard] {
    self->start_close(close_reason, discard);
  });  // when stopping, shutdown() finishes the session instead
}

void WsSession::start_close(websocket::close_reason reason, bool discard) {
  if (finished_ || pending_close_) return;
  pending_close_ = std::move(reason);
  close_timer_.expires_after(kCloseTimeout);
  close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (!ec) self->hard_close();
  });
  bool busy;
  {
    std::lock_guard lock(mutex_);
    busy = writing_;
  }
  // Beast sends the close frame after a write in flight; queued frames go first unless discarded.
  if (discard || !busy) begin_close();
}

void WsSession::begin_close() {
  if (close_started_ || finished_) return;
  close_started_ = true;
  ws_.async_close(*pending_close_, [self = shared_from_this()](beast::error_code ec) {
    if (ec) self->hard_close();  // on success Beast has closed the socket; the pending read ends the session
  });
}

void WsSession::write_next() {
  bool have_frame = false;
  {
    std::lock_guard lock(mutex_);
    if (!finished_ && !close_started_ && !outbox_.empty()) {
      in_flight_ = std::move(outbox_.front());
      outbox_.pop_front();
      have_frame = true;
    } else {
      writing_ = false;
    }
  }
  if (!have_frame) {
    if (pending_close_) begin_close();
    return;
  }
  ws_.async_write(asio::buffer(in_flight_),
                  [self = shared_from_this()](beast::error_code ec, size_t) { self->on_write(ec); });
}

void WsSession::on_write(beast::error_code ec) {
  {
    std::lock_guard lock(mutex_);
    unsent_bytes_ -= in_flight_.size();
    if (ec) writing_ = false;
  }
  in_flight_ = std::string();
  if (ec) return hard_close();  // the pending read fails and finishes the session
  write_next();
}

void WsSession::set_subscribed(bool subscribed) {
  core_->post(executor_, [self = shared_from_this(), subscribed] {
    if (self->finished_ || self->subscribed_ == subscribed) return;
    self->subscribed_ = subscribed;
    if (subscribed) self->unsubscribed_timer_.cancel();
    else self->arm_unsubscribed_timer();
  });
}

void WsSession::arm_unsubscribed_timer() {
  const std::chrono::seconds timeout = core_->options().ws_unsubscribed_timeout;
  if (timeout.count() <= 0) return;  // disabled
  unsubscribed_timer_.expires_after(timeout);
  unsubscribed_timer_.async_wait([self = shared_from_this(), timeout](beast::error_code ec) {
    if (ec || self->finished_ || self->subscribed_) return;  // cancelled, re-armed, or subscribed since
    self->request_close(websocket::close_code::policy_error,
                        fmt::format("no subscription for {} s: connections that subscribe to nothing are closed", timeout.count()), false);
  });
}

void WsSession::hard_close() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

void WsSession::finish() {
  if (finished_) return;
  finished_ = true;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (const auto& frame : outbox_) unsent_bytes_ -= frame.size();
    outbox_.clear();
  }
  close_timer_.cancel();
  unsubscribed_timer_.cancel();
  hard_close();
  if (opened_) {
    try {
      core_->ws_handler().on_close(shared_from_this());
    } catch (...) {
      // Nothing to undo: the connection is gone either way.
    }
  }
  core_->remove(id_);
}

void WsSession::shutdown() {
  asio::post(executor_, [self = shared_from_this()] { self->finish(); });
}

bool WsSession::closed() {
  std::lock_guard lock(mutex_);
  return closed_;
}

}  // namespace glassbook::api
