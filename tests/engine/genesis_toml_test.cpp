// The genesis file: round trips, the exemption refusal at every depth, and strict refusal of bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "engine/genesis_exemption.h"
#include "engine/genesis_toml.h"
#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

using ::testing::HasSubstr;

crypto::PublicKey watcher_key() { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher")).public_key(); }

// Demo + BTC_PERP + a group: every section of the file.
ExchangeConfig perp_config() {
  ExchangeConfig c = demo_config(watcher_key());
  add_perpetual(c, PerpExchange::oracle_keys());
  c.groups.push_back(AccountGroup{"affiliate-mm", {kFirstCustomer, kFirstCustomer + 4}, usd(100'000'000), usd(50'000'000)});
  return c;
}

std::string perp_text() { return genesis_to_toml(perp_config()); }

// The message of a refused text (empty when accepted).
std::string refusal(const std::string& text) {
  auto r = parse_genesis_toml(text);
  return r ? std::string() : r.status().message();
}

// Inserts `insertion` (lines) right after the `nth` line equal to `line`.
std::string insert_after(std::string text, const std::string& line, const std::string& insertion, int nth = 0) {
  size_t at = 0;
  for (int i = 0; i <= nth; ++i) {
    at = text.find("\n" + line + "\n", at == 0 ? 0 : at + 1);
    if (at == std::string::npos) {
      ADD_FAILURE() << "no line " << line;
      return text;
    }
  }
  return text.insert(at + line.size() + 2, insertion);
}

// Replaces the value of the first `key = ...` line after `anchor` (empty: "remove the line").
std::string set_after(std::string text, const std::string& anchor, const std::string& key, const std::string& value) {
  const size_t from = text.find(anchor);
  const size_t at = text.find("\n" + key + " = ", from == std::string::npos ? 0 : from);
  if (from == std::string::npos || at == std::string::npos) {
    ADD_FAILURE() << "no " << key << " after " << anchor;
    return text;
  }
  const size_t end = text.find('\n', at + 1);
  return text.replace(at + 1, end - at, value.empty() ? "" : key + " = " + value + "\n");
}

std::string exemption_message(const std::string& path) {
  return "genesis refused: `" + path + "` would exempt an account from risk rules; no account can be exempted (docs/risk.md)";
}

TEST(GenesisToml, DemoRoundTrips) {
  const ExchangeConfig c = demo_config(watcher_key());
  const std::string text = genesis_to_toml(c);
  auto back = parse_genesis_toml(text);
  ASSERT_TRUE(back) << back.status().to_string();
  EXPECT_EQ(*back, c);
  EXPECT_EQ(genesis_to_toml(*back), text);
}

TEST(GenesisToml, PerpetualRoundTrips) {
  const ExchangeConfig c = perp_config();
  const std::string text = genesis_to_toml(c);
  auto back = parse_genesis_toml(text);
  ASSERT_TRUE(back) << back.status().to_string();
  EXPECT_EQ(*back, c);
  EXPECT_EQ(genesis_to_toml(*back), text);
  // Amounts are whole units of their asset, rates integers.
  EXPECT_THAT(text, HasSubstr("tick_size = \"0.1\""));
  EXPECT_THAT(text, HasSubstr("lot_size = \"0.001\""));
  EXPECT_THAT(text, HasSubstr("taker_fee_ppm = 500\n"));
}

TEST(GenesisToml, EveryFieldRoundTrips) {
  ExchangeConfig c = perp_config();
  c.assets.push_back(AssetConfig{"WBTC", 8, Valuation::Redemption, BTC, 900'000});
  c.markets[kPerp].breaker = {80'000, 60'000'000, 5'000'000, 30'000'000, usd(10'000)};
  c.markets[kBtc].band_ppm = 200'000;
  c.markets[kBtc].max_orders = 12'345;
  c.markets[kBtc].market_protection_ppm = 1;
  c.risk.insurance_floor = usd(1'000) + 1;
  c.log_key = crypto::KeyPair::from_seed(crypto::seed_from_label("test/log")).public_key();
  c.operators = {{c.log_key, watcher_key()}, 2};
  c.custodians = {{watcher_key()}, 1};
  c.markets[kPerp].perp.funding.interest_rate = -7;
  ASSERT_TRUE(validate_config(c)) << validate_config(c).status().to_string();
  auto back = parse_genesis_toml(genesis_to_toml(c));
  ASSERT_TRUE(back) << back.status().to_string();
  EXPECT_EQ(*back, c);
}

TEST(GenesisToml, RiskCapsHaircutsAndFundConstantsRoundTrip) {
  ExchangeConfig c = perp_config();
  c.markets[kPerp].perp.max_open_interest = btc(500);
  c.markets[kPerp].perp.max_account_position = btc(25) / 10;
  c.assets[BTC].concentration_share_ppm = 500'000;
  c.assets[BTC].concentration_weight_ppm = 600'000;
  c.risk.seizure_haircut_ppm = 300'000;
  c.risk.fund_unwind_interval_us = 2'000'000;
  c.risk.fund_slices_per_cap = 40;
  ASSERT_TRUE(validate_config(c)) << validate_config(c).status().to_string();
  const std::string text = genesis_to_toml(c);
  EXPECT_THAT(text, HasSubstr("max_open_interest = \"500\""));
  EXPECT_THAT(text, HasSubstr("max_account_position = \"2.5\""));
  EXPECT_THAT(text, HasSubstr("concentration_share_ppm = 500_000"));
  EXPECT_THAT(text, HasSubstr("seizure_haircut_ppm = 300_000"));
  auto back = parse_genesis_toml(text);
  ASSERT_TRUE(back) << back.status().to_string();
  EXPECT_EQ(*back, c);
  // Left out, they take their defaults, and a file that never set them does not mention them.
  const std::string plain = genesis_to_toml(perp_config());
  EXPECT_THAT(plain, ::testing::Not(HasSubstr("seizure_haircut_ppm")));
  EXPECT_THAT(plain, ::testing::Not(HasSubstr("max_open_interest")));
  EXPECT_EQ(parse_genesis_toml(plain)->risk.seizure_haircut_ppm, kDefaultSeizureHaircutPpm);
}

TEST(GenesisToml, KeysInHexOrBase64) {
  const ExchangeConfig c = perp_config();
  const std::string hex = crypto::to_hex(watcher_key());
  std::string text = perp_text();
  const std::string b64 = "\"" + crypto::base64_encode(watcher_key()) + "\"";
  text.replace(text.find(b64), b64.size(), "\"" + hex + "\"");
  auto back = parse_genesis_toml(text);
  ASSERT_TRUE(back) << back.status().to_string();
  EXPECT_EQ(*back, c);
  EXPECT_THAT(refusal(set_after(perp_text(), "", "log_key", "\"not a key\"")),
              HasSubstr("genesis: log_key: not an Ed25519 public key"));
  std::string bad = perp_text();
  bad.replace(bad.find("keys = []", bad.find("[roles.custodians]")), 9, "keys = [\"AAAA\"]");
  EXPECT_THAT(refusal(bad), HasSubstr("roles.custodians.keys[0]: not an Ed25519 public key"));
}

// Where an exemption key can hide, each with the path the refusal must name.
struct Hiding {
  std::string (*place)(const std::string& text, const std::string& line);
  std::string path_prefix;
};

std::vector<Hiding> hiding_places() {
  return {
      {[](const std::string& t, const std::string& l) { return insert_after(t, "version = 1", l); }, ""},
      {[](const std::string& t, const std::string& l) { return insert_after(t, "[risk]", l); }, "risk."},
      {[](const std::string& t, const std::string& l) { return insert_after(t, "[[assets]]", l, 1); }, "assets[1]."},
      {[](const std::string& t, const std::string& l) { return insert_after(t, "[[markets]]", l, 2); }, "markets[2]."},
      {[](const std::string& t, const std::string& l) { return insert_after(t, "[markets.perp]", l); }, "markets[2].perp."},
      {[](const std::string& t, const std::string& l) { return insert_after(t, "[roles.operators]", l); }, "roles.operators."},
      {[](const std::string& t, const std::string& l) { return insert_after(t, "[[groups]]", l); }, "groups[0]."},
      {[](const std::string& t, const std::string& l) {
         std::string s = t;
         const std::string tier = "  { max_notional = ";
         const std::string kv = l.substr(0, l.size() - 1);  // "key = value" without the newline
         return s.replace(s.find(tier), tier.size(), "  { " + kv + ", max_notional = ");
       },
       "markets[2].perp.tiers[0]."},
      {[](const std::string& t, const std::string& l) { return t + "\n[accounts.alice]\n" + l; }, "accounts.alice."},
      {[](const std::string& t, const std::string& l) { return t + "\n[[accounts]]\nid = 16\n" + l; }, "accounts[0]."},
      {[](const std::string& t, const std::string& l) { return t + "\n[[groups]]\nname = \"vip\"\n" + l; }, "groups[1]."},
  };
}

TEST(GenesisToml, EveryExemptionKeyIsRefusedAtEveryDepth) {
  const std::string base = perp_text();
  ASSERT_EQ(refusal(base), "");
  for (std::string key : {"exempt", "exempt_from_liquidation", "allow_negative", "allow_negative_balance", "credit_line",
                          "negative_balance_limit", "margin_override", "liquidation_exempt", "skip_risk", "vip_margin"}) {
    for (const std::string value : {"true", "false", "1", "\"yes\"", "{ enabled = true }"}) {
      for (const Hiding& h : hiding_places()) {
        const std::string text = h.place(base, key + " = " + value + "\n");
        EXPECT_EQ(refusal(text), exemption_message(h.path_prefix + key)) << text;
      }
    }
  }
}

TEST(GenesisToml, ExemptionAsATableOrInAnArray) {
  const std::string base = perp_text();
  EXPECT_EQ(refusal(base + "\n[exempt]\naccounts = [16]\n"), exemption_message("exempt"));
  EXPECT_EQ(refusal(base + "\n[[credit_line]]\naccount = 16\n"), exemption_message("credit_line"));
  EXPECT_EQ(refusal(base + "\n[accounts]\nlist = [[1], [{ skip_risk = true }]]\n"), exemption_message("accounts.list[1][0].skip_risk"));
  EXPECT_EQ(refusal(insert_after(base, "[[groups]]", "overrides = { alice = { margin_override = 0 } }\n")),
            exemption_message("groups[0].overrides"));
  // Spelled otherwise: case, dashes, quoted keys with spaces.
  EXPECT_EQ(refusal(insert_after(base, "[risk]", "Exempt-From-Liquidation = true\n")), exemption_message("risk.Exempt-From-Liquidation"));
  EXPECT_EQ(refusal(insert_after(base, "[risk]", "\"allow negative balance\" = true\n")),
            exemption_message("risk.\"allow negative balance\""));
  // Even next to another error, the exemption is what the refusal names.
  EXPECT_EQ(refusal(insert_after(base, "[risk]", "zzz = 1\nvip_margin = 0\n")), exemption_message("risk.vip_margin"));
}

TEST(GenesisToml, ExemptionNames) {
  for (std::string_view k : {"exempt", "EXEMPT", "liquidation-exempt", "bypass_margin", "credit_limit", "vip", "no_liquidation"})
    EXPECT_TRUE(names_an_exemption(k)) << k;
  for (std::string_view k : {"symbol", "max_notional", "insurance_floor", "band_ppm", "accounts", "threshold", "market_protection_ppm"})
    EXPECT_FALSE(names_an_exemption(k)) << k;
}

TEST(GenesisToml, UnknownKeysNameTheirPath) {
  const std::string base = perp_text();
  EXPECT_THAT(refusal(insert_after(base, "[markets.perp]", "foo = 1\n")), HasSubstr("genesis: unknown key markets[2].perp.foo"));
  EXPECT_THAT(refusal(insert_after(base, "version = 1", "admin = \"me\"\n")), HasSubstr("unknown key admin"));
  EXPECT_THAT(refusal(insert_after(base, "[[assets]]", "price = \"1\"\n", 2)), HasSubstr("unknown key assets[2].price"));
  EXPECT_THAT(refusal(base + "\n[roles.admins]\nthreshold = 1\nkeys = []\n"), HasSubstr("unknown key roles.admins"));
  EXPECT_THAT(refusal(base + "\n[markets.perp.extra]\nx = 1\n"), HasSubstr("unknown key markets[2].perp.extra"));
  std::string tier = base;
  tier.replace(tier.find("maintenance_ppm = 50_000 }"), 26, "maintenance_ppm = 50_000, rebate = 1 }");
  EXPECT_THAT(refusal(tier), HasSubstr("unknown key markets[2].perp.tiers[0].rebate"));
  // A breaker table on a spot market takes only the breaker's keys.
  EXPECT_THAT(refusal(insert_after(base, "band_ppm = 0", "[markets.breaker]\nmove_ppm = 1\nwindow = 2\n")),
              HasSubstr("unknown key markets[0].breaker.window"));
}

TEST(GenesisToml, WrongTypes) {
  const std::string base = perp_text();
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "tick_size", "100000")),
              HasSubstr("genesis: markets[0].tick_size: expected an exact decimal string in whole USDC (e.g. \"0.1\"), got an integer"));
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "tick_size", "0.1")), HasSubstr("got a floating-point number"));
  EXPECT_THAT(refusal(set_after(base, "", "decimals", "\"8\"")), HasSubstr("assets[0].decimals: expected an integer, got a string"));
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "maker_fee_ppm", "2.5")),
              HasSubstr("markets[0].maker_fee_ppm: expected an integer, got a floating-point number"));
  EXPECT_THAT(refusal(set_after(base, "", "version", "\"1\"")), HasSubstr("version: expected an integer, got a string"));
  EXPECT_THAT(refusal(set_after(base, "[[groups]]", "accounts", "[16, \"20\"]")),
              HasSubstr("groups[0].accounts[1]: expected an account id"));
  EXPECT_THAT(refusal(set_after(base, "[roles.oracle_sources]", "threshold", "true")),
              HasSubstr("roles.oracle_sources.threshold: expected an integer, got a boolean"));
  EXPECT_THAT(refusal(set_after(base, "BTC_PERP", "kind", "\"future\"")),
              HasSubstr("markets[2].kind: \"future\" is not one of spot, perpetual"));
  EXPECT_THAT(refusal(set_after(base, "", "valuation", "\"magic\"")), HasSubstr("assets[0].valuation: \"magic\" is not one of"));
  EXPECT_THAT(refusal("version = 1\nlog_key = \"" + crypto::to_hex(watcher_key()) + "\"\nassets = { BTC = 8 }\n"),
              HasSubstr("genesis: assets: expected an array, got a table"));
  EXPECT_THAT(refusal("version = 1\nlog_key = \"" + crypto::to_hex(watcher_key()) + "\"\nassets = [1]\n"),
              HasSubstr("genesis: assets[0]: expected a table, got an integer"));
}

