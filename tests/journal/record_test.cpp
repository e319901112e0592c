// Record framing: CRC-32C, encode/decode round trip, incomplete versus corrupt input.
#include <gtest/gtest.h>

#include <random>

#include "journal/crc32c.h"
#include "journal/record.h"

namespace glassbook::journal {
namespace {

Record sample(std::mt19937_64& rng, size_t signed_len) {
  Record r;
  r.seq = rng();
  r.timestamp = static_cast<Timestamp>(rng());
  r.kind = static_cast<uint8_t>(rng());
  r.signed_bytes.resize(signed_len);
  for (auto& c : r.signed_bytes) c = static_cast<char>(rng());
  for (auto& b : r.signer) b = static_cast<uint8_t>(rng());
  for (auto& b : r.signature) b = static_cast<uint8_t>(rng());
  for (auto& b : r.prev_hash) b = static_cast<uint8_t>(rng());
  return r;
}

TEST(Crc32c, KnownVectors) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(""), 0u);
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4
  EXPECT_EQ(crc32c(std::string(32, '\xff')), 0x62A8AB43u);
}

TEST(Record, RoundTripsAndHasDocumentedLayout) {
  std::mt19937_64 rng(1);
  for (size_t len : {size_t{0}, size_t{1}, size_t{21}, size_t{63}, size_t{1000}, kMaxSignedBytes}) {
    const Record r = sample(rng, len);
    const std::string bytes = encode(r);
    ASSERT_EQ(bytes.size(), 165 + len);
    ASSERT_EQ(bytes.size(), encoded_size(r));
    EXPECT_EQ(bytes.substr(0, 4), "GBJR");
    EXPECT_EQ(bytes[4], 1);
    size_t consumed = 0;
    Damage damage = Damage::Corrupt;
    auto d = decode(bytes + "trailing bytes belong to the next record", consumed, &damage);
    ASSERT_TRUE(d.is_ok()) << d.status().to_string();
    EXPECT_EQ(damage, Damage::None);
    EXPECT_EQ(consumed, bytes.size());
    EXPECT_EQ(*d, r);
  }
}

TEST(Record, EveryPrefixIsIncomplete) {
  std::mt19937_64 rng(2);
  const std::string bytes = encode(sample(rng, 50));
  for (size_t n = 0; n < bytes.size(); ++n) {
    size_t consumed = 99;
    Damage damage = Damage::None;
    auto d = decode(std::string_view(bytes).substr(0, n), consumed, &damage);
    ASSERT_FALSE(d.is_ok());
    EXPECT_EQ(damage, Damage::Incomplete) << "prefix " << n << ": " << d.status().message();
    EXPECT_EQ(consumed, 0u);
  }
}

TEST(Record, EveryFlippedBitIsCorruptOrIncomplete) {
  std::mt19937_64 rng(3);
  const std::string bytes = encode(sample(rng, 40));
  for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
    std::string b = bytes;
    b[bit / 8] = static_cast<char>(b[bit / 8] ^ (1 << (bit % 8)));
    size_t consumed = 0;
    Damage damage = Damage::None;
    auto d = decode(b, consumed, &damage);
    ASSERT_FALSE(d.is_ok()) << "bit " << bit;
    // A flipped length bit may claim more bytes than there are: that reads as incomplete.
    const bool length_field = bit / 8 >= 8 && bit / 8 < 12;
    if (!length_field) {
      EXPECT_EQ(damage, Damage::Corrupt) << "bit " << bit;
    }
    EXPECT_NE(damage, Damage::None);
  }
}

TEST(Record, RefusesImpossibleLengthsAndVersions) {
  std::mt19937_64 rng(4);
  std::string bytes = encode(sample(rng, 10));
  size_t consumed = 0;
  Damage damage = Damage::None;

  std::string big = bytes;
  big[8] = '\xff', big[9] = '\xff', big[10] = '\x00', big[11] = '\x00';  // 65535 + header > limit
  auto d = decode(big, consumed, &damage);
  ASSERT_FALSE(d.is_ok());
  EXPECT_EQ(damage, Damage::Corrupt);
  EXPECT_NE(d.status().message().find("length"), std::string::npos);

  std::string small = bytes;
  small[8] = 10, small[9] = 0, small[10] = 0, small[11] = 0;
  EXPECT_FALSE(decode(small, consumed, &damage).is_ok());
  EXPECT_EQ(damage, Damage::Corrupt);

  std::string v2 = bytes;
  v2[4] = 2;
  d = decode(v2, consumed, &damage);
  ASSERT_FALSE(d.is_ok());
  EXPECT_EQ(damage, Damage::Corrupt);
  EXPECT_NE(d.status().message().find("version 2"), std::string::npos);

  EXPECT_FALSE(decode(std::string("XBJR"), consumed, &damage).is_ok());
  EXPECT_EQ(damage, Damage::Corrupt);
  EXPECT_FALSE(decode(std::string(200, '\0'), consumed, &damage).is_ok());
  EXPECT_EQ(damage, Damage::Corrupt);
}

TEST(Record, HashChangesWithEveryByte) {
  std::mt19937_64 rng(5);
  const std::string bytes = encode(sample(rng, 30));
  const auto h = record_hash(bytes);
  EXPECT_EQ(h, crypto::sha256(std::string(1, '\0') + bytes));  // the RFC 6962 leaf hash
  std::string b = bytes;
  b[100] ^= 1;
  EXPECT_NE(record_hash(b), h);
}

}  // namespace
}  // namespace glassbook::journal
