// Request parameters as the client signed them: from a JSON body (object, or array for a batch) or a query string.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "engine/request_text.h"

namespace glassbook::api {

// One parameter, its value rendered exactly as Backpack signs it: a JSON string verbatim, a boolean
// as true/false, an integer as its digits.
struct Param {
  std::string key;
  std::string value;
};
using Params = std::vector<Param>;

// Keys whose value may be a JSON integer (everything else that is a number must be a string: money
// is never a JSON number, so "price": 1.5 is refused).
bool accepts_number(std::string_view key);

// Parses a JSON object of scalar fields. Refuses (Error::InvalidArgument, naming the field):
// malformed JSON, a non-object, nested objects or arrays, null, floats and numbers for decimal
// fields, duplicate keys, keys and values outside the signing text's character set and lengths.
// An empty body is an empty parameter list.
Result<Params> params_from_json(std::string_view body);
// The batch form: a JSON array of 1..engine::kMaxRequestInstructions such objects.
Result<std::vector<Params>> params_from_json_array(std::string_view body);
// Parses `k=v&k=v` with percent-decoding, under the same rules (every value is text).
Result<Params> params_from_query(std::string_view query);

// The value of `key` as a non-negative integer: `fallback` when absent, InvalidArgument when it is
// not digits or is above `max`.
Result<uint64_t> number_param(const Params& params, std::string_view key, uint64_t fallback, uint64_t max);
// The first value of `key`, or empty.
std::string_view param(const Params& params, std::string_view key);
// Views of the parameters for the signing-text builders (valid while `params` lives).
std::vector<engine::TextParam> text_params(const Params& params);

}  // namespace glassbook::api
