// Decoding of a command's signed bytes back into its body: the exact inverse of signing_bytes().
#pragma once
#include <string_view>

#include "core/result.h"
#include "engine/command.h"

namespace glassbook::engine {

// Parses bytes produced by signing_bytes(). Bytes starting with kRequestTextPrefix are a
// SignedRequest, accepted when parse_request_text() accepts them. Otherwise refuses
// (Error::InvalidArgument, with a message) a wrong domain tag, an unknown variant index (the
// SignedRequest index included: it has no tagged form), a length other than the kind's exact
// length, and enum values outside their ranges. On success signing_bytes(result) == signed_bytes.
Result<CommandBody> decode_body(std::string_view signed_bytes);
// The same into `out`, in place (replay decodes millions of bodies: no Result, no move). On an error
// `out` holds an unspecified alternative.
Status decode_body_into(std::string_view signed_bytes, CommandBody& out);

}  // namespace glassbook::engine