TEST(GenesisToml, MissingKeys) {
  const std::string base = perp_text();
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "tick_size", "")), HasSubstr("genesis: missing key markets[0].tick_size"));
  EXPECT_THAT(refusal(set_after(base, "", "log_key", "")), HasSubstr("missing key log_key"));
  EXPECT_THAT(refusal(set_after(base, "", "version", "")), HasSubstr("missing key version"));
  EXPECT_THAT(refusal(set_after(base, "[roles.chain_watchers]", "threshold", "")), HasSubstr("missing key roles.chain_watchers.threshold"));
  std::string no_perp = base;
  no_perp.erase(no_perp.find("[markets.perp]"), no_perp.find("[roles.operators]") - no_perp.find("[markets.perp]"));
  EXPECT_THAT(refusal(no_perp), HasSubstr("missing key markets[2].perp"));
  std::string tier = base;
  tier.replace(tier.find("initial_ppm = 100_000, "), 23, "");
  EXPECT_THAT(refusal(tier), HasSubstr("missing key markets[2].perp.tiers[0].initial_ppm"));
  // A spot market cannot carry perpetual parameters, and a redemption asset needs its underlying.
  EXPECT_THAT(refusal(insert_after(base, "band_ppm = 0", "[markets.perp]\n")),
              HasSubstr("markets[0].perp: only a perpetual market has perpetual parameters"));
  EXPECT_THAT(refusal(set_after(base, "SOL", "valuation", "\"redemption\"")), HasSubstr("missing key assets[1].underlying"));
  EXPECT_THAT(refusal(insert_after(set_after(base, "SOL", "valuation", "\"redemption\""), "[[assets]]", "underlying = \"ETH\"\n", 1)),
              HasSubstr("assets[1].underlying: no asset \"ETH\" in assets"));
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "base", "\"ETH\"")), HasSubstr("markets[0].base: no asset \"ETH\" in assets"));
}

