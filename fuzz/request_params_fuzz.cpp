// libFuzzer target: the gateway's request parser (JSON bodies, batches, query strings) and the signing
// text built from what it accepts. Whatever it accepts must build a text the engine's parser accepts,
// carrying exactly the accepted parameters.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "api/request_params.h"
#include "engine/request_text.h"

namespace {

using namespace glassbook;

[[noreturn]] void fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "request_params_fuzz: %s\ninput: %.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

// The instruction's parameters in the parsed text must be the accepted ones, sorted by key.
void check_same(const api::Params& params, const engine::TextInstruction& parsed, std::string_view input) {
  if (parsed.params.size() != params.size()) fail("parameter count changed", input);
  for (const engine::TextParam& tp : parsed.params)
    if (api::param(params, tp.key) != tp.value) fail("a parameter changed in the signing text", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto p = api::params_from_json(input); p.is_ok()) {
    const std::string text = engine::build_request_text("orderExecute", api::text_params(*p), 1'700'000'000'000, 5000);
    auto parsed = engine::parse_request_text(text);
    if (!parsed.is_ok()) fail("the signing text of an accepted body does not parse", input);
    check_same(*p, parsed->instructions.at(0), input);
  }
  if (auto b = api::params_from_json_array(input); b.is_ok()) {
    std::vector<std::vector<engine::TextParam>> orders;
    for (const api::Params& o : *b) orders.push_back(api::text_params(o));
    const std::string text = engine::build_batch_text("orderExecute", orders, 1'700'000'000'000, 5000);
    auto parsed = engine::parse_request_text(text);
    // An empty order in a batch has no parameters; every other accepted batch must parse.
    if (!parsed.is_ok()) fail("the signing text of an accepted batch does not parse", input);
    if (parsed->instructions.size() != b->size()) fail("batch size changed", input);
    for (size_t i = 0; i < b->size(); ++i) check_same((*b)[i], parsed->instructions[i], input);
  }
  if (auto q = api::params_from_query(input); q.is_ok()) {
    const std::string text = engine::build_request_text("orderQueryAll", api::text_params(*q), 1'700'000'000'000, 5000);
    auto parsed = engine::parse_request_text(text);
    if (!parsed.is_ok()) fail("the signing text of an accepted query does not parse", input);
    check_same(*q, parsed->instructions.at(0), input);
  }
  return 0;
}
