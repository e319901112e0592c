// libFuzzer target: parse_request_text on arbitrary bytes. An accepted text must rebuild to itself
// byte for byte through the builders, and translate_request must answer it without crashing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/config.h"
#include "engine/request_text.h"
#include "engine/request_translate.h"

namespace {

using namespace glassbook;
using namespace glassbook::engine;

constexpr AccountId kAccount = 16;

[[noreturn]] void fail(const char* what, std::string_view text) {
  std::fprintf(stderr, "request_text_fuzz: %s\ninput: %.*s\n", what, static_cast<int>(text.size()), text.data());
  std::abort();
}

const ExchangeConfig& config() {
  static const ExchangeConfig c = demo_config(crypto::PublicKey{});
  return c;
}

void check_parsed(const RequestText& r, std::string_view text) {
  if (r.instructions.empty() || r.instructions.size() > kMaxRequestInstructions) fail("instruction count out of range", text);
  if (r.timestamp_ms <= 0 || r.window_ms < 1 || r.window_ms > kMaxRequestWindowMs) fail("timestamp or window out of range", text);
  std::string rebuilt;
  if (r.instructions.size() == 1) {
    rebuilt = build_request_text(r.instructions[0].name, r.instructions[0].params, r.timestamp_ms, r.window_ms);
  } else {
    std::vector<std::vector<TextParam>> orders;
    orders.reserve(r.instructions.size());
    for (const TextInstruction& in : r.instructions) {
      if (in.name != "orderExecute") fail("a batch holds something other than orderExecute", text);
      orders.push_back(in.params);
    }
    rebuilt = build_batch_text("orderExecute", orders, r.timestamp_ms, r.window_ms);
  }
  if (rebuilt != text) fail("the builders do not give the parsed text back", text);
}

void check_translated(const RequestText& r, std::string_view text) {
  auto bodies = translate_request(r, config(), kAccount);
  if (!bodies) {
    const Error e = bodies.code();
    if (e != Error::InvalidArgument && e != Error::UnknownMarket && e != Error::InvalidQuantity && e != Error::InvalidPrice)
      fail("translation refused with an unexpected code", text);
    if (bodies.status().message().empty()) fail("translation refused without a message", text);
    return;
  }
  if (bodies->size() != r.instructions.size()) fail("one body per instruction expected", text);
  for (const CommandBody& b : *bodies) {
    if (const auto* p = std::get_if<PlaceOrder>(&b)) {
      if (p->account != kAccount || p->quantity <= 0 || p->price < 0 || p->market >= config().markets.size())
        fail("a translated order is out of range", text);
    } else if (const auto* x = std::get_if<CancelOrder>(&b)) {
      if (x->account != kAccount || (x->order_id == 0) == (x->client_id == 0)) fail("a translated cancel is malformed", text);
    } else if (const auto* a = std::get_if<CancelAll>(&b)) {
      if (a->account != kAccount || a->market >= config().markets.size()) fail("a translated cancel-all is malformed", text);
    } else {
      fail("translation produced an unexpected kind", text);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = parse_request_text(text);
  if (!parsed) {
    if (parsed.code() != Error::InvalidArgument) fail("parser refused with a code other than InvalidArgument", text);
    return 0;
  }
  check_parsed(*parsed, text);
  check_translated(*parsed, text);
  return 0;
}