TEST(GenesisToml, OutOfRangeValues) {
  const std::string base = perp_text();
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "maker_fee_ppm", "5_000_000_000")),
              HasSubstr("markets[0].maker_fee_ppm: 5000000000 is outside -2147483648..2147483647"));
  EXPECT_THAT(refusal(set_after(base, "", "decimals", "19")), HasSubstr("assets[0].decimals: 19 is outside 0..18"));
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "max_orders", "-1")), HasSubstr("markets[0].max_orders: -1 is outside 0..4294967295"));
  EXPECT_THAT(refusal(set_after(base, "[roles.oracle_sources]", "threshold", "-3")), HasSubstr("roles.oracle_sources.threshold"));
  EXPECT_THAT(refusal(set_after(base, "[[groups]]", "accounts", "[16, 4294967296]")), HasSubstr("groups[0].accounts[1]"));
  EXPECT_THAT(refusal(set_after(base, "", "version", "2")), HasSubstr("version: 2 is not a version this build reads"));
  // In range for its type but refused by validate_config, with its message.
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "maker_fee_ppm", "100_001")), HasSubstr("market BTC_USDC: fees must be within 0..10%"));
}

TEST(GenesisToml, NegativeOrOverflowingAmounts) {
  const std::string base = perp_text();
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "tick_size", "\"-0.1\"")),
              HasSubstr("markets[0].tick_size: \"-0.1\" is not an amount of USDC (6 decimals): negative value not allowed"));
  EXPECT_THAT(refusal(set_after(base, "[risk]", "insurance_floor", "\"-1\"")), HasSubstr("risk.insurance_floor"));
  EXPECT_THAT(refusal(set_after(base, "[[groups]]", "max_notional", "\"-5\"")), HasSubstr("groups[0].max_notional"));
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "max_price", "\"99999999999999999999\"")),
              HasSubstr("markets[0].max_price: \"99999999999999999999\" is not an amount of USDC (6 decimals): decimal out of range"));
  // One unit past INT64_MAX in USDC units.
  EXPECT_THAT(refusal(set_after(base, "[markets.perp]", "impact_notional", "\"9223372036854.775808\"")),
              HasSubstr("markets[2].perp.impact_notional: \"9223372036854.775808\" is not an amount of USDC (6 decimals): decimal out of range"));
  for (const std::string bad : {"\"1e3\"", "\"+1\"", "\".5\"", "\"5.\"", "\"1 000\"", "\"\"", "\"0x10\""})
    EXPECT_THAT(refusal(set_after(base, "[markets.perp]", "impact_notional", bad)), HasSubstr("markets[2].perp.impact_notional: ")) << bad;
}

