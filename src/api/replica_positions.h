// The replicas following this primary, as the records endpoint sees them: each one's position (the
// seq it asked from: every record before it is durable on the replica) and how far the durable log
// was ahead of it then, for the health endpoint. Bounded; thread-safe.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace glassbook::api {

class ReplicaPositions {
 public:
  static constexpr size_t kMaxReplicas = 64;  // the one seen longest ago makes room for a new one
  static constexpr size_t kMaxNameBytes = 64;

  // 1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'.
  static bool valid_name(std::string_view name);
  // Precondition: valid_name(name).
  void seen(std::string_view name, uint64_t position, uint64_t durable, int64_t now_ms);
  // [{"name":..,"position":N,"lag":records,"lastSeenMs":ms ago}, ...] by name; empty when none was seen.
  std::string json(int64_t now_ms) const;

 private:
  struct Entry {
    uint64_t position = 0;
    uint64_t durable = 0;
    int64_t seen_ms = 0;
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace glassbook::api
