// HttpClient (http_client.h): Beast's tcp_stream with an expiry per request.
#include "app/http_client.h"

#include <fmt/format.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace glassbook::app {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

struct HttpClient::Impl {
  std::string host, port;
  std::chrono::milliseconds timeout{};
  boost::asio::io_context io;
  std::unique_ptr<beast::tcp_stream> stream;

  Status connect() {
    beast::error_code ec;
    tcp::resolver resolver(io);
    const auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return Status(Error::Io, fmt::format("cannot resolve {}:{}: {}", host, port, ec.message()));
    stream = std::make_unique<beast::tcp_stream>(io);
    stream->expires_after(timeout);
    stream->connect(endpoints, ec);
    if (ec) {
      stream.reset();
      return Status(Error::Io, fmt::format("cannot connect to {}:{}: {}", host, port, ec.message()));
    }
    return {};
  }

  Result<Response> exchange(const http::request<http::string_body>& req) {
    if (!stream) {
      if (auto s = connect(); !s) return s;
    }
    beast::error_code ec;
    stream->expires_after(timeout);
    http::write(*stream, req, ec);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    if (!ec) http::read(*stream, buffer, res, ec);
    if (ec) {
      stream.reset();
      return Status(Error::Io, fmt::format("{} {}: {}", std::string(req.method_string()), std::string(req.target()), ec.message()));
    }
    if (!res.keep_alive()) stream.reset();
    return Response{static_cast<int>(res.result_int()), std::move(res.body())};
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::open(std::string_view url, std::chrono::milliseconds timeout) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) return Status(Error::InvalidArgument, fmt::format("{}: only http://host:port is supported", url));
  std::string_view rest = url.substr(kScheme.size());
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size() || rest.find('/') != std::string_view::npos)
    return Status(Error::InvalidArgument, fmt::format("{}: expected http://host:port", url));
  auto impl = std::make_unique<Impl>();
  impl->host = std::string(rest.substr(0, colon));
  impl->port = std::string(rest.substr(colon + 1));
  impl->timeout = timeout;
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Result<HttpClient::Response> HttpClient::post(std::string_view path, std::string body, std::string_view content_type) {
  http::request<http::string_body> req{http::verb::post, std::string(path), 11};
  req.set(http::field::host, impl_->host);
  req.set(http::field::content_type, content_type);
  req.keep_alive(true);
  req.body() = std::move(body);
  req.prepare_payload();
  auto first = impl_->exchange(req);
  if (first) return first;
  // A kept-alive connection the server closed meanwhile: once more on a fresh one.
  return impl_->exchange(req);
}

Result<HttpClient::Response> HttpClient::get(std::string_view target) {
  http::request<http::string_body> req{http::verb::get, std::string(target), 11};
  req.set(http::field::host, impl_->host);
  req.keep_alive(true);
  auto first = impl_->exchange(req);
  if (first) return first;
  return impl_->exchange(req);
}

}  // namespace glassbook::app
