// JsonWriter: appends compact JSON text to a string (objects, arrays, escaped strings, numbers); commas are automatic.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace glassbook::api {

// Writes one JSON value, nested at most kMaxDepth deep, into a string it owns. The caller keeps the
// structure valid (a key before each member value, balanced begin/end); debug builds assert it.
// No parsing here: the gateway parses with simdjson.
class JsonWriter {
 public:
  static constexpr int kMaxDepth = 32;

  JsonWriter() = default;
  explicit JsonWriter(size_t reserve) { out_.reserve(reserve); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // An object member's name; the next call writes its value.
  JsonWriter& key(std::string_view name);

  // Escaped: quote, backslash and control characters; bytes that are not well-formed UTF-8 become
  // U+FFFD, so the text is valid UTF-8 whatever `text` holds.
  JsonWriter& string(std::string_view text);
  JsonWriter& integer(int64_t value);
  JsonWriter& unsigned_integer(uint64_t value);
  // A decimal already in canonical text ("12.50"), written as a JSON string (escaped like string(),
  // which costs nothing for digits and keeps a malformed decimal from breaking the JSON).
  JsonWriter& decimal(std::string_view digits);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  // A value that is already JSON text (for instance one rendered earlier), inserted as is.
  JsonWriter& raw(std::string_view json);

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();
  void open(char c);
  void close(char c);

  std::string out_;
  int depth_ = 0;
  bool has_member_[kMaxDepth + 1] = {};  // whether the container at each depth already holds a value
  bool after_key_ = false;
};

// Appends `text` to `out` escaped as the inside of a JSON string (no surrounding quotes): always valid
// UTF-8, every ill-formed byte sequence replaced by the escape \ufffd.
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace glassbook::api
