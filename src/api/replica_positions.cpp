// ReplicaPositions (replica_positions.h): a small map by name, rendered for the health answer.
#include "api/replica_positions.h"

#include <algorithm>

#include "api/json_writer.h"
#include "core/assert.h"

namespace glassbook::api {

bool ReplicaPositions::valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

void ReplicaPositions::seen(std::string_view name, uint64_t position, uint64_t durable, int64_t now_ms) {
  GB_ASSERT(valid_name(name));
  std::lock_guard lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) {
    if (entries_.size() >= kMaxReplicas) {
      entries_.erase(std::min_element(entries_.begin(), entries_.end(),
                                      [](const auto& a, const auto& b) { return a.second.seen_ms < b.second.seen_ms; }));
    }
    it = entries_.emplace(std::string(name), Entry{}).first;
  }
  it->second = Entry{position, durable, now_ms};
}

std::string ReplicaPositions::json(int64_t now_ms) const {
  std::lock_guard lock(mu_);
  if (entries_.empty()) return {};
  JsonWriter json;
  json.begin_array();
  for (const auto& [name, e] : entries_) {
    json.begin_object().key("name").string(name);
    json.key("position").unsigned_integer(e.position);
    json.key("lag").unsigned_integer(e.durable > e.position ? e.durable - e.position : 0);
    json.key("lastSeenMs").integer(std::max<int64_t>(0, now_ms - e.seen_ms));
    json.end_object();
  }
  json.end_array();
  return json.take();
}

}  // namespace glassbook::api
