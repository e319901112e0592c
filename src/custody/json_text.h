// JSON string literals for the custody module's answers: quotes, escapes, and bytes outside printable
// ASCII replaced by '?' (every value it writes is hex, base64, digits or an ASCII message; a message
// that echoes bad input must still be valid JSON, and valid UTF-8).
#pragma once
#include <string>
#include <string_view>

namespace glassbook::custody {

inline std::string json_quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += c < 0x7f ? ch : '?';
    }
  }
  return out + "\"";
}

}  // namespace glassbook::custody
