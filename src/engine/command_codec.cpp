// Decoder of canonical command bytes: one parser per kind over the shared ByteReader.
#include "engine/command_codec.h"

#include "core/assert.h"
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
void parse(ByteReader& r, CommandBody& out) {
  for_each_field(r, out.emplace<C>());
}

// Dispatches on the variant index at run time to the parser of that alternative.
// A SignedRequest has no tagged form: its kind is refused here like an unknown one.
template <size_t I = 0>
Status parse_index(ByteReader& r, size_t index, CommandBody& out) {
  if constexpr (I < std::variant_size_v<CommandBody>) {
    using C = std::variant_alternative_t<I, CommandBody>;
    if constexpr (!std::is_same_v<C, SignedRequest>) {
      if (index == I) {
        parse<C>(r, out);
        return Status::ok();
      }
    }
    return parse_index<I + 1>(r, index, out);
  } else {
    (void)r;
    (void)out;
    return bad(fmt::format("signed command: unknown kind {}", index));
  }
}

}  // namespace

Status decode_body_into(std::string_view signed_bytes, CommandBody& out) {
  if (signed_bytes.starts_with(kRequestTextPrefix)) {
    if (auto text = parse_request_text(signed_bytes); !text) return text.status();
    out.emplace<SignedRequest>().text.assign(signed_bytes);
    return Status::ok();
  }
  if (signed_bytes.size() <= kCommandDomainTag.size() || signed_bytes.substr(0, kCommandDomainTag.size()) != kCommandDomainTag)
    return bad("signed command: missing domain tag \"glassbook/command/v1\"");
  ByteReader r(signed_bytes.substr(kCommandDomainTag.size()), "signed command");  // no allocation: replay decodes millions
  uint8_t kind = 0;
  r.u8(kind);
  if (Status s = parse_index(r, kind, out); !s) return s;
  if (auto s = r.status(); !s) return s;
  GB_ASSERT(out.index() == kind);
  return Status::ok();
}

Result<CommandBody> decode_body(std::string_view signed_bytes) {
  CommandBody body;
  if (Status s = decode_body_into(signed_bytes, body); !s) return s;
  return body;
}

}  // namespace glassbook::engine
