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

}  // namespace glassbook::engine
