// libFuzzer target: decode_body on arbitrary bytes, the parser behind the journal and the role-command
// endpoint. A decoded body must encode back to exactly the bytes it came from (the codec is a
// bijection on what it accepts), and its kind must be the byte after the domain tag.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/command.h"
#include "engine/command_codec.h"

namespace {

[[noreturn]] void fail(const char* what, std::string_view bytes) {
  std::fprintf(stderr, "command_bytes_fuzz: %s (%zu bytes)\n", what, bytes.size());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace glassbook::engine;
  // Half the inputs start with the domain tag, so that the fuzzer spends its time on the fields.
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (size > 0 && (data[0] & 1) != 0) bytes = std::string(kCommandDomainTag) + bytes.substr(1);
  auto body = decode_body(bytes);
  if (!body) return 0;
  if (std::holds_alternative<SignedRequest>(*body)) {
    if (std::get<SignedRequest>(*body).text != bytes) fail("a request text did not decode to itself", bytes);
    return 0;
  }
  if (bytes.size() <= kCommandDomainTag.size() || static_cast<uint8_t>(bytes[kCommandDomainTag.size()]) != body->index())
    fail("the kind byte disagrees with the decoded body", bytes);
  if (signing_bytes(*body) != bytes) fail("a decoded body does not encode back to its bytes", bytes);
  return 0;
}