TEST(GenesisToml, DecimalsFinerThanTheAsset) {
  const std::string base = perp_text();
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "lot_size", "\"0.000000001\"")),
              HasSubstr("markets[0].lot_size: \"0.000000001\" is not an amount of BTC (8 decimals): too many decimals (at most 8)"));
  EXPECT_THAT(refusal(set_after(base, "BTC_USDC", "tick_size", "\"0.0000001\"")), HasSubstr("too many decimals (at most 6)"));
  EXPECT_THAT(refusal(set_after(base, "[[groups]]", "max_market_notional", "\"1.0000001\"")),
              HasSubstr("groups[0].max_market_notional: \"1.0000001\" is not an amount of USDC"));
  // Trailing zeros past the asset's decimals change nothing.
  auto ok = parse_genesis_toml(set_after(base, "BTC_USDC", "tick_size", "\"0.100000000\""));
  ASSERT_TRUE(ok) << ok.status().to_string();
  EXPECT_EQ(*ok, perp_config());
}

TEST(GenesisToml, PerpetualWithoutBandIsRefusedByValidateConfig) {
  ExchangeConfig c = perp_config();
  c.markets[kPerp].band_ppm = 0;
  const std::string expected = validate_config(c).status().message();
  ASSERT_EQ(expected, "market BTC_PERP: a perpetual needs a price band");
  EXPECT_EQ(refusal(set_after(perp_text(), "BTC_PERP", "band_ppm", "0")), expected);
  EXPECT_EQ(refusal(set_after(perp_text(), "BTC_PERP", "band_ppm", "")), expected);  // absent is 0
  EXPECT_EQ(parse_genesis_toml(set_after(perp_text(), "BTC_PERP", "band_ppm", "0")).code(), Error::InvalidConfig);
}

