// SHA-256 via OpenSSL EVP.
#include "crypto/sha256.h"

#include <openssl/evp.h>

#include <cassert>
#include <stdexcept>

namespace glassbook::crypto {

namespace {
EVP_MD_CTX* ctx_of(void* p) { return static_cast<EVP_MD_CTX*>(p); }
}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_of(ctx_), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("sha256: cannot initialise OpenSSL digest");
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_of(ctx_)); }

void Sha256::update(const void* data, size_t size) {
  int rc = EVP_DigestUpdate(ctx_of(ctx_), data, size);
  assert(rc == 1);
  (void)rc;
}

void Sha256::update_u16(uint16_t v) {
  uint8_t b[2] = {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8)};
  update(b, 2);
}

void Sha256::update_u32(uint32_t v) {
  uint8_t b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
  update(b, 4);
}

void Sha256::update_u64(uint64_t v) {
  uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<uint8_t>(v >> (8 * i));
  update(b, 8);
}

Digest Sha256::finish() {
  Digest d{};
  unsigned int len = 0;
  int rc = EVP_DigestFinal_ex(ctx_of(ctx_), d.data(), &len);
  assert(rc == 1 && len == d.size());
  rc = EVP_DigestInit_ex(ctx_of(ctx_), EVP_sha256(), nullptr);
  assert(rc == 1);
  (void)rc;
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
