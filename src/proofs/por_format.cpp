// Proof of liabilities format v1: hashing and keyed derivations (por_format.h).
#include "proofs/por_format.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "core/assert.h"

namespace glassbook::proofs {

void put_be(uint8_t* out, uint64_t v, size_t bytes) {
  GB_ASSERT(bytes <= 8);
  const uint64_t be = __builtin_bswap64(v) >> (8 * (8 - bytes));  // the low `bytes` bytes, most significant first
  std::memcpy(out, &be, bytes);
}

void put_u128(uint8_t* out, U128 v) {
  put_be(out, static_cast<uint64_t>(v >> 64), 8);
  put_be(out + 8, static_cast<uint64_t>(v), 8);
}

Hmac::Hmac() {
  EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) throw std::runtime_error("OpenSSL has no HMAC");
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(mac);
  if (ctx == nullptr) {
    EVP_MAC_free(mac);
    throw std::runtime_error("OpenSSL: no HMAC context");
  }
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0), OSSL_PARAM_construct_end()};
  if (EVP_MAC_CTX_set_params(ctx, params) != 1) {
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(mac);
    throw std::runtime_error("OpenSSL: HMAC-SHA256 refused");
  }
  mac_ = mac;
  ctx_ = ctx;
}

Hmac::~Hmac() {
  EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX*>(ctx_));
  EVP_MAC_free(static_cast<EVP_MAC*>(mac_));
}

Digest Hmac::mac(std::span<const uint8_t> key, std::span<const uint8_t> message) {
  auto* ctx = static_cast<EVP_MAC_CTX*>(ctx_);
  Digest out{};
  size_t len = 0;
  const bool ok = EVP_MAC_init(ctx, key.data(), key.size(), nullptr) == 1 &&
                  EVP_MAC_update(ctx, message.data(), message.size()) == 1 &&
                  EVP_MAC_final(ctx, out.data(), &len, out.size()) == 1;
  GB_ASSERT(ok && len == out.size());
  return out;
}

Digest Hmac::mac_same_key(std::span<const uint8_t> message) {
  auto* ctx = static_cast<EVP_MAC_CTX*>(ctx_);
  Digest out{};
  size_t len = 0;
  const bool ok = EVP_MAC_init(ctx, nullptr, 0, nullptr) == 1 && EVP_MAC_update(ctx, message.data(), message.size()) == 1 &&
                  EVP_MAC_final(ctx, out.data(), &len, out.size()) == 1;
  GB_ASSERT(ok && len == out.size());
  return out;
}

namespace {

// tag || optional 32 bytes || u64 BE, in a fixed buffer (the tags are under 32 bytes).
struct TaggedMessage {
  std::array<uint8_t, 80> bytes{};
  size_t size = 0;
  TaggedMessage(std::string_view tag, const Digest* id, uint64_t n) {
    GB_ASSERT(tag.size() <= 32);
    for (char c : tag) bytes[size++] = static_cast<uint8_t>(c);
    if (id != nullptr)
      for (uint8_t b : *id) bytes[size++] = b;
    put_be(bytes.data() + size, n, 8);
    size += 8;
  }
  std::span<const uint8_t> span() const { return {bytes.data(), size}; }
};

}  // namespace

Digest proof_secret(std::span<const uint8_t, 32> key_seed) {
  Hmac h;
  return h.mac(key_seed, std::span(reinterpret_cast<const uint8_t*>(kSecretTag.data()), kSecretTag.size()));
}

Digest user_key(Hmac& h, const Digest& secret, uint64_t account) {
  return h.mac(secret, TaggedMessage(kUserKeyTag, nullptr, account).span());
}

Digest user_commitment(Hmac& h, const Digest& k_u, const Digest& snapshot_id, uint64_t account) {
  return h.mac(k_u, TaggedMessage(kUserTag, &snapshot_id, account).span());
}

Digest padding_hash(Hmac& h, const Digest& secret, const Digest& snapshot_id, uint64_t j) {
  return h.mac(secret, TaggedMessage(kPaddingTag, &snapshot_id, j).span());
}

SecretMac::SecretMac(const Digest& secret) {
  // Sets the key: the MAC of nothing under it.
  h_.mac(secret, {});
}

Digest SecretMac::user_key(uint64_t account) { return h_.mac_same_key(TaggedMessage(kUserKeyTag, nullptr, account).span()); }

Digest SecretMac::padding_hash(const Digest& snapshot_id, uint64_t j) {
  return h_.mac_same_key(TaggedMessage(kPaddingTag, &snapshot_id, j).span());
}

// Each hash's bytes are laid out in one buffer and hashed in one call: hashing field by field (a
// copy per 8- or 16-byte field) spent 15% of a 2^20-account build in memmove (perf, bench proof).
namespace {
thread_local std::vector<uint8_t> hash_buffer;

uint8_t* append(uint8_t* at, const void* data, size_t size) {
  std::memcpy(at, data, size);
  return at + size;
}
}  // namespace

Digest leaf_hash(const Digest& snapshot_id, const Digest& uc, uint64_t index, std::span<const uint64_t> values) {
  GB_ASSERT(values.size() <= kMaxAssets);
  std::vector<uint8_t>& b = hash_buffer;
  b.resize(1 + kLeafTag.size() + 32 + 32 + 8 + 2 + 8 * values.size());
  uint8_t* at = b.data();
  *at++ = 0x00;
  at = append(at, kLeafTag.data(), kLeafTag.size());
  at = append(at, snapshot_id.data(), 32);
  at = append(at, uc.data(), 32);
  put_be(at, index, 8);
  put_be(at + 8, values.size(), 2);
  at += 10;
  for (uint64_t v : values) {
    put_be(at, v, 8);
    at += 8;
  }
  GB_ASSERT(at == b.data() + b.size());
  return crypto::sha256(std::span<const uint8_t>(b));
}

Digest node_hash(uint8_t level, const Digest& left, std::span<const U128> left_sums, const Digest& right,
                 std::span<const U128> right_sums) {
  GB_ASSERT(left_sums.size() == right_sums.size() && left_sums.size() <= kMaxAssets);
  std::vector<uint8_t>& b = hash_buffer;
  b.resize(1 + kNodeTag.size() + 1 + 2 * (32 + 16 * left_sums.size()));
  uint8_t* at = b.data();
  *at++ = 0x01;
  at = append(at, kNodeTag.data(), kNodeTag.size());
  *at++ = level;
  auto side = [&](const Digest& h, std::span<const U128> sums) {
    at = append(at, h.data(), 32);
    for (U128 v : sums) {
      put_u128(at, v);
      at += 16;
    }
  };
  side(left, left_sums);
  side(right, right_sums);
  GB_ASSERT(at == b.data() + b.size());
  return crypto::sha256(std::span<const uint8_t>(b));
}

}  // namespace glassbook::proofs
