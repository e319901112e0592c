// Ed25519 against RFC 8032 test vector 1, tampering, and base64 round trips and refusals.
#include <gtest/gtest.h>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace glassbook::crypto {
namespace {

Seed seed_from_hex(const std::string& hex) {
  Seed s{};
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return s;
}

TEST(Ed25519, Rfc8032Vector1) {
  auto kp = KeyPair::from_seed(seed_from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  EXPECT_EQ(to_hex(kp.public_key()), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  auto sig = kp.sign(std::string_view(""));
  EXPECT_EQ(to_hex(sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(verify(kp.public_key(), std::string_view(""), sig));
}

TEST(Ed25519, SeedIsTheOneTheKeyWasMadeFrom) {
  const Seed seed = seed_from_label("dave");
  EXPECT_EQ(KeyPair::from_seed(seed).seed(), seed);
}

TEST(Ed25519, RefusesTamperedMessageSignatureOrKey) {
  auto kp = KeyPair::from_seed(seed_from_label("alice"));
  auto other = KeyPair::from_seed(seed_from_label("bob"));
  auto sig = kp.sign(std::string_view("instruction=orderExecute&price=1"));
  EXPECT_TRUE(verify(kp.public_key(), std::string_view("instruction=orderExecute&price=1"), sig));
  EXPECT_FALSE(verify(kp.public_key(), std::string_view("instruction=orderExecute&price=2"), sig));
  EXPECT_FALSE(verify(other.public_key(), std::string_view("instruction=orderExecute&price=1"), sig));
  sig[10] ^= 1;
  EXPECT_FALSE(verify(kp.public_key(), std::string_view("instruction=orderExecute&price=1"), sig));
}

TEST(Base64, RoundTripAndRefusals) {
  auto kp = KeyPair::from_seed(seed_from_label("carol"));
  std::string b64 = base64_encode(kp.public_key());
  EXPECT_EQ(b64.size(), 44u);
  EXPECT_EQ(public_key_from_base64(b64), kp.public_key());
  EXPECT_FALSE(public_key_from_base64(b64.substr(0, 40)));    // truncated
  EXPECT_FALSE(public_key_from_base64(b64 + "AAAA"));          // too long for a key
  EXPECT_FALSE(public_key_from_base64("!!!!" + b64.substr(4)));  // bad alphabet
  EXPECT_FALSE(signature_from_base64(b64));                    // wrong length for a signature
  EXPECT_EQ(base64_decode("aGVsbG8="), "hello");
  EXPECT_FALSE(base64_decode("aGVsbG8"));  // missing padding
}

}  // namespace
}  // namespace glassbook::crypto
