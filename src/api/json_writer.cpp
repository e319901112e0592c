// JsonWriter: compact JSON text with automatic commas and string escaping.
#include "api/json_writer.h"

#include "core/assert.h"
#include <charconv>

namespace glassbook::api {

namespace {

// The length of the well-formed UTF-8 sequence (RFC 3629, Unicode table 3-7) at text[i], or 0 when
// none starts there; `*bad` is then how many bytes form the maximal ill-formed prefix (at least 1),
// which Unicode's "substitution of maximal subparts" replaces with one U+FFFD.
size_t utf8_sequence(std::string_view text, size_t i, size_t* bad) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = b(i);
  size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3, low = lead == 0xE0 ? 0xA0 : 0x80, high = lead == 0xED ? 0x9F : 0xBF;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4, low = lead == 0xF0 ? 0x90 : 0x80, high = lead == 0xF4 ? 0x8F : 0xBF;
  size_t n = 1;
  if (length != 0) {
    while (n < length && i + n < text.size()) {
      const unsigned char c = b(i + n);
      const bool ok = n == 1 ? c >= low && c <= high : c >= 0x80 && c <= 0xBF;
      if (!ok) break;
      ++n;
    }
    if (n == length) return length;
  }
  *bad = n;
  return 0;
}

}  // namespace

// Whatever bytes it is given, the output is valid UTF-8 (and valid JSON string content): a byte that
// does not belong to a well-formed sequence becomes the escape \ufffd, so a client's invalid UTF-8
// echoed in an error message cannot break the JSON around it.
void append_json_escaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;  // start of the pending run of bytes that need no escape
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t bad = 0;
      if (const size_t n = utf8_sequence(text, i, &bad); n != 0) {
        i += n - 1;
        continue;
      }
      out.append(text.data() + run, i - run);
      out += "\\ufffd";
      i += bad - 1;
      run = i + 1;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(esc, sizeof esc);
      }
    }
  }
  out.append(text.data() + run, text.size() - run);
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (has_member_[depth_]) out_.push_back(',');
  has_member_[depth_] = true;
}

void JsonWriter::open(char c) {
  before_value();
  GB_ASSERT(depth_ < kMaxDepth);
  out_.push_back(c);
  has_member_[++depth_] = false;
}

void JsonWriter::close(char c) {
  GB_ASSERT(depth_ > 0 && !after_key_);
  --depth_;
  out_.push_back(c);
}

JsonWriter& JsonWriter::begin_object() { open('{'); return *this; }
JsonWriter& JsonWriter::end_object() { close('}'); return *this; }
JsonWriter& JsonWriter::begin_array() { open('['); return *this; }
JsonWriter& JsonWriter::end_array() { close(']'); return *this; }

JsonWriter& JsonWriter::key(std::string_view name) {
  GB_ASSERT(depth_ > 0 && !after_key_);
  before_value();
  out_.push_back('"');
  append_json_escaped(out_, name);
  out_ += "\":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  out_.push_back('"');
  append_json_escaped(out_, text);
  out_.push_back('"');
  return *this;
}

JsonWriter& JsonWriter::integer(int64_t value) {
  before_value();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::unsigned_integer(uint64_t value) {
  before_value();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, value);
  out_.append(buf, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::decimal(std::string_view digits) {
  before_value();
  out_.push_back('"');
  append_json_escaped(out_, digits);
  out_.push_back('"');
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  out_.append(json);
  return *this;
}

}  // namespace glassbook::api
