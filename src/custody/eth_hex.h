// Ethereum JSON-RPC's hex text: "0x"-prefixed data (any even number of digits) and quantities
// (no leading zeros, "0x0" for zero), read into bytes, uint64 or 256-bit values, and written back.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace glassbook::custody::eth {

using Bytes = std::vector<uint8_t>;
using Uint256 = std::array<uint8_t, 32>;  // big-endian

// "0x" then an even number of hex digits (either case).
Result<Bytes> parse_data(std::string_view text);
// "0x" then lower-case hex, as nodes print data.
std::string data_hex(std::span<const uint8_t> bytes);

// A quantity: "0x" then 1 to 64 hex digits; a leading zero is tolerated (some nodes print them in
// 32-byte words, e.g. eth_call's answer goes through parse_word instead).
Result<Uint256> parse_quantity256(std::string_view text);
Result<uint64_t> parse_quantity(std::string_view text);  // Overflow above 2^64 - 1
// A 32-byte word as eth_call answers it ("0x" + 64 digits), as a quantity.
Result<Uint256> parse_word(std::string_view text);
// A quantity as nodes expect it: "0x0", "0x1f"...
std::string quantity_hex(uint64_t value);

// The value in our int64 units; Overflow (saying the value) when it does not fit.
Result<int64_t> to_int64(const Uint256& value);
Uint256 from_uint64(uint64_t value);
// The decimal text of a 256-bit value (for error messages and logs).
std::string decimal(const Uint256& value);

}  // namespace glassbook::custody::eth
