// Decoder of canonical command bytes: one parser per kind over the shared ByteReader.
#include "engine/command_codec.h"

#include "core/byte_io.h"
#include "engine/command_fields.h"
#include "engine/request_text.h"

#include <fmt/format.h>

#include <type_traits>
#include <variant>

namespace glassbook::engine {

namespace {

Status bad(std::string message) { return Status(Error::InvalidArgument, std::move(message)); }

template <class C>
Result<CommandBody> parse(ByteReader& r) {
  CommandBody body{std::in_place_type<C>};
  for_each_field(r, std::get<C>(body));
  return body;
}

// Dispatches on the variant index at run time to the parser of that alternative.
// A SignedRequest has no tagged form: its kind is refused here like an unknown one.
template <size_t I = 0>
Result<CommandBody> parse_index(ByteReader& r, size_t index) {
  if constexpr (I < std::variant_size_v<CommandBody>) {
    using C = std::variant_alternative_t<I, CommandBody>;
    if constexpr (!std::is_same_v<C, SignedRequest>) {
      if (index == I) return parse<C>(r);
    }
    return parse_index<I + 1>(r, index);
  } else {
    (void)r;
    return bad(fmt::format("signed command: unknown kind {}", index));
  }
}

}  // namespace

Result<CommandBody> decode_body(std::string_view signed_bytes) {
  if (signed_bytes.starts_with(kRequestTextPrefix)) {
    if (auto text = parse_request_text(signed_bytes); !text) return text.status();
    return CommandBody{SignedRequest{std::string(signed_bytes)}};
  }
  if (signed_bytes.size() <= kCommandDomainTag.size() || signed_bytes.substr(0, kCommandDomainTag.size()) != kCommandDomainTag)
    return bad("signed command: missing domain tag \"glassbook/command/v1\"");
  ByteReader r(signed_bytes.substr(kCommandDomainTag.size()), "signed command");  // no allocation: replay decodes millions
  uint8_t kind = 0;
  r.u8(kind);
  Result<CommandBody> body = parse_index(r, kind);
  if (!body.is_ok()) return body;
  if (auto s = r.status(); !s) return s;
  assert(body.value().index() == kind);
  return body;
}

}  // namespace glassbook::engine
