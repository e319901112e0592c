// Estates in the configuration: their encoding (tagged section 5), their validation, and their
// registration by the operators' m-of-n configuration changes.
#include <gtest/gtest.h>

#include "claims_fixture.h"
#include "perp_fixture.h"
#include "engine/config_codec.h"

namespace glassbook::engine::testing {
namespace {

ExchangeConfig with_estates() {
  ExchangeConfig c = demo_config(crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher")).public_key());
  add_estates(c);
  return c;
}

Status validation_of(const ExchangeConfig& c) { return validate_config(c).status(); }

TEST(EstateConfig, EncodesAndDecodesExactly) {
  const ExchangeConfig c = with_estates();
  const std::string bytes = encode_config(c);
  auto back = decode_config(bytes);
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(back.value(), c);
  EXPECT_EQ(encode_config(back.value()), bytes);
  // Without estates the configuration keeps the bytes it had before estates existed: no section 5.
  ExchangeConfig none = c;
  none.estates.clear();
  EXPECT_LT(encode_config(none).size(), bytes.size());
  EXPECT_EQ(decode_config(encode_config(none)).value(), none);
}

TEST(EstateConfig, AnEmptyEstatesSectionIsRefused) {
  ExchangeConfig c = with_estates();
  std::string bytes = encode_config(c);
  ExchangeConfig none = c;
  none.estates.clear();
  std::string empty = encode_config(none);
  empty += '\x05';
  empty += std::string(4, '\0');  // zero estates
  auto back = decode_config(empty);
  ASSERT_FALSE(back.is_ok());
  EXPECT_NE(back.status().message().find("empty estates section"), std::string::npos) << back.status().message();
}

TEST(EstateConfig, ValidationNamesTheFault) {
  auto refused = [](const std::function<void(ExchangeConfig&)>& change, const std::string& why) {
    ExchangeConfig c = with_estates();
    change(c);
    const Status s = validation_of(c);
    EXPECT_FALSE(s.is_ok()) << "accepted: " << why;
    EXPECT_NE(s.message().find(why), std::string::npos) << s.message();
  };
  EXPECT_TRUE(validation_of(with_estates()).is_ok()) << validation_of(with_estates()).to_string();
  refused([](ExchangeConfig& c) { c.estates[1].name = c.estates[0].name; }, "another estate's");
  refused([](ExchangeConfig& c) { c.estates[0].name = ""; }, "name must be");
  refused([](ExchangeConfig& c) { c.estates[1].claim_asset = FTXC; }, "share a claim asset");
  refused([](ExchangeConfig& c) { c.estates[0].claim_asset = 9; }, "not configured");
  refused(
      [](ExchangeConfig& c) {
        c.assets[FTXC].valuation = Valuation::MarginAsset;
        c.risk.margin_asset = FTXC;
      },
      "must be unvalued");
  // An unvalued asset can never be collateral: validate_risk says so first.
  refused([](ExchangeConfig& c) { c.assets[FTXC].collateral_weight_ppm = 500'000; }, "collateral must be valued");
  // An asset a market already lists as its quote cannot be a claim asset.
  refused([](ExchangeConfig& c) { c.estates[0].claim_asset = USDC; c.estates[0].payout_assets = {BTC}; }, "is quoted in claim asset");
  refused([](ExchangeConfig& c) { c.estates[0].payout_assets = {USDC, USDC}; }, "named twice");
  refused([](ExchangeConfig& c) { c.estates[0].payout_assets = {CELC}; }, "is a claim asset");
  refused([](ExchangeConfig& c) { c.estates[0].payout_assets = {}; }, "1..16 payout assets");
  refused([](ExchangeConfig& c) { c.estates[0].claims_agent = {}; }, "no claims agent");
  refused([](ExchangeConfig& c) { c.estates[0].kyc_providers = {}; }, "KYC provider keys");
  refused([](ExchangeConfig& c) { c.estates[0].kyc_providers.push_back(c.estates[0].kyc_providers[0]); }, "named twice");
  refused([](ExchangeConfig& c) { c.estates[0].barred_jurisdictions = {"RU", "CN"}; }, "strictly increasing");
  refused([](ExchangeConfig& c) { c.estates[0].barred_jurisdictions = {"China"}; }, "not an ISO 3166-1 alpha-2");
  refused([](ExchangeConfig& c) { c.estates[0].transfer_rules.barred_buyer_jurisdictions = {"kp"}; }, "not an ISO 3166-1 alpha-2");
  refused([](ExchangeConfig& c) { c.estates[0].transfer_rules.min_kyc_level = 10; }, "minimum KYC level");
  // A claim market: spot, the claim asset its base, money its quote, no fees.
  const auto claim_market = [](ExchangeConfig& c) {
    MarketConfig m = c.markets[0];
    m.symbol = "FTXCLAIM_USDC";
    m.base = FTXC;
    m.tick_size = 10'000;
    m.lot_size = 100;
    m.min_quantity = 100;
    m.max_price = 10'000'000;
    m.maker_fee_ppm = 0;
    m.taker_fee_ppm = 0;
    c.markets.push_back(m);
  };
  ExchangeConfig listed = with_estates();
  claim_market(listed);
  EXPECT_TRUE(validation_of(listed).is_ok()) << validation_of(listed).to_string();
  refused(
      [&](ExchangeConfig& c) {
        claim_market(c);
        c.markets.back().taker_fee_ppm = 500;
      },
      "charges none");
  refused(
      [&](ExchangeConfig& c) {
        claim_market(c);
        c.markets.back().quote = CELC;
      },
      "the quote must be money");
  // Never a perpetual on claims (its base must be a valued asset tracked by the oracle, which a claim
  // asset is not: whichever check speaks first refuses it).
  ExchangeConfig perp = with_estates();
  std::vector<crypto::PublicKey> oracles;
  for (int i = 0; i < kOracleSources; ++i) oracles.push_back(claims_key("oracle" + std::to_string(i)).public_key());
  add_perpetual(perp, oracles);
  ASSERT_TRUE(validation_of(perp).is_ok()) << validation_of(perp).to_string();
  perp.markets.back().base = FTXC;
  const Status on_claims = validation_of(perp);
  EXPECT_FALSE(on_claims.is_ok()) << "a perpetual on claim units was accepted";
  EXPECT_EQ(on_claims.code(), Error::InvalidConfig) << on_claims.to_string();
  refused(
      [&](ExchangeConfig& c) {
        claim_market(c);
        std::swap(c.markets.back().base, c.markets.back().quote);
      },
      "quoted in claim asset");
}

class EstateGovernance : public ::testing::Test {
 protected:
  EstateGovernance()
      : ex([](ExchangeConfig& c) { c.operators = {{op(1).public_key(), op(2).public_key(), op(3).public_key()}, 2}; }) {}
  static crypto::KeyPair op(int i) { return crypto::KeyPair::from_seed(crypto::seed_from_label("test/operator" + std::to_string(i))); }
  Error propose(int who, uint64_t id, const ExchangeConfig& c) {
    return rejection(ex.run(op(who), ProposeConfig{id, std::make_shared<const ExchangeConfig>(c)}));
  }
  Error approve(int who, uint64_t id, const ExchangeConfig& c) {
    return rejection(ex.run(op(who), ApproveConfig{id, crypto::sha256(encode_config(c))}));
  }
  ExchangeConfig current() { return ex.engine().config(); }
  Exchange ex;
};

TEST_F(EstateGovernance, OperatorsRegisterAnEstateMOfN) {
  ExchangeConfig next = current();
  add_estates(next);
  ASSERT_EQ(propose(1, 1, next), Error::Ok);
  EXPECT_TRUE(ex.engine().config().estates.empty()) << "one operator of the two needed";
  ASSERT_EQ(approve(2, 1, next), Error::Ok);
  ASSERT_EQ(ex.engine().config().estates.size(), 2u);
  // The new estate works at once: its agent attests, a creditor links and is credited.
  ex.check_invariants_always();
  ex.open("alice");
  const auto hash = legacy_hash("alice@example.com");
  ASSERT_EQ(rejection(ex.run(ClaimsExchange::agent(kFtx), AttestClaim{kFtx, 1, 1, 10'00, ClaimStatus::Allowed, hash})), Error::Ok);
  ASSERT_EQ(rejection(ex.run(ClaimsExchange::provider(kFtx), AttestKyc{kFtx, ex.id("alice"), 1, "DE", ex.now(), ex.now() + 1'000'000})),
            Error::Ok);
  const std::string bytes = claim_link_bytes(next.estates[0].name, 1, ex.id("alice"), ex.key("alice").public_key(), hash);
  ASSERT_EQ(rejection(ex.run(ex.key("alice"), LinkClaim{ex.id("alice"), kFtx, 1, hash, ClaimsExchange::agent(kFtx).sign(bytes)})),
            Error::Ok);
  EXPECT_EQ(ex.engine().ledger().balance(ex.id("alice"), FTXC).total, 10'00);
  EXPECT_EQ(ex.engine().ledger().balance(kClaimsIssuerAccount, FTXC).total, -10'00);

  // Keys and rules may change (a compromised agent key is replaced); names and assets may not,
  // nor may an estate go.
  ExchangeConfig rotated = current();
  rotated.estates[0].claims_agent = claims_key("ftx-agent-2").public_key();
  rotated.estates[0].transfer_rules.min_kyc_level = 3;
  rotated.estates[0].payout_assets.push_back(BTC);
  ASSERT_EQ(propose(1, 2, rotated), Error::Ok);
  ASSERT_EQ(approve(3, 2, rotated), Error::Ok);
  EXPECT_EQ(ex.engine().config().estates[0].claims_agent, claims_key("ftx-agent-2").public_key());
  EXPECT_EQ(rejection(ex.run(ClaimsExchange::agent(kFtx), AttestClaim{kFtx, 2, 1, 10'00, ClaimStatus::Allowed, hash})), Error::Unauthorized);

  ExchangeConfig renamed = current();
  renamed.estates[0].name = "FTX";
  EXPECT_EQ(propose(1, 3, renamed), Error::InvalidConfig);
  ExchangeConfig moved = current();
  moved.estates[1].claim_asset = USDC;
  EXPECT_EQ(propose(1, 3, moved), Error::InvalidConfig);
  ExchangeConfig removed = current();
  removed.estates.pop_back();
  EXPECT_EQ(propose(1, 3, removed), Error::InvalidConfig);
  ExchangeConfig fewer_payouts = current();
  fewer_payouts.estates[0].payout_assets = {BTC};
  EXPECT_EQ(propose(1, 3, fewer_payouts), Error::InvalidConfig);
}

TEST_F(EstateGovernance, OperatorsListAClaimMarket) {
  ExchangeConfig next = current();
  add_estates(next);
  ASSERT_EQ(propose(1, 1, next), Error::Ok);
  ASSERT_EQ(approve(2, 1, next), Error::Ok);
  ExchangeConfig listed = current();
  const MarketId market = add_claim_market(listed);
  ASSERT_EQ(propose(1, 2, listed), Error::Ok) << ex.engine().last_error();
  ASSERT_EQ(approve(2, 2, listed), Error::Ok) << ex.engine().last_error();
  ASSERT_EQ(ex.engine().config().markets.size(), static_cast<size_t>(market) + 1);
  EXPECT_EQ(ex.engine().config().markets[market].base, FTXC);
  // Fees on it, or a market quoted in claims, are refused like at genesis.
  ExchangeConfig fees = current();
  fees.markets[market].taker_fee_ppm = 100;
  EXPECT_EQ(propose(1, 3, fees), Error::InvalidConfig);
  EXPECT_NE(ex.engine().last_error().find("charges none"), std::string::npos) << ex.engine().last_error();
  ExchangeConfig quoted = current();
  MarketConfig m = quoted.markets[market];
  m.symbol = "USDC_FTXCLAIM";
  std::swap(m.base, m.quote);
  quoted.markets.push_back(m);
  EXPECT_EQ(propose(1, 3, quoted), Error::InvalidConfig);
}

TEST_F(EstateGovernance, ANewEstateBringsANewClaimAsset) {
  ExchangeConfig next = current();
  add_estates(next);
  ASSERT_EQ(propose(1, 1, next), Error::Ok);
  ASSERT_EQ(approve(2, 1, next), Error::Ok);
  // A third estate whose claim asset already exists (and might already be held) is refused.
  ExchangeConfig third = current();
  third.assets.push_back({"OLDCLAIM", 2});
  ASSERT_EQ(propose(1, 2, third), Error::Ok);
  ASSERT_EQ(approve(2, 2, third), Error::Ok);
  EstateConfig e = third.estates[1];
  e.name = "Voyager Digital";
  e.claim_asset = 5;
  ExchangeConfig late = current();
  late.estates.push_back(e);
  EXPECT_EQ(propose(1, 3, late), Error::InvalidConfig);
  EXPECT_NE(ex.engine().last_error().find("must be added with it"), std::string::npos) << ex.engine().last_error();
}

}  // namespace
}  // namespace glassbook::engine::testing
