// SHA-256 against the FIPS 180-2 test vectors, one-shot and incremental.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "crypto/sha256.h"

namespace glassbook::crypto {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(to_hex(sha256(std::string_view(""))), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(to_hex(sha256(std::string_view("abc"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha256(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalEqualsOneShotAndReuses) {
  std::string million(1'000'000, 'a');
  Sha256 h;
  for (size_t i = 0; i < million.size(); i += 1000) h.update(million.data() + i, 1000);
  EXPECT_EQ(to_hex(h.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  h.update("abc");  // reusable after finish
  EXPECT_EQ(to_hex(h.finish()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

// Updates are gathered in a buffer: any split of the same bytes, around and across its size, and any
// mix of fields and large pieces, gives the one-shot digest.
TEST(Sha256, AnySplitOfTheBytesGivesTheSameDigest) {
  std::mt19937_64 rng(5);
  std::string bytes(5000, '\0');
  for (char& c : bytes) c = static_cast<char>(rng());
  for (int round = 0; round < 200; ++round) {
    const size_t n = rng() % bytes.size();
    Sha256 h;
    for (size_t at = 0; at < n;) {
      const size_t piece = std::min<size_t>(n - at, rng() % 4 == 0 ? rng() % 700 : rng() % 9);
      h.update(bytes.data() + at, piece);
      at += piece;
    }
    ASSERT_EQ(h.finish(), sha256(std::string_view(bytes.data(), n))) << "round " << round;
  }
}

TEST(Sha256, EmptyUpdatesChangeNothing) {
  Sha256 h;
  h.update(nullptr, 0);
  h.update(std::string_view());
  h.update("abc");
  h.update(std::string_view());
  EXPECT_EQ(to_hex(h.finish()), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, IntegersAreLittleEndian) {
  Sha256 a, b;
  a.update_u32(0x04030201);
  const uint8_t bytes[] = {1, 2, 3, 4};
  b.update(bytes, 4);
  EXPECT_EQ(a.finish(), b.finish());
}

}  // namespace
}  // namespace glassbook::crypto
