// Ethereum addresses: 20 bytes, written as EIP-55 mixed-case checksummed hex; read from any case,
// where a mixed-case text must carry a correct checksum (a typo in it is caught).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace glassbook::custody::eth {

using AddressBytes = std::array<uint8_t, 20>;

// "0x" + 40 hex digits: all lower, all upper, or mixed case with a valid EIP-55 checksum.
Result<AddressBytes> parse_address(std::string_view text);
// "0x" + the EIP-55 checksummed digits.
std::string checksum_address(const AddressBytes& address);
// "0x" + lower-case digits, as the chain interface (custody::Address) and node logs print them.
std::string lower_address(const AddressBytes& address);

}  // namespace glassbook::custody::eth
