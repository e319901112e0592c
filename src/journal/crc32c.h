// CRC-32C (Castagnoli), the journal's record checksum: detects torn and corrupted bytes, not forgery.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace glassbook::journal {

// CRC-32C (reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF);
// crc32c("123456789") == 0xE3069283.
uint32_t crc32c(const void* data, size_t size);
inline uint32_t crc32c(std::string_view s) { return crc32c(s.data(), s.size()); }

}  // namespace glassbook::journal
