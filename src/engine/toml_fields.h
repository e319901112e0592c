// Strict reading of one TOML table: only the listed keys, typed and range-checked, errors with paths.
#pragma once
#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "crypto/ed25519.h"

namespace glassbook::engine::toml_fields {

// "markets[2].perp" + "foo" -> "markets[2].perp.foo"; keys that are not bare are quoted.
std::string join(std::string_view path, std::string_view key);
std::string index(std::string_view path, size_t i);  // "markets" + 2 -> "markets[2]"
// "a table", "an integer"...: what a value is, for error messages.
std::string_view type_name(const toml::node& node);
// Records "genesis: <path>: <why> (line N)" in `error` unless it already holds an error.
void fail_at(Status& error, const std::string& path, const std::string& why, const toml::node* node);

// Reads the fields of one table. The first error (of this reader or any other sharing `error`) is
// kept in `error`; later getters return their fallback and record nothing. The constructor refuses
// any key not in `allowed` ("unknown key <path>").
class Fields {
 public:
  Fields(const toml::table& table, std::string path, std::initializer_list<std::string_view> allowed, Status& error);

  const std::string& path() const { return path_; }
  bool has(std::string_view key) const { return table_.contains(key); }
  void fail(std::string_view key, const std::string& why);  // "<path.key>: why"

  // Integers within T's range. A missing optional key gives `fallback`.
  template <class T>
  T integer(std::string_view key, bool required, T fallback = T{}) {
    const int64_t lo = static_cast<int64_t>(std::numeric_limits<T>::min());
    const int64_t hi = std::cmp_greater(std::numeric_limits<T>::max(), INT64_MAX)
                           ? INT64_MAX : static_cast<int64_t>(std::numeric_limits<T>::max());
    return static_cast<T>(integer_in(key, required, static_cast<int64_t>(fallback), lo, hi));
  }
  int64_t integer_in(std::string_view key, bool required, int64_t fallback, int64_t lo, int64_t hi);
  std::string string(std::string_view key, bool required, std::string fallback = {});
  // An exact decimal string in whole units of an asset with `decimals` (never a TOML number).
  int64_t amount(std::string_view key, bool required, int decimals, std::string_view asset);
  // An Ed25519 public key: 64 hex digits or base64.
  crypto::PublicKey key(std::string_view key, bool required);
  const toml::table* table(std::string_view key, bool required);
  const toml::array* array(std::string_view key, bool required);

 private:
  const toml::node* get(std::string_view key, bool required, toml::node_type type);

  const toml::table& table_;
  std::string path_;
  Status& error_;
};

// A key string in hex (64 digits) or base64; std::nullopt otherwise.
std::optional<crypto::PublicKey> public_key_from_text(std::string_view text);

}  // namespace glassbook::engine::toml_fields
