// Backpack-style API errors: {"code": ..., "message": ...} with the right HTTP status, from engine errors or the gateway.
#pragma once
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "core/error.h"
#include "core/result.h"

namespace glassbook::api {

// Backpack's error code for an engine error (INVALID_PRICE, INSUFFICIENT_FUNDS, RESOURCE_NOT_FOUND, ...).
std::string_view backpack_code(Error error);
// The HTTP status that goes with a Backpack error code (400, 401, 404, 429, 500, 503, ...).
unsigned http_status_of(std::string_view code);
// A short human sentence for an engine error when no message is at hand ("insufficient funds").
std::string_view default_message(Error error);

// The text of a JSON string literal (without its quotes): quotes, backslashes and control characters escaped.
std::string json_escape(std::string_view text);
// The JSON body {"code":"...","message":"..."} (the message escaped).
std::string error_body(std::string_view code, std::string_view message);
// A whole response: status from the code, body from error_body.
HttpResponse error_response(std::string_view code, std::string_view message);
HttpResponse error_response(Error error, std::string_view message);
// A submission the node did not take: TOO_MANY_REQUESTS when a queue was full, SERVER_ERROR else.
HttpResponse submission_refused(const Status& status);

}  // namespace glassbook::api
