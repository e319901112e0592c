// Keccak-256 (Ethereum's hash: the original Keccak padding, not SHA3-256's) from Crypto++: Debian 12's
// OpenSSL 3.0 has no KECCAK-256 digest (EVP_MD_fetch answers null; it came in OpenSSL 3.2).
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace glassbook::custody::eth {

using Hash = std::array<uint8_t, 32>;

Hash keccak256(std::span<const uint8_t> data);
Hash keccak256(std::string_view data);

}  // namespace glassbook::custody::eth
