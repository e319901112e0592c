// Format v1's derivations: the secret-keyed MACs agree with HMAC-SHA256 keyed each time, HMAC-SHA256
// itself against RFC 4231, and the leaf and node layouts are domain-separated.
#include <gtest/gtest.h>

#include "proofs/por_format.h"

namespace glassbook::proofs {
namespace {

std::span<const uint8_t> bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(PorFormat, HmacSha256MatchesRfc4231Case2) {
  Hmac h;
  EXPECT_EQ(crypto::to_hex(h.mac(bytes("Jefe"), bytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(crypto::to_hex(h.mac_same_key(bytes("what do ya want for nothing?"))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(PorFormat, SecretKeyedOnceGivesTheSameKeysAndPadding) {
  const Digest secret = crypto::sha256(std::string_view("secret"));
  const Digest snapshot = crypto::sha256(std::string_view("snapshot"));
  SecretMac keyed(secret);
  Hmac h;
  for (uint64_t a : {16u, 17u, 123456u}) EXPECT_EQ(keyed.user_key(a), user_key(h, secret, a));
  for (uint64_t j : {0u, 1u, 99u}) EXPECT_EQ(keyed.padding_hash(snapshot, j), padding_hash(h, secret, snapshot, j));
  EXPECT_NE(keyed.user_key(16), keyed.user_key(17));
}

TEST(PorFormat, LeafAndNodeHashesAreDomainSeparatedAndCoverEveryField) {
  const Digest snapshot = crypto::sha256(std::string_view("s")), uc = crypto::sha256(std::string_view("u"));
  const std::vector<uint64_t> values{1, 2};
  const Digest leaf = leaf_hash(snapshot, uc, 5, values);
  EXPECT_NE(leaf, leaf_hash(snapshot, uc, 4, values));
  EXPECT_NE(leaf, leaf_hash(snapshot, uc, 5, std::vector<uint64_t>{1, 3}));
  EXPECT_NE(leaf, leaf_hash(uc, snapshot, 5, values));
  const std::vector<U128> a{1, 2}, b{3, 4};
  const Digest node = node_hash(1, leaf, a, uc, b);
  EXPECT_NE(node, node_hash(2, leaf, a, uc, b));  // the level is committed
  EXPECT_NE(node, node_hash(1, leaf, b, uc, a));  // each child's sums, not only their total
  EXPECT_NE(node, node_hash(1, uc, a, leaf, b));
}

}  // namespace
}  // namespace glassbook::proofs

namespace glassbook::proofs {
namespace {

// Format v1 pinned: these digests were computed independently (Python's hashlib) from the layouts in
// docs/proofs.md, and agree with the code; a change of any byte of the format changes them.
TEST(PorFormat, LeafAndNodeDigestsArePinned) {
  const Digest snapshot = crypto::sha256(std::string_view("snapshot")), uc = crypto::sha256(std::string_view("uc"));
  const std::vector<uint64_t> values{0, 1, 0xFFFFFFFFFFFFFFFFull};
  const Digest leaf = leaf_hash(snapshot, uc, 0x0102030405060708ull, values);
  const std::vector<U128> left{1, U128{1} << 100, 0}, right{~U128{0}, 7, 0};
  EXPECT_EQ(crypto::to_hex(leaf), "55af5c3570cf7a4e7354015be0303bda99d758e12949efea41751d702c164de7");
  EXPECT_EQ(crypto::to_hex(node_hash(3, leaf, left, uc, right)), "a34ea94e4862ef5057a08b7f17dcc511241f5927681ae05c75687ec4cb1786f1");
}

}  // namespace
}  // namespace glassbook::proofs
