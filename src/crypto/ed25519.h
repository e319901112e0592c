// Ed25519 keys, signatures and base64 through libsodium.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace glassbook::crypto {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;
using Seed = std::array<uint8_t, 32>;

class KeyPair {
 public:
  static KeyPair from_seed(const Seed& seed);  // deterministic
  static KeyPair generate();                   // from the OS's randomness (keys only, never the engine)

  const PublicKey& public_key() const { return pk_; }
  // The 32-byte seed the key pair was made from: a secret, for deriving other secrets from a key
  // file's one sealed seed (the proof of liabilities' HMAC key, src/proofs).
  Seed seed() const;
  Signature sign(std::span<const uint8_t> message) const;
  Signature sign(std::string_view message) const;

 private:
  PublicKey pk_{};
  std::array<uint8_t, 64> sk_{};
};

bool verify(const PublicKey& pk, std::span<const uint8_t> message, const Signature& sig);
bool verify(const PublicKey& pk, std::string_view message, const Signature& sig);

// A seed derived from a label (SHA-256 of it): for demo and test keys only.
Seed seed_from_label(std::string_view label);

std::string base64_encode(std::span<const uint8_t> bytes);
std::optional<std::string> base64_decode(std::string_view text);  // standard alphabet, padded
std::optional<PublicKey> public_key_from_base64(std::string_view text);
std::optional<Signature> signature_from_base64(std::string_view text);

// Initialises libsodium once; safe to call from any thread.
void ensure_sodium();

}  // namespace glassbook::crypto
