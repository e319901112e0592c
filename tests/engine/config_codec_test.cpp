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
  // Except the prefix without the sections after the governance one (here a default governance
  // section and the state root version): that is a configuration of its own, from before them.
  ExchangeConfig older = full_config();
  older.state_root_version = kStateRootV1;
  const size_t older_size = encode_config(older).size();
  for (size_t n = 0; n < bytes.size(); ++n) {
    if (n == older_size) continue;
    auto d = decode_config(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(d.is_ok()) << "prefix of " << n << " bytes decoded";
  }
  // Bytes after the groups begin the governance section: a stray byte is a section cut short.
  auto d = decode_config(encode_config(older) + "x");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("truncated"), std::string::npos) << d.status().message();
  // After a whole governance section come tagged sections: a stray byte is no section's tag
  // (trailing), the witnesses' tag alone is their section cut short.
  ExchangeConfig governed = older;
  governed.governance.config_timelock_us = 1;
  d = decode_config(encode_config(governed) + "x");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("trailing"), std::string::npos) << d.status().message();
  d = decode_config(encode_config(governed) + "\x02");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("truncated"), std::string::npos) << d.status().message();
  // After a whole witness section, anything more is trailing, a risk section out of its order too.
  governed.witnesses = {{{"witness.example/w1", "http://127.0.0.1:8091", key_of("w1")}}, 1};
  ASSERT_TRUE(decode_config(encode_config(governed)).is_ok());
  d = decode_config(encode_config(governed) + "x");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("trailing"), std::string::npos) << d.status().message();
  d = decode_config(encode_config(governed) + "\x01");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("trailing"), std::string::npos) << d.status().message();
  // The state root version's section is the last: a second one, or one holding the default 1, is refused.
  d = decode_config(bytes + "\x03\x02");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("trailing"), std::string::npos) << d.status().message();
  d = decode_config(encode_config(older) + std::string("\0\0\0\0\0\0\0\0\0\0\0\0\x03\x01", 14));
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("only defaults"), std::string::npos) << d.status().message();
}

// The risk parameters added after the governance section: written only when one differs from its
// default, so that every configuration (and state root) from before keeps its bytes.
ExchangeConfig risk_extended() {
  ExchangeConfig c = full_config();
  // The offsets below count from the end, where a configuration from before state root format 2
  // has no version section.
  c.state_root_version = kStateRootV1;
  c.assets[0].valuation = Valuation::Index;
  c.assets[0].collateral_weight_ppm = 900'000;
  c.assets[2].valuation = Valuation::MarginAsset;
  c.risk.margin_asset = 2;
  c.risk.oracle_staleness_us = 10'000'000;
  c.risk.oracle_cap_ppm = 50'000;
  EXPECT_TRUE(validate_config(c).is_ok()) << validate_config(c).status().to_string();
  return c;
}

TEST(ConfigCodec, TheRiskSectionIsWrittenOnlyWhenItDiffersFromItsDefaults) {
  const ExchangeConfig plain = risk_extended();
  const std::string plain_bytes = encode_config(plain);
  for (int field = 0; field < 5; ++field) {
    ExchangeConfig c = plain;
    switch (field) {
      case 0: c.risk.seizure_haircut_ppm = 300'000; break;
      case 1: c.risk.fund_unwind_interval_us = 5'000'000; break;
      case 2: c.risk.fund_slices_per_cap = 7; break;
      case 3: c.assets[0].concentration_share_ppm = 300'000; c.assets[0].concentration_weight_ppm = 500'000; break;
      case 4: c.governance.config_timelock_us = 1; c.risk.fund_slices_per_cap = 7; break;
    }
    const std::string bytes = encode_config(c);
    EXPECT_GT(bytes.size(), plain_bytes.size()) << field;
    auto d = decode_config(bytes);
    ASSERT_TRUE(d.is_ok()) << field << ": " << d.status().to_string();
    EXPECT_EQ(d.value(), c) << field;
    EXPECT_EQ(encode_config(d.value()), bytes) << field;
    // Every prefix is refused, except the one that ends with a governance section (case 4): that is
    // a configuration of its own, without the risk section.
    ExchangeConfig governance_only = plain;
    governance_only.governance = c.governance;
    const size_t governed = encode_config(governance_only).size();
    for (size_t n = plain_bytes.size() + 1; n < bytes.size(); ++n)
      if (n != governed) {
        EXPECT_FALSE(decode_config(std::string_view(bytes).substr(0, n)).is_ok()) << field << ": prefix of " << n;
      }
    EXPECT_FALSE(decode_config(bytes + "x").is_ok()) << field;
  }
  // A section holding only defaults is not the one encoding of its configuration: refused.
  ExchangeConfig c = plain;
  c.risk.fund_slices_per_cap = 7;
  std::string bytes = encode_config(c);
  // The slices per cap come just before the assets' two i32 each (no perpetual markets here).
  const size_t at = bytes.size() - 2 * 4 * c.assets.size() - 4;
  ASSERT_EQ(bytes[at], 7);
  bytes[at] = 20;
  auto d = decode_config(bytes);
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("only defaults"), std::string::npos) << d.status().message();
  // A tag that names no section after the governance section is trailing bytes.
  ExchangeConfig governed = plain;
  governed.governance.config_timelock_us = 1;
  d = decode_config(encode_config(governed) + "\x08");  // 3 is the state root version's, 4 the withdrawals', 5 the estates', 6 the proof key', 7 custody's
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("trailing"), std::string::npos) << d.status().message();
  // Both tagged sections, in their order, round-trip.
  ExchangeConfig both = c;
  both.witnesses = {{{"witness.example/w1", "http://127.0.0.1:8091", key_of("w1")}}, 1};
  auto round = decode_config(encode_config(both));
  ASSERT_TRUE(round.is_ok()) << round.status().message();
  EXPECT_EQ(round->risk.fund_slices_per_cap, 7);
  EXPECT_EQ(round->witnesses.witnesses.size(), 1u);
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
