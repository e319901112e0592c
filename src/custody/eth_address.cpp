// EIP-55 checksummed addresses (see eth_address.h).
#include "custody/eth_address.h"

#include <fmt/format.h>

#include "custody/eth_hex.h"
#include "custody/eth_keccak.h"

namespace glassbook::custody::eth {

std::string lower_address(const AddressBytes& address) { return data_hex(address); }

std::string checksum_address(const AddressBytes& address) {
  std::string text = lower_address(address);
  // EIP-55: a letter is upper case where the matching nibble of Keccak-256(lower-case hex) is >= 8.
  const Hash h = keccak256(std::string_view(text).substr(2));
  for (size_t i = 0; i < 40; ++i) {
    const uint8_t nibble = (i % 2 == 0) ? h[i / 2] >> 4 : h[i / 2] & 15;
    char& c = text[2 + i];
    if (c >= 'a' && c <= 'f' && nibble >= 8) c = static_cast<char>(c - 'a' + 'A');
  }
  return text;
}

Result<AddressBytes> parse_address(std::string_view text) {
  if (text.size() != 42) return Status(Error::InvalidArgument, fmt::format("'{}' is not an address (0x and 40 hex digits)", text.substr(0, 80)));
  auto bytes = parse_data(text);
  if (!bytes) return Status(Error::InvalidArgument, fmt::format("'{}' is not an address: {}", text, bytes.status().message()));
  AddressBytes out;
  std::copy(bytes->begin(), bytes->end(), out.begin());
  const std::string_view digits = text.substr(2);
  const bool has_lower = digits.find_first_of("abcdef") != std::string_view::npos;
  const bool has_upper = digits.find_first_of("ABCDEF") != std::string_view::npos;
  if (has_lower && has_upper && checksum_address(out).substr(2) != digits)
    return Status(Error::InvalidArgument, fmt::format("address {} has a wrong EIP-55 checksum (expected {})", text, checksum_address(out)));
  return out;
}

}  // namespace glassbook::custody::eth
