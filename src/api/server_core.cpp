// The server's shared state: registry of connections, guarded posting, and the stop sequence.
#include "api/server_core.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <vector>

namespace glassbook::api {

ServerCore::ServerCore(ServerOptions options, HttpHandler& http, WsHandler& ws)
    : options_(std::move(options)),
      http_(http),
      ws_(ws),
      io_(static_cast<int>(std::max<size_t>(options_.threads, 1))) {
  work_.emplace(io_.get_executor());
}

bool ServerCore::add(uint64_t id, std::weak_ptr<ServerConnection> connection, const std::string& address, bool check_limit) {
  std::shared_lock stop(stop_mutex_);
  if (stopping_) return false;
  std::lock_guard lock(registry_mutex_);
  auto count = per_address_.find(address);
  const size_t held = count == per_address_.end() ? 0 : count->second;
  if (check_limit) {
    if (registry_.size() >= options_.max_connections) return false;
    if (held >= options_.max_connections_per_address) return false;
    if (held > 0 && registry_.size() >= options_.max_connections - options_.reserved_for_new_addresses) return false;
  }
  if (!registry_.emplace(id, Registered{std::move(connection), address}).second) return true;
  ++per_address_[address];
  return true;
}

void ServerCore::remove(uint64_t id) {
  std::lock_guard lock(registry_mutex_);
  auto it = registry_.find(id);
  if (it == registry_.end()) return;
  if (auto count = per_address_.find(it->second.address); count != per_address_.end() && --count->second == 0) per_address_.erase(count);
  registry_.erase(it);
  if (registry_.empty()) registry_empty_.notify_all();
}

size_t ServerCore::connections() const {
  std::lock_guard lock(registry_mutex_);
  return registry_.size();
}

void ServerCore::run() {
  for (;;) {
    try {
      io_.run();
      return;
    } catch (const std::exception& e) {
      fmt::print(stderr, "glassbook http server: handler threw: {}\n", e.what());
    } catch (...) {
      fmt::print(stderr, "glassbook http server: handler threw\n");
    }
  }
}

void ServerCore::close_all(std::chrono::milliseconds wait) {
  {
    std::unique_lock stop(stop_mutex_);
    stopping_ = true;
  }
  std::vector<std::shared_ptr<ServerConnection>> open;
  {
    std::lock_guard lock(registry_mutex_);
    open.reserve(registry_.size());
    for (auto& [id, registered] : registry_) {
      if (auto connection = registered.connection.lock()) open.push_back(std::move(connection));
    }
  }
  for (auto& connection : open) connection->shutdown();
  open.clear();  // hold no connection while waiting: their destructors deregister them
  {
    std::unique_lock lock(registry_mutex_);
    registry_empty_.wait_for(lock, wait, [this] { return registry_.empty(); });
  }
  work_.reset();
  io_.stop();
}

void ServerCore::drain() {
  io_.restart();
  try {
    io_.poll();
  } catch (...) {
    // A completion threw while draining: the rest are destroyed with the io_context.
  }
}

}  // namespace glassbook::api
