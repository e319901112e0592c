// No account is exempt from risk: linked accounts are liquidated like any other, and no config can exempt one.
#include <gtest/gtest.h>

#include "engine/config_codec.h"
#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// Accounts open in this order, so their ids are known when the configuration is written.
constexpr AccountId kAmm = kFirstCustomer;       // "amm": the affiliate market maker (linked)
constexpr AccountId kPlain = kFirstCustomer + 1;  // "plain": the same position, not linked
constexpr AccountId kAmmFirm = kFirstCustomer + 4;

void link_amm(ExchangeConfig& c) {
  c.groups.push_back(AccountGroup{"affiliate-mm", {kAmm, kAmmFirm}, usd(100'000'000), usd(100'000'000)});
}

// Both "amm" and "plain" go long 1 BTC at 50,000 with 6,000 USDC; a bid rests at 45,900.
void open_positions(PerpExchange& ex) {
  if (ex.open("amm") != kAmm) { ADD_FAILURE() << "unexpected account id"; }
  if (ex.open("plain") != kPlain) { ADD_FAILURE() << "unexpected account id"; }
  ex.funded("bob", 1'000'000);
  ex.funded("maker", 1'000'000);
  if (ex.open("firm") != kAmmFirm) { ADD_FAILURE() << "unexpected account id"; }
  ex.deposit("amm", USDC, usd(6'000));
  ex.deposit("plain", USDC, usd(6'000));
  ex.deposit("firm", USDC, usd(1'000'000));
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(2));
  if (of_kind(ex.perp("amm", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size() != 1u) { ADD_FAILURE() << "amm's buy did not trade"; }
  if (of_kind(ex.perp("plain", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size() != 1u) { ADD_FAILURE() << "plain's buy did not trade"; }
  ex.perp("maker", Side::Buy, usd(45'900), btc(4));
}

// The first three sources move to 46,000: the third makes the index (median) 46,000.
std::vector<Event> crash(PerpExchange& ex) {
  ex.quote(0, usd(46'000));
  ex.quote(1, usd(46'000));
  return ex.quote(2, usd(46'000));
}

TEST(RiskNoExemption, LinkedAccountIsLiquidatedLikeAnUnlinkedOne) {
  PerpExchange ex(link_amm);
  open_positions(ex);
  ASSERT_EQ(ex.engine().config().groups.size(), 1u);
  auto ev = crash(ex);
  const auto started = of_kind(ev, EventKind::LiquidationStarted);
  ASSERT_EQ(started.size(), 2u);
  EXPECT_EQ(started[0].account, kAmm);
  EXPECT_EQ(started[1].account, kPlain);
  // Same equity and maintenance when judged, same outcome.
  EXPECT_EQ(started[0].price, started[1].price);
  EXPECT_EQ(started[0].quantity, started[1].quantity);
  EXPECT_LT(started[0].price, started[0].quantity);
  EXPECT_EQ(ex.lots("amm"), 0);
  EXPECT_EQ(ex.lots("plain"), 0);
  EXPECT_EQ(ex.usdc("amm"), ex.usdc("plain"));
  EXPECT_EQ(ex.lots("maker"), 2000);
  // Each was closed by one trade at the same price and size.
  std::vector<Event> amm_trades, plain_trades;
  for (const Event& e : of_kind(ev, EventKind::Trade)) {
    if (e.account == kAmm) amm_trades.push_back(e);
    if (e.account == kPlain) plain_trades.push_back(e);
  }
  ASSERT_EQ(amm_trades.size(), 1u);
  ASSERT_EQ(plain_trades.size(), 1u);
  EXPECT_EQ(amm_trades[0].price, plain_trades[0].price);
  EXPECT_EQ(amm_trades[0].quantity, plain_trades[0].quantity);
  EXPECT_EQ(amm_trades[0].taker_fee, plain_trades[0].taker_fee);
}

TEST(RiskNoExemption, LinkingChangesNoEventOfTheLiquidation) {
  // The same commands on an exchange where "amm" is linked and one where it is not.
  PerpExchange linked(link_amm);
  PerpExchange unlinked;
  open_positions(linked);
  open_positions(unlinked);
  const auto a = crash(linked);
  const auto b = crash(unlinked);
  EXPECT_FALSE(of_kind(a, EventKind::LiquidationStarted).empty());
  EXPECT_EQ(a, b);
  EXPECT_EQ(linked.usdc("amm"), unlinked.usdc("amm"));
  EXPECT_EQ(linked.insurance(), unlinked.insurance());
}

class RiskConfigRefusal : public ::testing::Test {
 protected:
  // A valid configuration with the perpetual and one group.
  static ExchangeConfig base() {
    ExchangeConfig c = demo_config(crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher")).public_key());
    add_perpetual(c, PerpExchange::oracle_keys());
    c.groups.push_back(AccountGroup{"g", {kFirstCustomer, kFirstCustomer + 1}, usd(1'000'000), usd(500'000)});
    return c;
  }
  static Error refusal(const ExchangeConfig& c) { return validate_config(c).code(); }
};

TEST_F(RiskConfigRefusal, BaseIsValid) {
  EXPECT_EQ(refusal(base()), Error::Ok);
}

TEST_F(RiskConfigRefusal, NegativeInsuranceFloor) {
  ExchangeConfig c = base();
  c.risk.insurance_floor = -1;
  EXPECT_EQ(refusal(c), Error::InvalidConfig);
  EXPECT_THROW(Engine{c}, std::invalid_argument);
}

TEST_F(RiskConfigRefusal, CollateralWeightAboveFull) {
  ExchangeConfig c = base();
  c.assets[BTC].collateral_weight_ppm = 1'000'001;
  EXPECT_EQ(refusal(c), Error::InvalidConfig);
  c.assets[BTC].collateral_weight_ppm = 1'000'000;  // above the cap for an index-priced token
  EXPECT_EQ(refusal(c), Error::InvalidConfig);
  c.assets[BTC].collateral_weight_ppm = 950'000;
  EXPECT_EQ(refusal(c), Error::Ok);
  c.assets[BTC].collateral_weight_ppm = -1;
  EXPECT_EQ(refusal(c), Error::InvalidConfig);
}

TEST_F(RiskConfigRefusal, GroupWithASystemAccount) {
  for (AccountId sys : {AccountId{0}, kFeeAccount, kInsuranceAccount, kClearingAccount, AccountId{kFirstCustomer - 1}}) {
    ExchangeConfig c = base();
    c.groups[0].accounts.push_back(sys);
    EXPECT_EQ(refusal(c), Error::InvalidConfig) << "account " << sys;
  }
}

TEST_F(RiskConfigRefusal, AccountInTwoGroups) {
  ExchangeConfig c = base();
  c.groups.push_back(AccountGroup{"h", {kFirstCustomer + 2, kFirstCustomer + 3}, usd(1'000'000), usd(500'000)});
  EXPECT_EQ(refusal(c), Error::Ok);
  c.groups[1].accounts.push_back(kFirstCustomer + 1);  // already in "g"
  EXPECT_EQ(refusal(c), Error::InvalidConfig);
  // Listed twice in one group counts too.
  ExchangeConfig d = base();
  d.groups[0].accounts.push_back(kFirstCustomer);
  EXPECT_EQ(refusal(d), Error::InvalidConfig);
}

TEST_F(RiskConfigRefusal, GroupWithoutLimits) {
  ExchangeConfig c = base();
  c.groups[0].max_notional = 0;  // no "unlimited" group
  EXPECT_EQ(refusal(c), Error::InvalidConfig);
  c = base();
  c.groups[0].max_market_notional = -1;
  EXPECT_EQ(refusal(c), Error::InvalidConfig);
}

TEST_F(RiskConfigRefusal, PerpetualWithoutBand) {
  ExchangeConfig c = base();
  c.markets[kPerp].band_ppm = 0;
  EXPECT_EQ(refusal(c), Error::InvalidConfig);
  c.markets[kPerp].band_ppm = 1'000'000;
  EXPECT_EQ(refusal(c), Error::InvalidConfig);
}

TEST_F(RiskConfigRefusal, InvalidTiers) {
  auto with_tiers = [](std::vector<risk::MarginTier> tiers) {
    ExchangeConfig c = base();
    c.markets[kPerp].perp.tiers = std::move(tiers);
    return c;
  };
  EXPECT_EQ(refusal(with_tiers({})), Error::InvalidConfig);
  // Maintenance 0: a position that never needs margin.
  EXPECT_EQ(refusal(with_tiers({{usd(100'000), 100'000, 0}})), Error::InvalidConfig);
  // Maintenance not below initial.
  EXPECT_EQ(refusal(with_tiers({{usd(100'000), 50'000, 50'000}})), Error::InvalidConfig);
  // Initial above 100%.
  EXPECT_EQ(refusal(with_tiers({{usd(100'000), 1'000'001, 50'000}})), Error::InvalidConfig);
  // Notional not increasing.
  EXPECT_EQ(refusal(with_tiers({{usd(100'000), 100'000, 50'000}, {usd(100'000), 200'000, 100'000}})), Error::InvalidConfig);
  // Rates decreasing with size.
  EXPECT_EQ(refusal(with_tiers({{usd(100'000), 100'000, 50'000}, {usd(200'000), 50'000, 25'000}})), Error::InvalidConfig);
  // 17 tiers.
  std::vector<risk::MarginTier> many;
  for (int i = 1; i <= 17; ++i) many.push_back({usd(100'000) * i, 100'000, 50'000});
  EXPECT_EQ(refusal(with_tiers(many)), Error::InvalidConfig);
  EXPECT_EQ(refusal(with_tiers({{usd(100'000), 100'000, 50'000}})), Error::Ok);
}

TEST_F(RiskConfigRefusal, DecodeRefusesTrailingBytes) {
  const std::string bytes = encode_config(base());
  auto ok = decode_config(bytes);
  ASSERT_TRUE(ok) << ok.status().to_string();
  EXPECT_EQ(ok.value(), base());
  EXPECT_FALSE(decode_config(bytes + std::string(1, '\0')));
  EXPECT_FALSE(decode_config(bytes + "exempt"));
  EXPECT_FALSE(decode_config(bytes.substr(0, bytes.size() - 1)));
  // And the codec refuses a refused configuration.
  ExchangeConfig bad = base();
  bad.risk.insurance_floor = -5;
  EXPECT_FALSE(decode_config(encode_config(bad)));
}

}  // namespace
}  // namespace glassbook::engine::testing
