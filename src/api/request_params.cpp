// Request parameters: JSON bodies through simdjson's DOM, query strings with percent-decoding, one validation rule for both.
#include "api/request_params.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <charconv>

#include "engine/request_value.h"

namespace glassbook::api {
namespace {

bool key_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

Status check_param(std::string_view key, std::string_view value) {
  if (key.empty() || key.size() > engine::kMaxTextKeyBytes || !std::all_of(key.begin(), key.end(), key_char))
    return Status(Error::InvalidArgument, fmt::format("invalid field name \"{}\"", key.substr(0, 40)));
  if (key == "instruction" || key == "timestamp" || key == "window")
    return Status(Error::InvalidArgument, fmt::format("field \"{}\" is reserved for the signature", key));
  if (!engine::valid_text_value(key, value))
    return Status(Error::InvalidArgument,
                  fmt::format("field {}: a value is 1 to {} characters of letters, digits, '.', '_' and '-'", key,
                              engine::kMaxTextValueBytes));
  return {};
}

Status add_param(Params& out, std::string_view key, std::string value) {
  if (auto s = check_param(key, value); !s) return s;
  for (const Param& p : out)
    if (p.key == key) return Status(Error::InvalidArgument, fmt::format("field {} appears twice", key));
  out.push_back(Param{std::string(key), std::move(value)});
  return {};
}

Status object_params(simdjson::dom::element element, Params& out) {
  simdjson::dom::object object;
  if (element.get(object) != simdjson::SUCCESS) return Status(Error::InvalidArgument, "the request body must be a JSON object");
  for (auto field : object) {
    const std::string_view key = field.key;
    const simdjson::dom::element v = field.value;
    std::string text;
    switch (v.type()) {
      case simdjson::dom::element_type::STRING: text = std::string(std::string_view(v)); break;
      case simdjson::dom::element_type::BOOL: text = bool(v) ? "true" : "false"; break;
      case simdjson::dom::element_type::INT64:
      case simdjson::dom::element_type::UINT64:
        if (!accepts_number(key))
          return Status(Error::InvalidArgument, fmt::format("field {} must be a string (decimals are sent as strings)", key));
        text = v.type() == simdjson::dom::element_type::INT64 ? std::to_string(int64_t(v)) : std::to_string(uint64_t(v));
        break;
      case simdjson::dom::element_type::DOUBLE:
        return Status(Error::InvalidArgument, fmt::format("field {} must be a string (decimals are sent as strings)", key));
      default: return Status(Error::InvalidArgument, fmt::format("field {} must be a string, a number or a boolean", key));
    }
    if (auto s = add_param(out, key, std::move(text)); !s) return s;
  }
  return {};
}

Result<simdjson::dom::element> parse_json(simdjson::dom::parser& parser, std::string_view body) {
  simdjson::dom::element root;
  if (auto err = parser.parse(body.data(), body.size()).get(root); err != simdjson::SUCCESS)
    return Status(Error::InvalidArgument, fmt::format("malformed JSON: {}", simdjson::error_message(err)));
  return root;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%') {
      if (i + 2 >= text.size()) return Status(Error::InvalidArgument, "bad percent-encoding in the query");
      const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return Status(Error::InvalidArgument, "bad percent-encoding in the query");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

bool accepts_number(std::string_view key) { return key == "clientId" || key == "limit" || key == "offset"; }

Result<Params> params_from_json(std::string_view body) {
  Params out;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return out;
  thread_local simdjson::dom::parser parser;
  auto root = parse_json(parser, body);
  if (!root) return root.status();
  if (auto s = object_params(*root, out); !s) return s;
  return out;
}

Result<std::vector<Params>> params_from_json_array(std::string_view body) {
  thread_local simdjson::dom::parser parser;
  auto root = parse_json(parser, body);
  if (!root) return root.status();
  simdjson::dom::array array;
  if (root->get(array) != simdjson::SUCCESS) return Status(Error::InvalidArgument, "a batch is a JSON array of orders");
  std::vector<Params> out;
  for (simdjson::dom::element e : array) {
    if (out.size() == engine::kMaxRequestInstructions)
      return Status(Error::InvalidArgument, fmt::format("a batch holds at most {} orders", engine::kMaxRequestInstructions));
    Params p;
    if (auto s = object_params(e, p); !s) return Status(s.code(), fmt::format("order {}: {}", out.size(), s.message()));
    out.push_back(std::move(p));
  }
  if (out.empty()) return Status(Error::InvalidArgument, "a batch holds at least one order");
  return out;
}

Result<Params> params_from_query(std::string_view query) {
  Params out;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return Status(Error::InvalidArgument, fmt::format("query parameter \"{}\" has no value", pair.substr(0, 40)));
    auto key = percent_decode(pair.substr(0, eq));
    if (!key) return key.status();
    auto value = percent_decode(pair.substr(eq + 1));
    if (!value) return value.status();
    if (auto s = add_param(out, *key, std::move(value).value()); !s) return s;
  }
  return out;
}

Result<uint64_t> number_param(const Params& params, std::string_view key, uint64_t fallback, uint64_t max) {
  const std::string_view text = param(params, key);
  if (text.empty()) return fallback;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v > max)
    return Status(Error::InvalidArgument, fmt::format("{} must be an integer from 0 to {}", key, max));
  return v;
}

std::string_view param(const Params& params, std::string_view key) {
  for (const Param& p : params)
    if (p.key == key) return p.value;
  return {};
}

std::vector<engine::TextParam> text_params(const Params& params) {
  std::vector<engine::TextParam> out;
  out.reserve(params.size());
  for (const Param& p : params) out.push_back(engine::TextParam{p.key, p.value});
  return out;
}

}  // namespace glassbook::api
