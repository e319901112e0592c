// Strict TOML table reading: unknown keys, types, ranges and exact decimal amounts, with paths.
#include "engine/toml_fields.h"

#include <algorithm>

#include "core/decimal.h"

namespace glassbook::engine::toml_fields {

namespace {

bool is_bare(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

std::string line_of(const toml::source_region& where) {
  return where.begin.line > 0 ? " (line " + std::to_string(where.begin.line) + ")" : "";
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string join(std::string_view path, std::string_view key) {
  std::string out(path);
  if (!out.empty()) out += '.';
  if (is_bare(key)) return out.append(key);
  out += '"';
  for (char c : key) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out += '"';
}

std::string index(std::string_view path, size_t i) { return std::string(path) + "[" + std::to_string(i) + "]"; }

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a floating-point number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

std::optional<crypto::PublicKey> public_key_from_text(std::string_view text) {
  if (text.size() == 64) {
    crypto::PublicKey k{};
    for (size_t i = 0; i < k.size(); ++i) {
      const int hi = hex_digit(text[2 * i]), lo = hex_digit(text[2 * i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      k[i] = static_cast<uint8_t>(hi * 16 + lo);
    }
    return k;
  }
  return crypto::public_key_from_base64(text);
}

Fields::Fields(const toml::table& table, std::string path, std::initializer_list<std::string_view> allowed, Status& error)
    : table_(table), path_(std::move(path)), error_(error) {
  if (!error_) return;
  for (auto&& [k, v] : table_) {
    if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end()) {
      error_ = Status(Error::InvalidConfig, "genesis: unknown key " + join(path_, k.str()) + line_of(k.source()));
      return;
    }
  }
}

void fail_at(Status& error, const std::string& path, const std::string& why, const toml::node* node) {
  if (error) error = Status(Error::InvalidConfig, "genesis: " + path + ": " + why + (node ? line_of(node->source()) : ""));
}

void Fields::fail(std::string_view key, const std::string& why) { fail_at(error_, join(path_, key), why, table_.get(key)); }

const toml::node* Fields::get(std::string_view key, bool required, toml::node_type type) {
  if (!error_) return nullptr;
  const toml::node* n = table_.get(key);
  if (n == nullptr) {
    if (required) error_ = Status(Error::InvalidConfig, "genesis: missing key " + join(path_, key) + line_of(table_.source()));
    return nullptr;
  }
  if (n->type() != type) {
    std::string want;
    switch (type) {
      case toml::node_type::table: want = "a table"; break;
      case toml::node_type::array: want = "an array"; break;
      case toml::node_type::integer: want = "an integer"; break;
      default: want = "a string"; break;
    }
    fail(key, "expected " + want + ", got " + std::string(type_name(*n)));
    return nullptr;
  }
  return n;
}

int64_t Fields::integer_in(std::string_view key, bool required, int64_t fallback, int64_t lo, int64_t hi) {
  const toml::node* n = get(key, required, toml::node_type::integer);
  if (n == nullptr) return fallback;
  const int64_t v = n->as_integer()->get();
  if (v < lo || v > hi) {
    fail(key, std::to_string(v) + " is outside " + std::to_string(lo) + ".." + std::to_string(hi));
    return fallback;
  }
  return v;
}

std::string Fields::string(std::string_view key, bool required, std::string fallback) {
  const toml::node* n = get(key, required, toml::node_type::string);
  return n == nullptr ? fallback : n->as_string()->get();
}

int64_t Fields::amount(std::string_view key, bool required, int decimals, std::string_view asset) {
  if (!error_) return 0;
  const toml::node* n = table_.get(key);
  if (n != nullptr && n->type() != toml::node_type::string) {
    fail(key, "expected an exact decimal string in whole " + std::string(asset) + " (e.g. \"0.1\"), got " +
                  std::string(type_name(*n)));
    return 0;
  }
  const std::string text = string(key, required, "0");
  auto v = parse_decimal(text, decimals);
  if (!v) {
    fail(key, "\"" + text + "\" is not an amount of " + std::string(asset) + " (" + std::to_string(decimals) +
                  " decimals): " + v.status().message());
    return 0;
  }
  return *v;
}

crypto::PublicKey Fields::key(std::string_view key, bool required) {
  const toml::node* n = get(key, required, toml::node_type::string);
  if (n == nullptr) return {};
  auto k = public_key_from_text(n->as_string()->get());
  if (!k) {
    fail(key, "not an Ed25519 public key (64 hex digits or base64 of 32 bytes)");
    return {};
  }
  return *k;
}

const toml::table* Fields::table(std::string_view key, bool required) {
  const toml::node* n = get(key, required, toml::node_type::table);
  return n == nullptr ? nullptr : n->as_table();
}

const toml::array* Fields::array(std::string_view key, bool required) {
  const toml::node* n = get(key, required, toml::node_type::array);
  return n == nullptr ? nullptr : n->as_array();
}

}  // namespace glassbook::engine::toml_fields