TEST(GenesisToml, MalformedTomlSurfacesLineAndColumn) {
  EXPECT_THAT(refusal("version = 1\nlog_key = \n"), HasSubstr("genesis: TOML syntax error at line 2, column"));
  EXPECT_THAT(refusal("version = 1\n\n\nsymbol = \"BTC\n"), HasSubstr("TOML syntax error at line 4, column"));
  EXPECT_THAT(refusal("version = 1\nversion = 2\n"), HasSubstr("TOML syntax error at line 2"));
  EXPECT_THAT(refusal("[[assets]\n"), HasSubstr("TOML syntax error at line 1"));
  EXPECT_THAT(refusal(std::string("version = 1\n\0\n", 14)), HasSubstr("TOML syntax error at line 2"));
}

TEST(GenesisToml, EmptyOrOversizedFile) {
  EXPECT_EQ(refusal(""), "genesis: the file is empty (it sets no key)");
  EXPECT_EQ(refusal("  \n# only a comment\n\n"), "genesis: the file is empty (it sets no key)");
  std::string big = perp_text();
  big += "# " + std::string(kMaxGenesisBytes - big.size(), 'x') + "\n";
  EXPECT_THAT(refusal(big), HasSubstr("genesis: the file is larger than 1 MiB"));
  EXPECT_THAT(refusal("version = 1\n"), HasSubstr("missing key log_key"));
}

