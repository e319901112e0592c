// Proof of liabilities, format v1: the domain tags, the byte layouts of leaves and nodes, and the
// keyed derivations (k_u, uc, padding), exactly as docs/proofs.md specifies them.
#pragma once
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/sha256.h"

namespace glassbook::proofs {

using crypto::Digest;
using U128 = unsigned __int128;

inline constexpr uint32_t kFormatVersion = 1;
inline constexpr std::string_view kLeafTag = "glassbook/por/v1/leaf";
inline constexpr std::string_view kNodeTag = "glassbook/por/v1/node";
inline constexpr std::string_view kUserTag = "glassbook/por/v1/uid";
inline constexpr std::string_view kUserKeyTag = "glassbook/por/v1/user-key";
inline constexpr std::string_view kPaddingTag = "glassbook/por/v1/pad";
inline constexpr std::string_view kSecretTag = "glassbook/por/v1/secret";
inline constexpr std::string_view kRootTag = "glassbook/por/v1/root";
// A tree deeper than this would need more than 2^32 leaves; account ids are 32-bit.
inline constexpr unsigned kMaxDepth = 32;
inline constexpr size_t kMaxAssets = 1024;

// HMAC-SHA256 (OpenSSL EVP_MAC). One per thread: it keeps its fetched algorithm and context.
class Hmac {
 public:
  Hmac();
  ~Hmac();
  Hmac(const Hmac&) = delete;
  Hmac& operator=(const Hmac&) = delete;
  Digest mac(std::span<const uint8_t> key, std::span<const uint8_t> message);
  // The same under the key of the previous call, without setting it up again (OpenSSL keeps the
  // padded key's state): for the many MACs under the one proof secret.
  Digest mac_same_key(std::span<const uint8_t> message);

 private:
  void* mac_ = nullptr;  // EVP_MAC*
  void* ctx_ = nullptr;  // EVP_MAC_CTX*
};

// The exchange's proof secret, from the seed of its sealed proof key: HMAC(seed, kSecretTag).
Digest proof_secret(std::span<const uint8_t, 32> key_seed);
// k_u = HMAC(secret, kUserKeyTag || account id as u64 BE): the same in every snapshot, shown only to
// that account (its own proofs carry it).
Digest user_key(Hmac& h, const Digest& secret, uint64_t account);
// uc = HMAC(k_u, kUserTag || snapshot_id || account id as u64 BE).
Digest user_commitment(Hmac& h, const Digest& k_u, const Digest& snapshot_id, uint64_t account);
// A padding leaf's hash: HMAC(secret, kPaddingTag || snapshot_id || j as u64 BE), j = 0, 1, ...
Digest padding_hash(Hmac& h, const Digest& secret, const Digest& snapshot_id, uint64_t j);

// user_key and padding_hash for one secret, its key set up once per thread: of the two MACs per
// leaf, this one then costs about half (bench proof).
class SecretMac {
 public:
  explicit SecretMac(const Digest& secret);
  Digest user_key(uint64_t account);
  Digest padding_hash(const Digest& snapshot_id, uint64_t j);

 private:
  Hmac h_;
};

// leaf = SHA-256(0x00 || kLeafTag || snapshot_id || uc || index u64 BE || n u16 BE || n values u64 BE).
Digest leaf_hash(const Digest& snapshot_id, const Digest& uc, uint64_t index, std::span<const uint64_t> values);
// node = SHA-256(0x01 || kNodeTag || level u8 || left || left sums (n x u128 BE) || right || right sums).
// `level` is the node's height: 1 for the parent of two leaves, depth for the root.
Digest node_hash(uint8_t level, const Digest& left, std::span<const U128> left_sums, const Digest& right,
                 std::span<const U128> right_sums);

// Big-endian fixed-width encodings.
void put_be(uint8_t* out, uint64_t v, size_t bytes);
void put_u128(uint8_t* out, U128 v);

}  // namespace glassbook::proofs
