// Ethereum's Recursive Length Prefix encoding (Yellow Paper, appendix B): byte strings and lists,
// encoded and strictly decoded (only the one canonical encoding of each value is accepted).
#pragma once
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace glassbook::custody::rlp {

using Bytes = std::vector<uint8_t>;

// A byte string, encoded.
Bytes encode_bytes(std::span<const uint8_t> bytes);
inline Bytes encode_string(std::string_view text) {
  return encode_bytes({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}
// An unsigned integer: its big-endian bytes without leading zeros (0 is the empty string).
Bytes encode_uint(uint64_t value);
// A big-endian unsigned integer of any width (e.g. a 32-byte signature scalar): leading zeros dropped.
Bytes encode_big_uint(std::span<const uint8_t> big_endian);
// A list of items, each already encoded.
Bytes encode_list(const std::vector<Bytes>& encoded_items);

// A decoded item: a byte string, or a list of items.
struct Item {
  bool is_list = false;
  Bytes bytes;              // when !is_list
  std::vector<Item> items;  // when is_list
  bool operator==(const Item&) const = default;
};

// Decodes exactly one item filling all of `encoded`; InvalidArgument (saying where) for a truncated,
// trailing or non-canonical encoding, or one nested deeper than 64 lists.
Result<Item> decode(std::span<const uint8_t> encoded);

}  // namespace glassbook::custody::rlp
