// Publish/subscribe for WebSocket streams: connections subscribe to keys, publishers send to a key's subscribers.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "api/http_types.h"
#include "core/result.h"

namespace glassbook::api {

// Thread-safe. Sends happen outside the lock, so a WsConnection::send that re-enters the hub is safe.
// Connections are keyed by WsConnection::id(); a connection whose send fails is dropped from every key.
class StreamHub {
 public:
  explicit StreamHub(size_t max_subscriptions_per_connection = 64);

  // Error::InvalidArgument when over the per-connection limit. Idempotent for an existing subscription.
  Status subscribe(const std::shared_ptr<WsConnection>& c, std::string key);
  void unsubscribe(const WsConnection& c, std::string_view key);
  // Drops the connection's subscriptions to a private `stream`, whichever account each is for: the
  // keys "<stream>#<account>". An UNSUBSCRIBE carries no signature, and needs none: it only takes
  // away what the connection itself subscribed to.
  void unsubscribe_private(const WsConnection& c, std::string_view stream);
  void remove(const WsConnection& c);                             // on close: drops all its subscriptions
  size_t publish(std::string_view key, const std::string& text);  // sends to every subscriber; returns how many
  size_t subscribers(std::string_view key) const;
  size_t subscriptions(const WsConnection& c) const;  // how many keys the connection is subscribed to
  bool has_subscribers(std::string_view key) const;  // cheap, so publishers can skip building frames nobody reads

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Subscribers = std::unordered_map<uint64_t, std::shared_ptr<WsConnection>>;

  void unsubscribe_locked(uint64_t id, std::string_view key);
  void remove_locked(uint64_t id);

  const size_t max_per_connection_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Subscribers, StringHash, std::equal_to<>> by_key_;
  std::unordered_map<uint64_t, std::unordered_set<std::string>> keys_of_;  // a connection's subscriptions
};

}  // namespace glassbook::api
