// The genesis record: the configuration, signed by the log key it names; every alteration is refused.
#include <gtest/gtest.h>

#include "journal/genesis.h"

namespace glassbook::journal {
namespace {

crypto::KeyPair key(const char* label) { return crypto::KeyPair::from_seed(crypto::seed_from_label(label)); }

engine::ExchangeConfig config() {
  engine::ExchangeConfig c = engine::demo_config(key("watcher").public_key());
  c.log_key = key("log").public_key();
  c.operators = {{key("op1").public_key(), key("op2").public_key()}, 2};
  return c;
}

TEST(Genesis, RoundTripsThroughItsRecordBytes) {
  const Record g = make_genesis(config(), key("log"), 1'700'000'000'000'000);
  size_t used = 0;
  auto decoded = decode(encode(g), used);
  ASSERT_TRUE(decoded.is_ok());
  auto c = open_genesis(decoded.value());
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  EXPECT_EQ(c.value(), config());
}

TEST(Genesis, RefusesASignatureByAnyOtherKey) {
  Record g = make_genesis(config(), key("log"), 1);
  g.signature = key("mallory").sign(g.signed_bytes);
  EXPECT_EQ(open_genesis(g).status().code(), Error::InvalidSignature);
  g.signer = key("mallory").public_key();
  auto r = open_genesis(g);
  EXPECT_EQ(r.status().code(), Error::Corruption);
  EXPECT_NE(r.status().message().find("log key"), std::string::npos) << r.status().message();
}

TEST(Genesis, RefusesAnAlteredConfiguration) {
  Record g = make_genesis(config(), key("log"), 1);
  g.signed_bytes[g.signed_bytes.size() - 1] ^= 1;  // the custodian threshold's top byte
  EXPECT_FALSE(open_genesis(g).is_ok());
}

TEST(Genesis, RefusesWrongSeqKindPrevHashOrTag) {
  const Record good = make_genesis(config(), key("log"), 1);
  Record g = good;
  g.seq = 1;
  EXPECT_NE(open_genesis(g).status().message().find("seq 1"), std::string::npos);
  g = good;
  g.kind = 2;
  EXPECT_NE(open_genesis(g).status().message().find("kind"), std::string::npos);
  g = good;
  g.prev_hash[0] = 1;
  EXPECT_NE(open_genesis(g).status().message().find("previous hash"), std::string::npos);
  g = good;
  g.signed_bytes[0] = 'X';
  EXPECT_NE(open_genesis(g).status().message().find("tag"), std::string::npos);
}

TEST(Genesis, RefusesAnInvalidConfigurationEvenWhenSigned) {
  engine::ExchangeConfig c = config();
  c.operators.threshold = 3;  // 3 of 2
  Record g;
  g.seq = 0;
  g.kind = kGenesisKind;
  g.signed_bytes = genesis_signed_bytes(c);
  g.signer = key("log").public_key();
  g.signature = key("log").sign(g.signed_bytes);
  auto r = open_genesis(g);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find("operators"), std::string::npos) << r.status().message();
}

}  // namespace
}  // namespace glassbook::journal
