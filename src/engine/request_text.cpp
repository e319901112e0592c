// Strict parsing of Backpack's signing text, and the builders that produce exactly what it accepts.
#include "engine/request_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "engine/request_value.h"

namespace glassbook::engine {

namespace {

// Backpack's instruction names, and Glassbook's withdrawalAddressAdd and withdrawalAddressRemove.
// Only orderExecute, orderCancel, orderCancelAll, withdraw and the two allow-list instructions change
// state; the parser accepts them all so that the refusal of a query can name it.
constexpr std::array<std::string_view, 14> kInstructionNames = {
    "balanceQuery",    "orderExecute",       "orderCancel",          "orderCancelAll",
    "orderQuery",      "orderQueryAll",      "orderHistoryQueryAll", "fillHistoryQueryAll",
    "depositQueryAll", "withdrawalQueryAll", "withdraw",             "subscribe",
    "withdrawalAddressAdd", "withdrawalAddressRemove",
};

constexpr std::string_view kOrderExecute = "orderExecute";

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_value_char(char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; }

bool valid_key(std::string_view k) {
  return !k.empty() && k.size() <= kMaxTextKeyBytes && std::all_of(k.begin(), k.end(), is_alnum);
}
bool valid_value(std::string_view v) {
  return !v.empty() && v.size() <= kMaxTextValueBytes && std::all_of(v.begin(), v.end(), is_value_char);
}

// A canonical positive decimal (digits only, no leading zero) that fits an int64; 0 when it is not.
int64_t canonical_positive(std::string_view s) {
  if (s.empty() || s[0] == '0') return 0;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return 0;
  return v;
}

Status refuse(std::string message) { return Status(Error::InvalidArgument, "request text: " + std::move(message)); }

// One "key=value" item and where it starts in the text.
struct Item {
  std::string_view key, value;
  size_t offset = 0;
};

// Why a value is refused: its length, or the first character outside the set, by its offset.
std::string bad_value(const Item& item, size_t offset) {
  const std::string_view v = item.value;
  if (v.empty() || v.size() > kMaxTextValueBytes)
    return fmt::format("bad value for key {} at offset {}: {} bytes, not 1..{}", item.key, offset, v.size(), kMaxTextValueBytes);
  const auto bad = std::find_if_not(v.begin(), v.end(), is_value_char);
  const auto at = static_cast<size_t>(bad - v.begin());
  const unsigned char ch = static_cast<unsigned char>(*bad);
  return fmt::format("bad value for key {} at offset {}: {} is not one of [A-Za-z0-9._-]", item.key, offset + at,
                     ch >= 0x21 && ch < 0x7f ? fmt::format("'{}'", static_cast<char>(ch)) : fmt::format("byte 0x{:02x}", ch));
}

// Walks the '&'-separated items of a text, validating the shape of each.
class Items {
 public:
  explicit Items(std::string_view text) : text_(text) {}
  bool done() const { return pos_ > text_.size(); }
  Status next(Item& item) {
    const size_t start = pos_;
    size_t end = text_.find('&', start);
    if (end == std::string_view::npos) end = text_.size();
    pos_ = end + 1;
    const std::string_view token = text_.substr(start, end - start);
    if (end + 1 == text_.size()) return refuse(fmt::format("trailing '&' at offset {}", end));
    const size_t eq = token.find('=');
    if (eq == std::string_view::npos) return refuse(fmt::format("expected key=value at offset {}", start));
    item.key = token.substr(0, eq);
    item.value = token.substr(eq + 1);
    item.offset = start;
    if (!valid_key(item.key))
      return refuse(fmt::format("bad key at offset {} (1..{} letters or digits)", start, kMaxTextKeyBytes));
    if (!valid_text_value(item.key, item.value)) return refuse(bad_value(item, start + eq + 1));
    return Status::ok();
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

bool is_instruction_name(std::string_view name) {
  return std::find(kInstructionNames.begin(), kInstructionNames.end(), name) != kInstructionNames.end();
}

size_t decimal_digits(int64_t v) {
  size_t n = 1;
  for (; v >= 10; v /= 10) ++n;
  return n;
}

void append_int(std::string& out, int64_t v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;  // 24 bytes always hold an int64
  out.append(buf, end);
}

void append_pair(std::string& out, std::string_view key, std::string_view value) {
  out.append(key);
  out.push_back('=');
  out.append(value);
}

size_t segment_size(std::string_view instruction, const std::vector<TextParam>& params) {
  size_t n = 13 + instruction.size();  // "instruction=" NAME "&"
  for (const TextParam& p : params) n += p.key.size() + p.value.size() + 2;
  return n;
}

void append_segment(std::string& out, std::string_view instruction, const std::vector<TextParam>& sorted) {
  append_pair(out, "instruction", instruction);
  out.push_back('&');
  for (const TextParam& p : sorted) {
    append_pair(out, p.key, p.value);
    out.push_back('&');
  }
}

void append_tail(std::string& out, int64_t timestamp_ms, int64_t window_ms) {
  out.append("timestamp=");
  append_int(out, timestamp_ms);
  out.append("&window=");
  append_int(out, window_ms);
}

size_t tail_size(int64_t timestamp_ms, int64_t window_ms) {
  return 18 + decimal_digits(timestamp_ms) + decimal_digits(window_ms);  // "timestamp=" "&window="
}

void sort_by_key(std::vector<TextParam>& params) {
  std::sort(params.begin(), params.end(), [](const TextParam& a, const TextParam& b) { return a.key < b.key; });
}

}  // namespace

// Backpack's triggerQuantity may be a share of the position ("50%"): the one value that may end in '%'.
bool valid_text_value(std::string_view key, std::string_view value) {
  if (key == "triggerQuantity" && value.size() > 1 && value.back() == '%') value.remove_suffix(1);
  return valid_value(value);
}

Result<RequestText> parse_request_text(std::string_view text) {
  if (text.empty()) return refuse("empty text");
  if (text.size() > kMaxRequestTextBytes)
    return refuse(fmt::format("text is {} bytes (limit {})", text.size(), kMaxRequestTextBytes));
  RequestText out;
  Items items(text);
  Item item;
  bool have_window = false;
  while (!items.done()) {
    if (have_window) return refuse(fmt::format("text continues after window at offset {}", item.offset + 7 + item.value.size()));
    if (auto s = items.next(item); !s) return s;
    if (item.key == "instruction") {
      if (out.timestamp_ms != 0) return refuse(fmt::format("window must follow timestamp at offset {}", item.offset));
      if (!is_instruction_name(item.value))
        return refuse(fmt::format("unknown instruction {} at offset {}", item.value, item.offset));
      if (out.instructions.size() == kMaxRequestInstructions)
        return refuse(fmt::format("more than {} instructions (offset {})", kMaxRequestInstructions, item.offset));
      out.instructions.push_back(TextInstruction{item.value, {}});
      continue;
    }
    if (out.instructions.empty()) return refuse("text must start with instruction= (offset 0)");
    if (item.key == "timestamp") {
      if (out.timestamp_ms != 0) return refuse(fmt::format("window must follow timestamp at offset {}", item.offset));
      out.timestamp_ms = canonical_positive(item.value);
      if (out.timestamp_ms == 0)
        return refuse(fmt::format("timestamp at offset {} must be a positive integer without leading zeros", item.offset));
      continue;
    }
    if (item.key == "window") {
      if (out.timestamp_ms == 0) return refuse(fmt::format("window before timestamp at offset {}", item.offset));
      out.window_ms = canonical_positive(item.value);
      if (out.window_ms == 0 || out.window_ms > kMaxRequestWindowMs)
        return refuse(fmt::format("window at offset {} must be an integer in 1..{} without leading zeros", item.offset,
                                  kMaxRequestWindowMs));
      have_window = true;
      continue;
    }
    if (out.timestamp_ms != 0) return refuse(fmt::format("window must follow timestamp at offset {}", item.offset));
    std::vector<TextParam>& params = out.instructions.back().params;
    if (!params.empty() && item.key == params.back().key)
      return refuse(fmt::format("duplicate key {} at offset {}", item.key, item.offset));
    if (!params.empty() && item.key < params.back().key)
      return refuse(fmt::format("key {} at offset {} out of order (keys must increase)", item.key, item.offset));
    params.push_back(TextParam{item.key, item.value});
  }
  if (!have_window) return refuse(fmt::format("missing timestamp=..&window=.. at the end (offset {})", text.size()));
  if (out.instructions.size() > 1) {
    for (const TextInstruction& i : out.instructions)
      if (i.name != kOrderExecute) return refuse(fmt::format("only orderExecute may be batched, not {}", i.name));
  }
  return out;
}

std::string build_request_text(std::string_view instruction, std::vector<TextParam> params, int64_t timestamp_ms,
                               int64_t window_ms) {
  sort_by_key(params);
  std::string out;
  out.reserve(segment_size(instruction, params) + tail_size(timestamp_ms, window_ms));
  append_segment(out, instruction, params);
  append_tail(out, timestamp_ms, window_ms);
  return out;
}

std::string build_batch_text(std::string_view instruction, std::span<const std::vector<TextParam>> orders,
                             int64_t timestamp_ms, int64_t window_ms) {
  size_t size = tail_size(timestamp_ms, window_ms);
  for (const auto& order : orders) size += segment_size(instruction, order);
  std::string out;
  out.reserve(size);
  std::vector<TextParam> sorted;
  for (const auto& order : orders) {
    sorted.assign(order.begin(), order.end());
    sort_by_key(sorted);
    append_segment(out, instruction, sorted);
  }
  append_tail(out, timestamp_ms, window_ms);
  return out;
}

}  // namespace glassbook::engine
