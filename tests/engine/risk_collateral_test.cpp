// Redemption-valued collateral: judged by the oracle sources' redemption rate, never by its own order book.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

constexpr AssetId WBTC = 3;
constexpr MarketId kWbtc = 3;  // WBTC_USDC, after BTC_USDC, SOL_USDC and BTC_PERP
constexpr int64_t kRateOne = 1'000'000'000;

void add_wbtc(ExchangeConfig& c) {
  AssetConfig a;
  a.symbol = "WBTC";
  a.decimals = 8;
  a.valuation = Valuation::Redemption;
  a.underlying = BTC;
  a.collateral_weight_ppm = 900'000;
  c.assets.push_back(a);
  MarketConfig m = c.markets[kBtc];
  m.symbol = "WBTC_USDC";
  m.base = WBTC;
  m.band_ppm = 0;
  c.markets.push_back(m);
}

class WbtcExchange : public PerpExchange {
 public:
  WbtcExchange() : PerpExchange(add_wbtc) {}
  // One source's BTC price and WBTC redemption rate.
  std::vector<Event> quote_both(int source_index, int64_t btc_price, int64_t rate) {
    return run(source(source_index), OracleUpdate{{{BTC, btc_price}, {WBTC, rate}}});
  }
  std::vector<Event> oracle_both(int64_t btc_price, int64_t rate) {
    std::vector<Event> all;
    for (int i = 0; i < kOracleSources; ++i) {
      auto ev = quote_both(i, btc_price, rate);
      all.insert(all.end(), ev.begin(), ev.end());
    }
    return all;
  }
};

TEST(RiskCollateral, RedemptionValuedCollateralIgnoresItsOwnBook) {
  WbtcExchange ex;
  ASSERT_EQ(ex.engine().config().assets[WBTC].symbol, "WBTC");
  ASSERT_EQ(ex.engine().config().markets[kWbtc].symbol, "WBTC_USDC");
  ex.open("holder");
  ex.deposit("holder", WBTC, btc(1));  // worth 50,000, 45,000 as collateral; no USDC
  ex.funded("bob", 1'000'000);
  ex.open("s1");
  ex.deposit("s1", WBTC, btc(1));
  ex.funded("s2", 100'000);
  ex.oracle_both(usd(50'000), kRateOne);
  auto prices = ex.engine().prices_at(ex.now());
  ASSERT_EQ(prices.asset[WBTC], usd(50'000));
  EXPECT_EQ(ex.margin("holder").equity, usd(45'000));
  // holder goes long 4 BTC at 52,500: 10,000 of loss at mark at once, initial margin 30,000.
  ex.perp("bob", Side::Sell, usd(52'500), btc(4));
  auto ev = ex.perp("holder", Side::Buy, usd(52'500), btc(4));
  ASSERT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  ASSERT_EQ(ex.lots("holder"), 4000);
  EXPECT_LT(ex.usdc("holder"), 0);  // its fee: USDC debt against WBTC collateral
  const MarginSummary m0 = ex.margin("holder");
  EXPECT_GE(m0.equity, m0.initial);

  // WBTC trades 88% lower on our own book, between two other accounts.
  ex.order("s1", Side::Sell, usd(6'000), btc(1) / 2, TimeInForce::GTC, kWbtc);
  ev = ex.order("s2", Side::Buy, usd(6'000), btc(1) / 2, TimeInForce::GTC, kWbtc);
  ASSERT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  EXPECT_EQ(ex.engine().stats(kWbtc).last_price, usd(6'000));
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
  // The next prices, with the rate still 1:1, liquidate no one, and the collateral keeps its value.
  ev = ex.oracle_both(usd(50'000), kRateOne);
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
  EXPECT_EQ(ex.lots("holder"), 4000);
  EXPECT_EQ(ex.engine().prices_at(ex.now()).asset[WBTC], usd(50'000));
  // (the mark drifts by a few units with the time to funding; the book price would cost ~39,600 USDC)
  EXPECT_NEAR(static_cast<double>(ex.margin("holder").equity), static_cast<double>(m0.equity), static_cast<double>(usd(1)));

  // The sources report a redemption rate of 0.5: the third makes it the index and liquidates.
  ev = ex.quote_both(0, usd(50'000), kRateOne / 2);
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
  ev = ex.quote_both(1, usd(50'000), kRateOne / 2);
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
  ev = ex.quote_both(2, usd(50'000), kRateOne / 2);
  EXPECT_EQ(ex.engine().prices_at(ex.now()).asset[WBTC], usd(25'000));
  const auto started = of_kind(ev, EventKind::LiquidationStarted);
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].account, ex.id("holder"));
  EXPECT_LT(ex.lots("holder"), 4000);
  const MarginSummary after = ex.margin("holder");
  EXPECT_TRUE(!after.has_positions || after.equity >= after.maintenance);
}

TEST(RiskCollateral, WithoutARateTheCollateralIsFrozen) {
  WbtcExchange ex;
  ex.open("holder");
  ex.deposit("holder", WBTC, btc(1));
  ex.funded("bob", 1'000'000);
  ex.oracle(usd(50'000));  // BTC only: WBTC has no rate
  EXPECT_FALSE(ex.engine().prices_at(ex.now()).asset[WBTC].has_value());
  ex.perp("bob", Side::Sell, usd(50'000), btc(1) / 10);
  EXPECT_TRUE(rejected_with(ex.perp("holder", Side::Buy, usd(50'000), btc(1) / 10), Error::IndexFrozen));
  // Rates below quorum are not enough either.
  ex.quote_both(0, usd(50'000), kRateOne);
  ex.quote_both(1, usd(50'000), kRateOne);
  EXPECT_TRUE(rejected_with(ex.perp("holder", Side::Buy, usd(50'000), btc(1) / 10), Error::IndexFrozen));
  ex.quote_both(2, usd(50'000), kRateOne);
  EXPECT_EQ(of_kind(ex.perp("holder", Side::Buy, usd(50'000), btc(1) / 10), EventKind::Trade).size(), 1u);
}

}  // namespace
}  // namespace glassbook::engine::testing