TEST(GenesisToml, ExampleFileLoads) {
  std::ifstream in(GLASSBOOK_GENESIS_EXAMPLE);
  ASSERT_TRUE(in) << GLASSBOOK_GENESIS_EXAMPLE;
  std::stringstream text;
  text << in.rdbuf();
  auto c = parse_genesis_toml(text.str());
  ASSERT_TRUE(c) << c.status().to_string();
  EXPECT_TRUE(validate_config(*c));
  // The demo's spot markets and assets, BTC_PERP exactly as the perpetual fixture builds it.
  ExchangeConfig expected = demo_config(watcher_key());
  add_perpetual(expected, PerpExchange::oracle_keys());
  ASSERT_EQ(c->markets.size(), 3u);
  EXPECT_EQ(c->assets, expected.assets);
  EXPECT_EQ(c->markets, expected.markets);
  EXPECT_EQ(c->risk, expected.risk);
  EXPECT_EQ(c->oracle_sources.keys.size(), 5u);
  EXPECT_EQ(c->oracle_sources.threshold, 3u);
  EXPECT_EQ(c->groups.size(), 1u);
  EXPECT_NE(c->log_key, crypto::PublicKey{});
  EXPECT_EQ(parse_genesis_toml(genesis_to_toml(*c)).value(), *c);
}

}  // namespace
}  // namespace glassbook::engine::testing
