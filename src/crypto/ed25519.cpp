// Ed25519 and base64 via libsodium.
#include "crypto/ed25519.h"

#include <sodium.h>

#include <stdexcept>

#include "crypto/sha256.h"

namespace glassbook::crypto {

void ensure_sodium() {
  static const bool ok = sodium_init() >= 0;
  if (!ok) throw std::runtime_error("libsodium failed to initialise");
}

KeyPair KeyPair::from_seed(const Seed& seed) {
  ensure_sodium();
  KeyPair kp;
  crypto_sign_seed_keypair(kp.pk_.data(), kp.sk_.data(), seed.data());
  return kp;
}

KeyPair KeyPair::generate() {
  ensure_sodium();
  KeyPair kp;
  crypto_sign_keypair(kp.pk_.data(), kp.sk_.data());
  return kp;
}

Seed KeyPair::seed() const {
  Seed seed{};
  crypto_sign_ed25519_sk_to_seed(seed.data(), sk_.data());
  return seed;
}

Signature KeyPair::sign(std::span<const uint8_t> message) const {
  Signature sig{};
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk_.data());
  return sig;
}

Signature KeyPair::sign(std::string_view message) const {
  return sign(std::span(reinterpret_cast<const uint8_t*>(message.data()), message.size()));
}

bool verify(const PublicKey& pk, std::span<const uint8_t> message, const Signature& sig) {
  ensure_sodium();
  return crypto_sign_verify_detached(sig.data(), message.data(), message.size(), pk.data()) == 0;
}

bool verify(const PublicKey& pk, std::string_view message, const Signature& sig) {
  return verify(pk, std::span(reinterpret_cast<const uint8_t*>(message.data()), message.size()), sig);
}

Seed seed_from_label(std::string_view label) { return sha256(label); }

std::string base64_encode(std::span<const uint8_t> bytes) {
  ensure_sodium();
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  ensure_sodium();
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(),
                        nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  if (end != text.data() + text.size()) return std::nullopt;
  out.resize(len);
  return out;
}

namespace {
template <size_t N>
std::optional<std::array<uint8_t, N>> fixed_from_base64(std::string_view text) {
  auto bytes = base64_decode(text);
  if (!bytes || bytes->size() != N) return std::nullopt;
  std::array<uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}
}  // namespace

std::optional<PublicKey> public_key_from_base64(std::string_view text) { return fixed_from_base64<32>(text); }
std::optional<Signature> signature_from_base64(std::string_view text) { return fixed_from_base64<64>(text); }

}  // namespace glassbook::crypto
