// A lean HTTP/1.1 load generator: one thread, epoll, keep-alive sockets, pre-built requests, closed or open loop.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace glassbook::app {

struct LoadResult {
  uint64_t sent = 0;
  uint64_t received = 0;  // complete responses, whatever their status
  uint64_t lost = 0;      // requests whose connection closed before their response
  uint64_t ok = 0;        // status 200
  uint64_t ok_orders = 0; // orders in the 200 responses (objects carrying "journalSeq")
  // Closed loop: what completed inside the measured window, and the window's length.
  uint64_t window_ok = 0;
  uint64_t window_ok_orders = 0;
  double seconds = 0;
  bool ran_out = false;  // closed loop: every request was sent before the time was up
  std::map<unsigned, uint64_t> errors;         // status -> responses
  std::map<unsigned, std::string> error_body;  // status -> the first such body
  std::vector<int64_t> latency_ns;             // open loop: due time -> response, one per response
};

// Connections stay open across runs (reconnected if the server closes one). Each request is a
// complete HTTP/1.1 request with a Content-Length; the server's responses must carry one too.
class HttpLoadClient {
 public:
  static Result<std::unique_ptr<HttpLoadClient>> connect(const std::string& address, uint16_t port, size_t connections);
  ~HttpLoadClient();
  HttpLoadClient(const HttpLoadClient&) = delete;
  HttpLoadClient& operator=(const HttpLoadClient&) = delete;

  // Every connection sends its next request as soon as its previous response arrived, for `seconds`
  // or until the requests run out; then waits for the answers still due.
  LoadResult closed_loop(const std::vector<std::string>& requests, double seconds);
  // Request k is due `k / rate` seconds after the start and sent then, on an idle connection or else
  // pipelined on the least busy one; its latency runs from its due time, so queueing shows.
  LoadResult open_loop(const std::vector<std::string>& requests, double rate);

 private:
  struct Connection;
  HttpLoadClient() = default;
  Status open(Connection& c);
  void reopen(Connection& c, LoadResult& r);  // counts its unanswered requests as lost
  void send(Connection& c, const std::string& request, int64_t due_ns, LoadResult& r);
  void flush(Connection& c);
  void watch_output(Connection& c, bool on);
  // Reads what is there and accounts for the responses it completes; false when the peer closed.
  bool read(Connection& c, LoadResult& r, bool latency);
  // Waits for the next socket or timer events and handles them; true when the timer fired.
  bool poll(LoadResult& r, bool latency);
  void arm_timer(int64_t at_ns);
  size_t in_flight() const;

  std::string address_;
  uint16_t port_ = 0;
  int epoll_ = -1;
  int timer_ = -1;
  std::vector<std::unique_ptr<Connection>> connections_;
};

}  // namespace glassbook::app
