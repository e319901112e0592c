// The witnesses genesis names: canonical bytes (absent when there are none), the TOML section, and validation.
#include <gtest/gtest.h>

#include "engine/config_codec.h"
#include "engine/genesis_toml.h"

namespace glassbook::engine {
namespace {

crypto::PublicKey key_of(const char* label) { return crypto::KeyPair::from_seed(crypto::seed_from_label(label)).public_key(); }

ExchangeConfig witnessed_config() {
  ExchangeConfig c = demo_config(key_of("watcher"));
  c.log_key = key_of("log");
  c.witnesses.witnesses = {{"witness.example/w1", "http://127.0.0.1:8091", key_of("w1")},
                           {"witness.example/w2", "http://10.0.0.2:8092", key_of("w2")}};
  c.witnesses.quorum = 2;
  return c;
}

TEST(WitnessPolicy, BytesRoundTripWithDefaultGovernanceAndStayUnchangedWithoutWitnesses) {
  const ExchangeConfig c = witnessed_config();
  ASSERT_EQ(c.governance, GovernanceConfig{});
  const std::string bytes = encode_config(c);
  auto back = decode_config(bytes);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, c);
  // Without witnesses the bytes are those of a configuration from before witnesses existed: they
  // end where the governance section (here absent) would start.
  // (Both from before the state root version's section, which would follow the witnesses.)
  ExchangeConfig plain = c;
  plain.witnesses = {};
  plain.state_root_version = kStateRootV1;
  ExchangeConfig older = c;
  older.state_root_version = kStateRootV1;
  const std::string older_bytes = encode_config(older);
  const std::string plain_bytes = encode_config(plain);
  EXPECT_LT(plain_bytes.size(), older_bytes.size());
  EXPECT_EQ(older_bytes.substr(0, plain_bytes.size()), plain_bytes);
  // A witness section holding no witness is not canonical.
  std::string empty_section = plain_bytes + std::string(8, '\0') + std::string(4, '\0') + std::string(4, '\0') + std::string(4, '\0');
  EXPECT_FALSE(decode_config(empty_section).is_ok());
}

TEST(WitnessPolicy, GenesisTomlRoundTrips) {
  const ExchangeConfig c = witnessed_config();
  const std::string text = genesis_to_toml(c);
  EXPECT_NE(text.find("[[witnesses.members]]"), std::string::npos);
  auto back = parse_genesis_toml(text);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, c);
  EXPECT_EQ(genesis_to_toml(*back), text);
}

TEST(WitnessPolicy, BadWitnessesAreRefused) {
  auto refused = [](auto change) {
    ExchangeConfig c = witnessed_config();
    change(c);
    auto s = validate_config(c);
    return !s.is_ok() && s.status().message().starts_with("witnesses: ");
  };
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses.quorum = 0; }));
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses.quorum = 3; }));
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses.witnesses[1].key = c.witnesses.witnesses[0].key; }));
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses.witnesses[1].name = c.witnesses.witnesses[0].name; }));
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses.witnesses[0].name = "has space"; }));
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses.witnesses[0].name = "a+b"; }));
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses.witnesses[0].url = "https://w.example:443"; }));
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses.witnesses[0].url = "http://w.example"; }));
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses.witnesses[0].url = "http://w.example:80/path"; }));
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses = {{}, 1}; }));
  EXPECT_TRUE(refused([](ExchangeConfig& c) { c.witnesses.witnesses.clear(); }));  // quorum 2 of none
  EXPECT_TRUE(validate_config(witnessed_config()).is_ok());
  // The TOML reader names the path of a bad field.
  std::string text = genesis_to_toml(witnessed_config());
  text.replace(text.find("quorum = 2"), 10, "quorum = 5");
  auto bad = parse_genesis_toml(text);
  ASSERT_FALSE(bad.is_ok());
  EXPECT_NE(bad.status().message().find("witnesses"), std::string::npos) << bad.status().message();
}

}  // namespace
}  // namespace glassbook::engine
