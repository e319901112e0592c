// SHA-256 via OpenSSL's SHA256_* functions.
#include "crypto/sha256.h"

// OpenSSL 3 marks the SHA256_* functions deprecated in favour of EVP, but they remain supported and
// run the same SHA-NI code. Measured on these machines for a 216-byte record: EVP_DigestInit_ex2 +
// Update + Final with a reused context 236 ns, SHA256_Init/Update/Final 175 ns; a 65-byte Merkle
// node 100 ns. Replay hashes every record and every node, so the difference is replay speed.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <cassert>
#include <cstring>

namespace glassbook::crypto {

namespace {
static_assert(sizeof(SHA256_CTX) <= 112 && alignof(SHA256_CTX) <= 8);
SHA256_CTX* ctx_of(unsigned char* p) { return reinterpret_cast<SHA256_CTX*>(p); }
}  // namespace

Sha256::Sha256() { SHA256_Init(ctx_of(ctx_)); }

void Sha256::flush() {
  if (used_ > 0) SHA256_Update(ctx_of(ctx_), buffer_, used_);
  used_ = 0;
}

void Sha256::update_large(const void* data, size_t size) {
  flush();
  if (size >= kBufferBytes) {
    SHA256_Update(ctx_of(ctx_), data, size);
    return;
  }
  std::memcpy(buffer_, data, size);
  used_ = size;
}

Digest Sha256::finish() {
  flush();
  Digest d{};
  SHA256_Final(d.data(), ctx_of(ctx_));
  SHA256_Init(ctx_of(ctx_));
  return d;
}

Digest sha256(std::span<const uint8_t> data) {
  Sha256 h;
  h.update(data.data(), data.size());
  return h.finish();
}

Digest sha256(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

std::string to_hex(std::span<const uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    s.push_back(kHex[b >> 4]);
    s.push_back(kHex[b & 15]);
  }
  return s;
}

}  // namespace glassbook::crypto
