// An HTTP/1.1 connection on its strand: limits, keep-alive, one request at a time, responses from any thread.
#include "api/http_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <cctype>
#include <chrono>

#include "api/api_error.h"
#include "api/ws_session.h"

namespace glassbook::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// After an error response the server stops sending and reads (and drops) what the client still sends, so
// that closing does not reset the connection before the client has read the response.
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kLingerBytes = 1 << 20;
constexpr size_t kLingerChunk = 4096;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_parse_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::bad_method).category();
}

}  // namespace

HttpSession::HttpSession(std::shared_ptr<ServerCore> core, asio::ip::tcp::socket socket, uint64_t id)
    : core_(std::move(core)),
      options_(core_->options()),
      stream_(std::move(socket)),
      executor_(stream_.get_executor()),
      id_(id),
      buffer_(options_.max_header_bytes + 64 * 1024) {
  beast::error_code ec;
  const auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ip_ = endpoint.address().to_string();
}

HttpSession::~HttpSession() {
  if (!upgraded_) core_->remove(id_);
}

void HttpSession::start() {
  asio::dispatch(executor_, [self = shared_from_this()] { self->read_request(); });
}

void HttpSession::shutdown() {
  asio::post(executor_, [self = shared_from_this()] { self->close_socket(); });
}

void HttpSession::read_request() {
  if (closed_) return;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(std::min<size_t>(options_.max_header_bytes, UINT32_MAX)));
  parser_->body_limit(options_.max_body_bytes);
  stream_.expires_after(options_.idle_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
}

void HttpSession::on_header(beast::error_code ec) {
  if (closed_) return;
  if (ec) return on_read_error(ec);
  auto& request = parser_->get();
  if (beast::websocket::is_upgrade(request)) return upgrade();
  if (!parser_->is_done() && beast::iequals(request[http::field::expect], "100-continue")) {
    continue_.emplace(http::status::continue_, request.version());
    http::async_write(stream_, *continue_, [self = shared_from_this()](beast::error_code write_ec, size_t) {
      if (self->closed_) return;
      if (write_ec) return self->close_socket();
      self->read_body();
    });
    return;
  }
  read_body();
}

void HttpSession::read_body() {
  if (parser_->is_done()) return on_body({});
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) { self->on_body(ec); });
}

void HttpSession::on_body(beast::error_code ec) {
  if (closed_) return;
  if (ec) return on_read_error(ec);
  dispatch_request();
}

void HttpSession::on_read_error(beast::error_code ec) {
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    return fail_request(431, fmt::format("request header over {} bytes", options_.max_header_bytes));
  }
  if (ec == http::error::body_limit) {
    return fail_request(413, fmt::format("request body over {} bytes", options_.max_body_bytes));
  }
  const bool incomplete = ec == http::error::end_of_stream || ec == http::error::partial_message ||
                          ec == http::error::short_read;
  if (!incomplete && is_parse_error(ec)) {
    return fail_request(400, fmt::format("malformed HTTP request: {}", ec.message()));
  }
  close_socket();  // the peer left, timed out, or the socket failed
}

void HttpSession::dispatch_request() {
  auto message = parser_->release();
  parser_.reset();
  version_ = message.version();
  keep_alive_ = message.keep_alive();

  HttpRequest request;
  request.method = std::string(message.method_string());
  // HEAD is GET without the body (RFC 9110 9.3.2): handled as the GET, and write() sends only the
  // headers, with the Content-Length the GET would have.
  head_ = request.method == "HEAD";
  if (head_) request.method = "GET";
  const std::string_view target = message.target();
  const size_t question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  for (const auto& field : message) request.headers[lower(field.name_string())] = std::string(field.value());
  request.body = std::move(message.body());
  request.remote_ip = remote_ip_;

  const uint64_t seq = ++request_seq_;
  awaiting_response_ = true;
  auto self = shared_from_this();
  Respond respond = [self, seq](HttpResponse response) {
    self->core_->post(self->executor_, [self, seq, response = std::move(response)]() mutable {
      self->respond(seq, std::move(response));
    });
  };
  try {
    core_->http_handler().handle(std::move(request), std::move(respond));
  } catch (...) {
    // A 500, which respond() ignores when the handler had already responded.
    core_->post(executor_, [self, seq] { self->respond(seq, error_response("SERVER_ERROR", "internal error")); });
  }
}

void HttpSession::respond(uint64_t seq, HttpResponse response) {
  if (closed_ || !awaiting_response_ || seq != request_seq_) return;  // late, repeated, or the socket is gone
  awaiting_response_ = false;
  write(response.status, std::move(response.body), response.content_type,
        keep_alive_ ? After::KeepAlive : After::Close, response.cache_control);
}

void HttpSession::fail_request(unsigned status, std::string_view message) {
  parser_.reset();
  write(status, error_body("INVALID_CLIENT_REQUEST", message), "application/json", After::Linger);
}

void HttpSession::write(unsigned status, std::string body, std::string_view content_type, After after,
                        std::string_view cache_control) {
  if (status < 100 || status > 599) status = 500;
  response_.emplace();
  response_->version(version_);
  response_->result(status);
  response_->set(http::field::server, "glassbook");
  response_->set(http::field::content_type, content_type);
  if (!cache_control.empty()) response_->set(http::field::cache_control, cache_control);
  response_->body() = std::move(body);
  response_->keep_alive(after == After::KeepAlive);
  response_->prepare_payload();
  if (head_ && after != After::Linger) {
    const size_t length = response_->body().size();
    response_->body().clear();
    response_->content_length(length);
  }
  stream_.expires_after(options_.idle_timeout);
  http::async_write(stream_, *response_, [self = shared_from_this(), after](beast::error_code ec, size_t) {
    self->on_write(after, ec);
  });
}

void HttpSession::on_write(After after, beast::error_code ec) {
  response_.reset();
  if (closed_) return;
  if (ec) return close_socket();
  switch (after) {
    case After::KeepAlive: return read_request();
    case After::Linger: return linger();
    case After::Close: {
      beast::error_code ignored;
      stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
      return close_socket();
    }
  }
}

void HttpSession::linger() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  buffer_.consume(buffer_.size());
  stream_.expires_after(std::min<std::chrono::seconds>(kLingerTime, options_.idle_timeout));
  struct Drain {
    std::shared_ptr<HttpSession> self;
    void operator()(beast::error_code ec, size_t n) const {
      if (self->closed_) return;
      self->lingered_bytes_ += n;
      if (ec || self->lingered_bytes_ > kLingerBytes) return self->close_socket();
      self->stream_.async_read_some(self->buffer_.prepare(kLingerChunk), Drain{self});
    }
  };
  stream_.async_read_some(buffer_.prepare(kLingerChunk), Drain{shared_from_this()});
}

void HttpSession::close_socket() {
  if (closed_) return;
  closed_ = true;
  if (!upgraded_) {
    beast::error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
    core_->remove(id_);
  }
}

void HttpSession::upgrade() {
  auto request = parser_->release();
  parser_.reset();
  upgraded_ = true;
  closed_ = true;
  core_->remove(id_);
  stream_.expires_never();
  auto ws = std::make_shared<WsSession>(core_, std::move(stream_), core_->next_id(), remote_ip_);
  ws->start(std::move(request));
}

}  // namespace glassbook::api
