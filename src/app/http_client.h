// A small blocking HTTP/1.1 client on Boost.Beast for the glassbook command's own tools: one
// keep-alive connection to one host, a deadline per request, one reconnect when it was dropped.
#pragma once
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace glassbook::app {

class HttpClient {
 public:
  struct Response {
    int status = 0;
    std::string body;
  };

  // `url`: http://host:port (no path, no TLS). Nothing is connected until the first request.
  static Result<std::unique_ptr<HttpClient>> open(std::string_view url, std::chrono::milliseconds timeout);
  ~HttpClient();

  // Sends once more on a fresh connection if the kept-alive one failed: only for requests that are
  // safe to repeat (every role command is: a repeated one is refused by the engine).
  Result<Response> post(std::string_view path, std::string body, std::string_view content_type = "application/json");
  // A GET (path with its query), sent once more on a fresh connection like post(): reads are safe to repeat.
  Result<Response> get(std::string_view target);

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace glassbook::app
