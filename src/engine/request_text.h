// Backpack's request signing text ("instruction=orderExecute&price=1&...&timestamp=..&window=.."): a strict parser and its builders.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace glassbook::engine {

// Limits of the text form. Every text the parser accepts is within them.
inline constexpr size_t kMaxRequestTextBytes = 16 * 1024;
inline constexpr size_t kMaxRequestInstructions = 50;
inline constexpr size_t kMaxTextKeyBytes = 32;    // keys: [A-Za-z0-9]{1,32}
inline constexpr size_t kMaxTextValueBytes = 64;  // values: [A-Za-z0-9._-]{1,64}
inline constexpr int64_t kMaxRequestWindowMs = 60'000;
// How far a request's timestamp may run ahead of the sequencer's clock when it is sequenced (the
// gateway allows far less): it bounds how long the engine remembers a request.
inline constexpr int64_t kMaxRequestLeadMs = 60'000;

struct TextParam {
  std::string_view key, value;

  bool operator==(const TextParam&) const = default;
};

struct TextInstruction {
  std::string_view name;
  std::vector<TextParam> params;  // in strictly increasing key order (bytewise)

  bool operator==(const TextInstruction&) const = default;
};

// A parsed text. The views point into the text it was parsed from, which must outlive it.
struct RequestText {
  std::vector<TextInstruction> instructions;  // 1..kMaxRequestInstructions; several only when all are orderExecute
  int64_t timestamp_ms = 0;                   // > 0, when the client signed it
  int64_t window_ms = 0;                      // 1..kMaxRequestWindowMs, how long the request stays valid

  bool operator==(const RequestText&) const = default;
};

// Grammar: ("instruction=" NAME "&" (KEY "=" VALUE "&")*)+ "timestamp=" MS "&window=" MS, exactly.
// NAME is one of Backpack's instruction names; keys strictly increase within an instruction and are
// never "instruction", "timestamp" or "window"; numbers are canonical decimals (no sign, no leading
// zero). Anything else, including a text above kMaxRequestTextBytes, is Error::InvalidArgument with a
// message naming the fault and its byte offset or key. parse(build(x)) == x and build(parse(t)) == t.
Result<RequestText> parse_request_text(std::string_view text);

// The text of one instruction; `params` are sorted by key first (the caller passes valid keys and
// values, distinct keys).
std::string build_request_text(std::string_view instruction, std::vector<TextParam> params, int64_t timestamp_ms,
                               int64_t window_ms);

// The text of a batch: one `instruction` segment per order, each order's params sorted by key.
std::string build_batch_text(std::string_view instruction, std::span<const std::vector<TextParam>> orders,
                             int64_t timestamp_ms, int64_t window_ms);

}  // namespace glassbook::engine
