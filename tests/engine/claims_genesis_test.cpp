// Estates in the genesis file ([[estates]]): round trips and strict refusals with their paths.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "claims_fixture.h"
#include "engine/genesis_toml.h"

namespace glassbook::engine::testing {
namespace {

using ::testing::HasSubstr;

ExchangeConfig estates_config() {
  ExchangeConfig c = demo_config(crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher")).public_key());
  add_estates(c);
  return c;
}

std::string refusal(const std::string& text) {
  auto r = parse_genesis_toml(text);
  return r ? std::string() : r.status().message();
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const size_t at = text.find(from);
  if (at == std::string::npos) {
    ADD_FAILURE() << "no " << from;
    return text;
  }
  return text.replace(at, from.size(), to);
}

TEST(EstatesGenesis, RoundTrips) {
  const ExchangeConfig c = estates_config();
  const std::string text = genesis_to_toml(c);
  EXPECT_THAT(text, HasSubstr("[[estates]]\n# a bankruptcy estate"));
  EXPECT_THAT(text, HasSubstr("name = \"FTX Trading Ltd.\"\nclaim_unit = \"USD\"\nclaim_asset = \"FTXCLAIM\"\npayout_assets = [\"USDC\"]\n"));
  EXPECT_THAT(text, HasSubstr("barred_jurisdictions = [\"CN\", \"RU\"]\n"));
  EXPECT_THAT(text, HasSubstr("[estates.transfer_rules]\nmin_kyc_level = 2\nbarred_buyer_jurisdictions = [\"KP\"]\n"));
  auto back = parse_genesis_toml(text);
  ASSERT_TRUE(back) << back.status().to_string();
  EXPECT_EQ(*back, c);
  EXPECT_EQ(genesis_to_toml(*back), text);
}

TEST(EstatesGenesis, RefusalsNameTheirPath) {
  const std::string base = genesis_to_toml(estates_config());
  EXPECT_THAT(refusal(replaced(base, "payout_assets = [\"USDC\"]", "payout_assets = [\"EURC\"]")),
              HasSubstr("estates[0].payout_assets[0]: no asset \"EURC\" in assets"));
  EXPECT_THAT(refusal(replaced(base, "claim_asset = \"FTXCLAIM\"", "claim_asset = \"FTX\"")), HasSubstr("estates[0].claim_asset"));
  EXPECT_THAT(refusal(replaced(base, "barred_jurisdictions = [\"CN\", \"RU\"]", "barred_jurisdictions = [\"CN\", 7]")),
              HasSubstr("estates[0].barred_jurisdictions[1]: expected a string"));
  EXPECT_THAT(refusal(replaced(base, "barred_jurisdictions = [\"CN\", \"RU\"]", "barred_jurisdictions = [\"China\"]")),
              HasSubstr("not an ISO 3166-1 alpha-2 code"));
  EXPECT_THAT(refusal(replaced(base, "kyc_providers = [\"", "kyc_providers = [\"x")), HasSubstr("estates[0].kyc_providers[0]: not an Ed25519"));
  EXPECT_THAT(refusal(replaced(base, "min_kyc_level = 2", "min_kyc_level = 2\nmax_price = 1")),
              HasSubstr("unknown key estates[0].transfer_rules.max_price"));
  EXPECT_THAT(refusal(replaced(base, "min_kyc_level = 2", "min_kyc_level = 12")), HasSubstr("estates[0].transfer_rules.min_kyc_level"));
}

}  // namespace
}  // namespace glassbook::engine::testing
