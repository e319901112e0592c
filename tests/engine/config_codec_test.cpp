// The configuration's canonical bytes: round trips, strict decoding, and bounds.
#include <gtest/gtest.h>

#include "engine/config_codec.h"

namespace glassbook::engine {
namespace {

crypto::PublicKey key_of(const char* label) { return crypto::KeyPair::from_seed(crypto::seed_from_label(label)).public_key(); }

ExchangeConfig full_config() {
  ExchangeConfig c = demo_config(key_of("watcher"));
  c.log_key = key_of("log");
  c.operators = {{key_of("op1"), key_of("op2"), key_of("op3")}, 2};
  c.oracle_sources = {{key_of("o1"), key_of("o2"), key_of("o3"), key_of("o4"), key_of("o5")}, 3};
  c.custodians = {{key_of("c1"), key_of("c2")}, 2};
  return c;
}

TEST(ConfigCodec, RoundTripsEveryField) {
  const ExchangeConfig c = full_config();
  const std::string bytes = encode_config(c);
  auto d = decode_config(bytes);
  ASSERT_TRUE(d.is_ok()) << d.status().to_string();
  EXPECT_EQ(d.value(), c);
  EXPECT_EQ(encode_config(d.value()), bytes);
}

TEST(ConfigCodec, EveryFieldChangesTheBytes) {
  const std::string base = encode_config(full_config());
  ExchangeConfig c = full_config();
  c.markets[1].taker_fee_ppm += 1;
  EXPECT_NE(encode_config(c), base);
  c = full_config();
  c.custodians.threshold = 1;
  EXPECT_NE(encode_config(c), base);
  c = full_config();
  c.log_key[31] ^= 1;
  EXPECT_NE(encode_config(c), base);
}

TEST(ConfigCodec, RefusesEveryTruncationAndTrailingBytes) {
  const std::string bytes = encode_config(full_config());
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto d = decode_config(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(d.is_ok()) << "prefix of " << n << " bytes decoded";
  }
  // Bytes after the groups begin the governance section: a stray byte is a section cut short.
  auto d = decode_config(bytes + "x");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("truncated"), std::string::npos) << d.status().message();
  // After a whole governance section, a stray byte begins the witness section, cut short.
  ExchangeConfig governed = full_config();
  governed.governance.config_timelock_us = 1;
  d = decode_config(encode_config(governed) + "x");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("truncated"), std::string::npos) << d.status().message();
  // After a whole witness section, anything more is trailing.
  governed.witnesses = {{{"witness.example/w1", "http://127.0.0.1:8091", key_of("w1")}}, 1};
  d = decode_config(encode_config(governed) + "x");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("trailing"), std::string::npos) << d.status().message();
}

TEST(ConfigCodec, RefusesAConfigurationTheEngineWouldRefuse) {
  ExchangeConfig c = full_config();
  c.operators.threshold = 4;  // 4 of 3
  auto d = decode_config(encode_config(c));
  ASSERT_FALSE(d.is_ok());
  EXPECT_EQ(d.status().code(), Error::InvalidConfig);
  EXPECT_NE(d.status().message().find("operators"), std::string::npos) << d.status().message();

  c = full_config();
  c.custodians.keys.push_back(c.custodians.keys[0]);  // a key twice
  EXPECT_FALSE(decode_config(encode_config(c)).is_ok());

  c = full_config();
  c.markets[0].tick_size = 0;
  EXPECT_FALSE(decode_config(encode_config(c)).is_ok());
}

TEST(ConfigCodec, RefusesHugeLengthsWithoutAllocating) {
  std::string bytes = encode_config(full_config());
  // The asset count comes first: claim four billion assets.
  bytes[0] = bytes[1] = bytes[2] = bytes[3] = '\xff';
  auto d = decode_config(bytes);
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("more than"), std::string::npos) << d.status().message();
}

TEST(ConfigCodec, OverlongSymbolIsRefusedByValidation) {
  ExchangeConfig c = full_config();
  c.assets[0].symbol = std::string(33, 'X');
  EXPECT_FALSE(validate_config(c).is_ok());
}

}  // namespace
}  // namespace glassbook::engine
