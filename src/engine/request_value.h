// The one rule for a value in a request's signing text, shared by the engine's parser and the gateway.
#pragma once
#include <string_view>

namespace glassbook::engine {

// 1..kMaxTextValueBytes (request_text.h) of [A-Za-z0-9._-], except that triggerQuantity may end in
// '%' (Backpack's share of the position, "50%").
bool valid_text_value(std::string_view key, std::string_view value);

}  // namespace glassbook::engine
