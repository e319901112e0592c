// SHA-256 from OpenSSL (the CPU's SHA instructions): one-shot and incremental. It uses OpenSSL's
// SHA256_* functions, the same code as EVP without EVP's per-call dispatch and allocation, which for
// the ~200-byte journal records costs more than the hash itself (see sha256.cpp).
#pragma once
#include <array>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

namespace glassbook::crypto {

using Digest = std::array<uint8_t, 32>;

// Small updates (the state root hashes millions of 8-byte fields) are gathered in a buffer and handed
// to OpenSSL in large pieces: a call per field cost more than hashing its bytes. The digest is that of
// the bytes in order, however they are split.
class Sha256 {
 public:
  Sha256();
  ~Sha256() = default;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size) {
    if (size == 0) return;  // `data` may then be null (an empty string_view), which memcpy must not see
    if (size < kBufferBytes && used_ + size <= kBufferBytes) {
      std::memcpy(buffer_ + used_, data, size);
      used_ += size;
      return;
    }
    update_large(data, size);
  }
  void update(std::string_view s) { update(s.data(), s.size()); }
  void update_u8(uint8_t v) { update(&v, 1); }
  void update_u16(uint16_t v) { update_le(v, 2); }  // little-endian
  void update_u32(uint32_t v) { update_le(v, 4); }  // little-endian
  void update_u64(uint64_t v) { update_le(v, 8); }  // little-endian
  void update_i64(int64_t v) { update_u64(static_cast<uint64_t>(v)); }
  Digest finish();  // the hasher may be reused after finish

 private:
  static constexpr size_t kBufferBytes = 256;
  void update_le(uint64_t v, size_t n) {
    uint8_t b[8];
    for (size_t i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
    update(b, n);
  }
  void flush();
  void update_large(const void* data, size_t size);

  alignas(8) unsigned char ctx_[112];  // OpenSSL's SHA256_CTX (size checked in sha256.cpp)
  size_t used_ = 0;
  unsigned char buffer_[kBufferBytes];
};

Digest sha256(std::span<const uint8_t> data);
Digest sha256(std::string_view data);

std::string to_hex(std::span<const uint8_t> bytes);

}  // namespace glassbook::crypto
