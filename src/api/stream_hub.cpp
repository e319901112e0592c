// StreamHub: subscriptions by key and by connection, publishing outside the lock.
#include "api/stream_hub.h"

#include <fmt/format.h>

#include <mutex>
#include <vector>

namespace glassbook::api {

StreamHub::StreamHub(size_t max_subscriptions_per_connection)
    : max_per_connection_(max_subscriptions_per_connection) {}

Status StreamHub::subscribe(const std::shared_ptr<WsConnection>& c, std::string key) {
  if (!c) return Status(Error::InvalidArgument, "no connection");
  const uint64_t id = c->id();
  std::unique_lock lock(mutex_);
  auto& keys = keys_of_[id];
  if (keys.contains(key)) return Status::ok();
  if (keys.size() >= max_per_connection_) {
    if (keys.empty()) keys_of_.erase(id);
    return Status(Error::InvalidArgument,
                  fmt::format("too many subscriptions: at most {} per connection", max_per_connection_));
  }
  by_key_[key].emplace(id, c);
  keys.insert(std::move(key));
  return Status::ok();
}

void StreamHub::unsubscribe(const WsConnection& c, std::string_view key) {
  std::unique_lock lock(mutex_);
  unsubscribe_locked(c.id(), key);
}

void StreamHub::unsubscribe_private(const WsConnection& c, std::string_view stream) {
  std::unique_lock lock(mutex_);
  auto keys = keys_of_.find(c.id());
  if (keys == keys_of_.end()) return;
  std::vector<std::string> matching;
  for (const std::string& key : keys->second)
    if (key.size() > stream.size() && key.starts_with(stream) && key[stream.size()] == '#') matching.push_back(key);
  for (const std::string& key : matching) unsubscribe_locked(c.id(), key);
}

void StreamHub::remove(const WsConnection& c) {
  std::unique_lock lock(mutex_);
  remove_locked(c.id());
}

size_t StreamHub::publish(std::string_view key, const std::string& text) {
  std::vector<std::shared_ptr<WsConnection>> targets;
  {
    std::shared_lock lock(mutex_);
    auto it = by_key_.find(key);
    if (it == by_key_.end()) return 0;
    targets.reserve(it->second.size());
    for (const auto& [id, connection] : it->second) targets.push_back(connection);
  }
  size_t sent = 0;
  std::vector<uint64_t> failed;
  for (const auto& connection : targets) {
    if (connection->send(text)) {
      ++sent;
    } else {
      failed.push_back(connection->id());
    }
  }
  if (!failed.empty()) {
    std::unique_lock lock(mutex_);
    for (uint64_t id : failed) remove_locked(id);
  }
  return sent;
}

size_t StreamHub::subscribers(std::string_view key) const {
  std::shared_lock lock(mutex_);
  auto it = by_key_.find(key);
  return it == by_key_.end() ? 0 : it->second.size();
}

size_t StreamHub::subscriptions(const WsConnection& c) const {
  std::shared_lock lock(mutex_);
  auto it = keys_of_.find(c.id());
  return it == keys_of_.end() ? 0 : it->second.size();
}

bool StreamHub::has_subscribers(std::string_view key) const {
  std::shared_lock lock(mutex_);
  return by_key_.find(key) != by_key_.end();  // keys without subscribers are erased
}

void StreamHub::unsubscribe_locked(uint64_t id, std::string_view key) {
  auto keys = keys_of_.find(id);
  if (keys == keys_of_.end()) return;
  auto subscribed = keys->second.find(std::string(key));
  if (subscribed == keys->second.end()) return;
  keys->second.erase(subscribed);
  if (keys->second.empty()) keys_of_.erase(keys);
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return;
  it->second.erase(id);
  if (it->second.empty()) by_key_.erase(it);
}

void StreamHub::remove_locked(uint64_t id) {
  auto keys = keys_of_.find(id);
  if (keys == keys_of_.end()) return;
  for (const auto& key : keys->second) {
    auto it = by_key_.find(key);
    if (it == by_key_.end()) continue;
    it->second.erase(id);
    if (it->second.empty()) by_key_.erase(it);
  }
  keys_of_.erase(keys);
}

}  // namespace glassbook::api
