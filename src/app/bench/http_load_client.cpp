// The load generator: non-blocking keep-alive sockets on epoll, a timerfd for the schedule, minimal response parsing.
#include "app/bench/http_load_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <string_view>

namespace glassbook::app {

namespace {

constexpr int64_t kDrainNs = 30'000'000'000;  // how long answers still due are awaited after the run
constexpr size_t kReadChunk = 64 * 1024;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The Content-Length of a response head (status line and headers, no blank line), or -1.
int64_t content_length(std::string_view head) {
  constexpr std::string_view kName = "content-length:";
  size_t line = head.find("\r\n");
  while (line != std::string_view::npos) {
    line += 2;
    const size_t end = std::min(head.find("\r\n", line), head.size());
    const std::string_view h = head.substr(line, end - line);
    if (h.size() > kName.size() && std::equal(kName.begin(), kName.end(), h.begin(), [](char a, char b) { return a == lower(b); })) {
      int64_t v = 0;
      size_t i = kName.size();
      while (i < h.size() && h[i] == ' ') ++i;
      if (i == h.size()) return -1;
      for (; i < h.size() && h[i] >= '0' && h[i] <= '9'; ++i) v = v * 10 + (h[i] - '0');
      return v;
    }
    line = end < head.size() ? end : std::string_view::npos;
  }
  return -1;
}

uint64_t count_of(std::string_view text, std::string_view what) {
  uint64_t n = 0;
  for (size_t at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace

struct HttpLoadClient::Connection {
  int fd = -1;
  std::deque<std::string_view> out;  // bytes not yet written (views into the caller's requests)
  size_t out_offset = 0;             // of out.front()
  bool watching_out = false;
  std::deque<int64_t> due;           // due times of the requests awaiting a response, oldest first
  std::vector<char> in = std::vector<char>(kReadChunk * 2);
  size_t begin = 0, end = 0;         // unparsed bytes of `in`
};

Result<std::unique_ptr<HttpLoadClient>> HttpLoadClient::connect(const std::string& address, uint16_t port, size_t connections) {
  std::unique_ptr<HttpLoadClient> client(new HttpLoadClient());
  client->address_ = address;
  client->port_ = port;
  client->epoll_ = epoll_create1(EPOLL_CLOEXEC);
  client->timer_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (client->epoll_ < 0 || client->timer_ < 0) return Status(Error::Io, fmt::format("epoll/timerfd: {}", std::strerror(errno)));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the timer
  if (epoll_ctl(client->epoll_, EPOLL_CTL_ADD, client->timer_, &ev) != 0) return Status(Error::Io, std::strerror(errno));
  for (size_t i = 0; i < connections; ++i) {
    auto c = std::make_unique<Connection>();
    if (auto s = client->open(*c); !s) return s;
    client->connections_.push_back(std::move(c));
  }
  return client;
}

HttpLoadClient::~HttpLoadClient() {
  for (auto& c : connections_)
    if (c->fd >= 0) ::close(c->fd);
  if (timer_ >= 0) ::close(timer_);
  if (epoll_ >= 0) ::close(epoll_);
}

Status HttpLoadClient::open(Connection& c) {
  c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (c.fd < 0) return Status(Error::Io, fmt::format("socket: {}", std::strerror(errno)));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port_);
  if (inet_pton(AF_INET, address_.c_str(), &sa.sin_addr) != 1) return Status(Error::InvalidArgument, "not an IPv4 address: " + address_);
  if (::connect(c.fd, reinterpret_cast<const sockaddr*>(&sa), sizeof sa) != 0)
    return Status(Error::Io, fmt::format("connect {}:{}: {}", address_, port_, std::strerror(errno)));
  const int one = 1;
  setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &c;
  c.watching_out = false;
  if (epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev) != 0) return Status(Error::Io, fmt::format("epoll_ctl: {}", std::strerror(errno)));
  return {};
}

void HttpLoadClient::reopen(Connection& c, LoadResult& r) {
  r.lost += c.due.size();
  c.due.clear();
  c.out.clear();
  c.out_offset = 0;
  c.begin = c.end = 0;
  ::close(c.fd);  // also leaves the epoll set
  if (auto s = open(c); !s) {
    fmt::print(stderr, "bench api: cannot reconnect: {}\n", s.to_string());
    std::abort();
  }
}

void HttpLoadClient::watch_output(Connection& c, bool on) {
  if (c.watching_out == on) return;
  c.watching_out = on;
  epoll_event ev{};
  ev.events = on ? EPOLLIN | EPOLLOUT : EPOLLIN;
  ev.data.ptr = &c;
  epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
}

void HttpLoadClient::send(Connection& c, const std::string& request, int64_t due_ns, LoadResult& r) {
  c.due.push_back(due_ns);
  ++r.sent;
  c.out.push_back(request);
  if (c.out.size() == 1) flush(c);
}

void HttpLoadClient::flush(Connection& c) {
  while (!c.out.empty()) {
    const std::string_view b = c.out.front().substr(c.out_offset);
    const ssize_t n = ::send(c.fd, b.data(), b.size(), MSG_NOSIGNAL);
    if (n < 0) {
      // EAGAIN: wait for room. Anything else: the read side sees the closed socket and reopens it.
      watch_output(c, errno == EAGAIN || errno == EWOULDBLOCK);
      return;
    }
    c.out_offset += static_cast<size_t>(n);
    if (c.out_offset == c.out.front().size()) {
      c.out.pop_front();
      c.out_offset = 0;
    }
  }
  watch_output(c, false);
}

bool HttpLoadClient::read(Connection& c, LoadResult& r, bool latency) {
  if (c.in.size() - c.end < kReadChunk / 2) {
    std::memmove(c.in.data(), c.in.data() + c.begin, c.end - c.begin);
    c.end -= c.begin;
    c.begin = 0;
    if (c.in.size() - c.end < kReadChunk / 2) c.in.resize(c.in.size() * 2);
  }
  const ssize_t n = ::recv(c.fd, c.in.data() + c.end, c.in.size() - c.end, 0);
  if (n == 0) return false;
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  c.end += static_cast<size_t>(n);
  const int64_t now = latency ? now_ns() : 0;
  for (;;) {
    const std::string_view data(c.in.data() + c.begin, c.end - c.begin);
    const size_t head_end = data.find("\r\n\r\n");
    if (head_end == std::string_view::npos) break;
    const int64_t length = content_length(data.substr(0, head_end));
    if (data.size() < 12 || length < 0 || c.due.empty()) return false;  // not a response this client understands
    const size_t total = head_end + 4 + static_cast<size_t>(length);
    if (data.size() < total) break;
    const unsigned status = static_cast<unsigned>((data[9] - '0') * 100 + (data[10] - '0') * 10 + (data[11] - '0'));
    const std::string_view body = data.substr(head_end + 4, static_cast<size_t>(length));
    ++r.received;
    if (latency) r.latency_ns.push_back(now - c.due.front());
    c.due.pop_front();
    if (status == 200) {
      ++r.ok;
      r.ok_orders += count_of(body, "\"journalSeq\"");
    } else {
      ++r.errors[status];
      r.error_body.try_emplace(status, body.substr(0, 200));
    }
    c.begin += total;
  }
  if (c.begin == c.end) c.begin = c.end = 0;
  return true;
}

bool HttpLoadClient::poll(LoadResult& r, bool latency) {
  epoll_event events[64];
  const int n = epoll_wait(epoll_, events, 64, 100);
  bool timer = false;
  for (int i = 0; i < n; ++i) {
    auto* c = static_cast<Connection*>(events[i].data.ptr);
    if (c == nullptr) {
      uint64_t expirations = 0;
      timer = ::read(timer_, &expirations, sizeof expirations) > 0 || timer;
      continue;
    }
    if (events[i].events & EPOLLOUT) flush(*c);
    if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
      if (!read(*c, r, latency)) reopen(*c, r);
  }
  return timer;
}

void HttpLoadClient::arm_timer(int64_t at_ns) {
  uint64_t stale = 0;
  while (::read(timer_, &stale, sizeof stale) > 0) {
  }
  itimerspec spec{};
  spec.it_value.tv_sec = at_ns / 1'000'000'000;
  spec.it_value.tv_nsec = at_ns % 1'000'000'000;
  timerfd_settime(timer_, TFD_TIMER_ABSTIME, &spec, nullptr);
}

size_t HttpLoadClient::in_flight() const {
  size_t n = 0;
  for (const auto& c : connections_) n += c->due.size();
  return n;
}

LoadResult HttpLoadClient::closed_loop(const std::vector<std::string>& requests, double seconds) {
  LoadResult r;
  const int64_t start = now_ns();
  const int64_t deadline = start + static_cast<int64_t>(seconds * 1e9);
  size_t next = 0;
  bool stopped = false;
  int64_t last_response = start;
  arm_timer(deadline);
  for (;;) {
    if (!stopped) {
      for (auto& c : connections_)
        if (c->due.empty() && next < requests.size()) send(*c, requests[next++], start, r);
      if (next == requests.size() && !r.ran_out) r.ran_out = true;
    }
    const uint64_t before = r.received;
    const bool timer = poll(r, false);
    const int64_t now = now_ns();
    if (r.received != before) last_response = now;
    if (!stopped && (timer || now >= deadline)) {
      stopped = true;
      r.window_ok = r.ok;
      r.window_ok_orders = r.ok_orders;
      r.seconds = static_cast<double>(now - start) / 1e9;
    }
    if (in_flight() == 0 && (stopped || r.ran_out)) break;
    if (now >= deadline + kDrainNs) break;
  }
  if (!stopped) {  // the requests ran out first: the window ends with the last answer
    r.window_ok = r.ok;
    r.window_ok_orders = r.ok_orders;
    r.seconds = static_cast<double>(last_response - start) / 1e9;
  }
  arm_timer(0);
  return r;
}

LoadResult HttpLoadClient::open_loop(const std::vector<std::string>& requests, double rate) {
  LoadResult r;
  r.latency_ns.reserve(requests.size());
  const int64_t start = now_ns() + 1'000'000;
  const double interval = 1e9 / rate;
  auto due = [&](size_t k) { return start + static_cast<int64_t>(static_cast<double>(k) * interval); };
  size_t next = 0, rotor = 0;
  int64_t armed = -1;
  for (;;) {
    const int64_t now = now_ns();
    for (; next < requests.size() && due(next) <= now; ++next) {
      // An idle connection if there is one (round robin), else the least busy.
      Connection* pick = nullptr;
      for (size_t i = 0; i < connections_.size() && pick == nullptr; ++i) {
        Connection& c = *connections_[(rotor + i) % connections_.size()];
        if (c.due.empty()) pick = &c;
      }
      if (pick == nullptr)
        pick = std::min_element(connections_.begin(), connections_.end(), [](const auto& a, const auto& b) {
                 return a->due.size() < b->due.size();
               })->get();
      rotor = (rotor + 1) % connections_.size();
      send(*pick, requests[next], due(next), r);
    }
    if (next == requests.size()) {
      if (in_flight() == 0) break;
      if (now >= due(requests.size()) + kDrainNs) break;
    } else if (armed != due(next)) {
      armed = due(next);
      arm_timer(armed);
    }
    poll(r, true);
  }
  arm_timer(0);
  r.seconds = static_cast<double>(now_ns() - start) / 1e9;
  return r;
}

}  // namespace glassbook::app
