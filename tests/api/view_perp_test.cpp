// ExchangeView, perpetuals: PERP markets, mark prices, funding rates and payments, open interest,
// positions and collateral (checked against the engine's own numbers), liquidation fills.
#include <functional>

#include "../engine/perp_fixture.h"
#include "core/decimal.h"
#include "risk/funding.h"
#include "risk/margin_tiers.h"
#include "view_harness.h"

namespace glassbook::api::testing {
namespace {

using PerpFixture = engine::testing::PerpExchange;  // the reference perpetual: its keys and configuration
constexpr MarketId kPerp = engine::testing::kPerp;  // BTC_PERP: tick 0.1 USDC, lot 0.001 BTC, fees 2/5 bp
constexpr int64_t kPerpLot = engine::testing::kPerpLot;
constexpr Timestamp kHour = 3'600'000'000;

int64_t units(simdjson::dom::element e, std::string_view key, int scale) {
  auto v = parse_decimal(str(e, key), scale, DecimalOptions{true});
  EXPECT_TRUE(v.is_ok()) << key << ": " << str(e, key);
  return v.is_ok() ? v.value() : 0;
}
__int128 floor_div128(__int128 a, __int128 b) {
  __int128 q = a / b;
  if (a % b != 0 && (a < 0) != (b < 0)) q -= 1;
  return q;
}

class PerpTest : public ::testing::Test {
 protected:
  explicit PerpTest(std::function<void(engine::ExchangeConfig&)> more = {})
      : h(ViewLimits{}, [more](engine::ExchangeConfig& c) {
          engine::testing::add_perpetual(c, PerpFixture::oracle_keys());
          if (more) more(c);
        }) {}

  // Every oracle source quotes BTC at `whole` USDC.
  void oracle(int64_t whole) {
    for (int i = 0; i < engine::testing::kOracleSources; ++i) {
      auto ev = h.run(PerpFixture::source(i), engine::OracleUpdate{{{BTC, usd(whole)}}});
      ASSERT_TRUE(ev.empty() || ev[0].kind != EventKind::Rejected) << engine::describe(ev[0]);
    }
  }
  AccountId funded(const std::string& name, int64_t usdc) {
    AccountId a = h.open(name);
    h.deposit(name, USDC, usd(usdc));
    return a;
  }
  // Alice (10,000 USDC) buys 1 BTC_PERP at 50,000 from Bob (20,000 USDC): Alice long, Bob short.
  void long_and_short() {
    h.set_time(kStart + 1'000'000);
    oracle(50'000);
    alice = funded("alice", 10'000);
    bob = funded("bob", 20'000);
    h.order("bob", kPerp, Side::Sell, usd(50'000), 1000 * kPerpLot);
    h.order("alice", kPerp, Side::Buy, usd(50'000), 1000 * kPerpLot);
  }
  Json ok(const Result<std::string>& r) {
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return Json(r.is_ok() ? r.value() : "null");
  }
  engine::RiskPrices prices() { return h.primary().prices_at(h.primary().last_timestamp()); }
  std::string perp_price(int64_t v) { return MarketFormat(h.primary().config(), kPerp).price(v); }
  std::string usdc(__int128 v) { return format_wide_decimal(v, 6, true); }

  ViewHarness h;
  AccountId alice = 0, bob = 0;
};

TEST_F(PerpTest, MarketsReportPerpetualsWithTheirFundingFields) {
  Json m(h.view().markets());
  ASSERT_EQ(count(m.root), 3u);
  EXPECT_EQ(str(at(m.root, 0), "marketType"), "SPOT");
  EXPECT_TRUE(is_null(at(m.root, 0), "fundingInterval"));
  auto p = at(m.root, 2);
  EXPECT_EQ(str(p, "symbol"), "BTC_PERP");
  EXPECT_EQ(str(p, "marketType"), "PERP");
  EXPECT_EQ(str(p, "baseSymbol"), "BTC");
  EXPECT_EQ(str(p, "quoteSymbol"), "USDC");
  EXPECT_EQ(num(p, "fundingInterval"), 3'600'000);
  EXPECT_EQ(str(p, "fundingRateUpperBound"), "75");  // cap 0.75% in basis points
  EXPECT_EQ(str(p, "fundingRateLowerBound"), "-75");
  EXPECT_EQ(str(p["filters"]["price"], "tickSize"), "0.1");
  EXPECT_EQ(str(p["filters"]["quantity"], "stepSize"), "0.001");
  EXPECT_EQ(str(p["filters"]["price"]["meanMarkPriceBand"], "maxMultiplier"), "1.1");
  EXPECT_EQ(str(p["filters"]["price"]["meanMarkPriceBand"], "minMultiplier"), "0.9");
  ASSERT_EQ(count(p["marginTiers"]), 3u);
  EXPECT_EQ(str(at(p["marginTiers"], 0), "maxNotional"), "100000");
  EXPECT_EQ(str(at(p["marginTiers"], 0), "initialMarginFraction"), "0.1");
  EXPECT_EQ(str(at(p["marginTiers"], 0), "maintenanceMarginFraction"), "0.05");
  EXPECT_EQ(std::string(std::string_view(ok(h.view().market("BTC_PERP")).root["marketType"])), "PERP");
  EXPECT_EQ(std::string(std::string_view(ok(h.view().market("SOL_USDC")).root["marketType"])), "SPOT");
  EXPECT_EQ(h.view().market("NOPE").status().code(), Error::UnknownMarket);
}

TEST_F(PerpTest, MarkPricesFollowTheOracleAndEqualTheEngines) {
  // No oracle update yet: no index, no mark; the next funding is the next hour boundary.
  h.open("x");
  Json before = ok(h.view().mark_prices(""));
  ASSERT_EQ(count(before.root), 1u);
  EXPECT_TRUE(is_null(at(before.root, 0), "markPrice"));
  EXPECT_TRUE(is_null(at(before.root, 0), "indexPrice"));
  EXPECT_EQ(num(at(before.root, 0), "nextFundingTimestamp"), (kStart + kHour) / 1000);

  long_and_short();
  for (int64_t price : {50'000, 51'000}) {
    oracle(price);
    Json mp = ok(h.view().mark_prices("BTC_PERP"));
    ASSERT_EQ(count(mp.root), 1u);
    auto e = at(mp.root, 0);
    const engine::RiskPrices p = prices();
    EXPECT_EQ(str(e, "symbol"), "BTC_PERP");
    EXPECT_EQ(str(e, "indexPrice"), perp_price(usd(price)));
    ASSERT_TRUE(p.mark[kPerp].has_value());
    EXPECT_EQ(str(e, "markPrice"), perp_price(*p.mark[kPerp]));
    EXPECT_EQ(str(e, "fundingRate"), "0.0001");  // no premium yet: the interest rate
    EXPECT_EQ(num(e, "nextFundingTimestamp"), (kStart + kHour) / 1000);
    EXPECT_EQ(num(e, "nextFundingTimestamp") * 1000, h.primary().perp_state(kPerp)->next_funding);
  }
  EXPECT_EQ(str(at(ok(h.view().mark_prices("BTC_PERP")).root, 0), "indexPrice"), "51000.0");
  EXPECT_EQ(h.view().mark_prices("SOL_USDC").status().code(), Error::UnknownMarket);
  EXPECT_NE(h.view().mark_prices("SOL_USDC").status().message().find("not a perpetual"), std::string::npos);
  EXPECT_EQ(h.view().mark_prices("NOPE").status().code(), Error::UnknownMarket);
}

TEST_F(PerpTest, PositionsLongAndShortWithPnlFundingAndLiquidationPrices) {
  long_and_short();
  oracle(51'000);  // the mark moves up: Alice gains, Bob loses
  // Across the hour: the funding applies at the third fresh source (quorum).
  h.set_time(kStart + kHour + 2'000'000);
  oracle(51'000);
  const engine::RiskPrices p = prices();
  const int64_t mark = *p.mark[kPerp];

  Json pos = ok(h.view().positions(alice, ""));
  ASSERT_EQ(count(pos.root), 1u);
  auto a = at(pos.root, 0);
  const engine::PerpPosition* ap = h.primary().position(alice, kPerp);
  ASSERT_NE(ap, nullptr);
  EXPECT_EQ(str(a, "symbol"), "BTC_PERP");
  EXPECT_EQ(str(a, "netQuantity"), "1");
  EXPECT_EQ(str(a, "netExposureQuantity"), "1");
  EXPECT_EQ(str(a, "netCost"), "50000");
  EXPECT_EQ(str(a, "entryPrice"), "50000.0");
  EXPECT_EQ(str(a, "markPrice"), perp_price(mark));
  const __int128 a_upnl = floor_div128(static_cast<__int128>(ap->lots) * kPerpLot * mark, kBtcUnit) - ap->cost;
  EXPECT_EQ(str(a, "pnlUnrealized"), usdc(a_upnl));
  EXPECT_GT(a_upnl, 900 * kUsdc);
  EXPECT_EQ(str(a, "pnlRealized"), "0");
  EXPECT_EQ(str(a, "cumulativeFundingPayment"), "-5.1");  // 0.01% of 51,000 paid
  EXPECT_EQ(str(a, "feesPaid"), "25");                    // taker 5 bp of 50,000
  EXPECT_EQ(str(a, "breakEvenPrice"), "50030.1");
  EXPECT_EQ(str(a, "imf"), "0.1");
  EXPECT_EQ(str(a, "mmf"), "0.05");
  EXPECT_EQ(num(a, "userId"), alice);

  // The estimated liquidation price: where equity meets maintenance, this position's mark moving alone.
  const engine::MarginSummary s = h.primary().margin_of(alice, p);
  const int64_t liq = units(a, "estLiquidationPrice", 6);
  EXPECT_GT(liq, 0);
  EXPECT_LT(liq, mark);
  const __int128 equity_at = s.equity + floor_div128(static_cast<__int128>(kBtcUnit) * (liq - mark), kBtcUnit);
  const __int128 maintenance_at = static_cast<__int128>(liq) * 50'000 / 1'000'000;  // 5% of 1 BTC at liq
  EXPECT_LE(equity_at - maintenance_at, 2) << usdc(equity_at) << " vs " << usdc(maintenance_at);
  EXPECT_GE(equity_at - maintenance_at, -2);

  Json bp = ok(h.view().positions(bob, "BTC_PERP"));
  ASSERT_EQ(count(bp.root), 1u);
  auto b = at(bp.root, 0);
  EXPECT_EQ(str(b, "netQuantity"), "-1");
  EXPECT_EQ(str(b, "netExposureQuantity"), "1");
  EXPECT_EQ(str(b, "netCost"), "-50000");
  EXPECT_EQ(str(b, "pnlUnrealized"), usdc(-a_upnl));  // what Alice gains, Bob loses
  EXPECT_EQ(str(b, "cumulativeFundingPayment"), "5.1");
  EXPECT_EQ(str(b, "feesPaid"), "10");                 // maker 2 bp
  EXPECT_GT(units(b, "estLiquidationPrice", 6), mark);  // a short is liquidated above the mark

  // A resting order grows the worst case; an unknown or spot symbol is refused; others have none.
  h.order("alice", kPerp, Side::Buy, usd(48'000), 500 * kPerpLot);
  EXPECT_EQ(str(at(ok(h.view().positions(alice, "")).root, 0), "netExposureQuantity"), "1.5");
  EXPECT_EQ(h.view().positions(alice, "SOL_USDC").status().code(), Error::UnknownMarket);
  EXPECT_EQ(h.view().positions(alice, "NOPE").status().code(), Error::UnknownMarket);
  EXPECT_EQ(count(ok(h.view().positions(h.open("nobody"), "")).root), 0u);
}

// Alice, long 1 BTC at 50,000, sells 1.5 at 51,000: the long closes (its 1,000 of PnL realized) and
// a short of 0.5 opens in the same fill, a new position with its own id and history.
TEST_F(PerpTest, AFillThatFlipsThePositionOpensANewOne) {
  long_and_short();
  const std::string first_id = str(at(ok(h.view().positions(alice, "")).root, 0), "positionId");
  oracle(51'000);
  funded("carol", 100'000);
  h.order("carol", kPerp, Side::Buy, usd(51'000), 1500 * kPerpLot);
  h.order("alice", kPerp, Side::Sell, usd(51'000), 1500 * kPerpLot);
  const SeqNo flip_seq = h.primary().last_seq();
  ASSERT_EQ(h.primary().position(alice, kPerp)->lots, -500);
  Json pos = ok(h.view().positions(alice, ""));
  ASSERT_EQ(count(pos.root), 1u);
  auto a = at(pos.root, 0);
  EXPECT_EQ(str(a, "netQuantity"), "-0.5");
  EXPECT_EQ(str(a, "entryPrice"), "51000.0");
  EXPECT_EQ(str(a, "positionId"), std::to_string(flip_seq));
  EXPECT_NE(str(a, "positionId"), first_id);
  EXPECT_EQ(str(a, "pnlRealized"), "0");            // the 1,000 belonged to the closed long
  EXPECT_EQ(str(a, "feesPaid"), "38.25");           // the flip fill's taker fee: 5 bp of 76,500
  EXPECT_EQ(str(a, "cumulativeFundingPayment"), "0");
}

TEST_F(PerpTest, FundingRatesAndPaymentsAtTheIntervalEnd) {
  long_and_short();
  EXPECT_EQ(count(ok(h.view().funding_rates("BTC_PERP", 100, 0)).root), 0u);
  h.set_time(kStart + kHour + 2'000'000);
  oracle(51'000);
  Json rates = ok(h.view().funding_rates("BTC_PERP", 100, 0));
  ASSERT_EQ(count(rates.root), 1u);
  EXPECT_EQ(str(at(rates.root, 0), "symbol"), "BTC_PERP");
  EXPECT_EQ(str(at(rates.root, 0), "fundingRate"), "0.0001");
  EXPECT_EQ(str(at(rates.root, 0), "intervalEndTimestamp"), "2024-01-01T01:00:00");
  EXPECT_EQ(h.primary().perp_state(kPerp)->last_funding_rate, 100'000);

  // A funding nobody pays (no positions) is still recorded: two hours on, both flat.
  h.order("alice", kPerp, Side::Sell, usd(51'000), 1000 * kPerpLot);
  h.order("bob", kPerp, Side::Buy, usd(51'000), 1000 * kPerpLot);
  EXPECT_EQ(count(ok(h.view().positions(alice, "")).root), 0u);
  h.set_time(kStart + 2 * kHour + 2'000'000);
  oracle(51'000);
  Json two = ok(h.view().funding_rates("BTC_PERP", 100, 0));
  ASSERT_EQ(count(two.root), 2u);
  EXPECT_EQ(str(at(two.root, 0), "intervalEndTimestamp"), "2024-01-01T02:00:00");  // newest first
  EXPECT_EQ(count(ok(h.view().funding_rates("BTC_PERP", 1, 1)).root), 1u);
  EXPECT_EQ(str(at(ok(h.view().funding_rates("BTC_PERP", 1, 1)).root, 0), "intervalEndTimestamp"), "2024-01-01T01:00:00");
  EXPECT_EQ(h.view().funding_rates("BTC_USDC", 100, 0).status().code(), Error::UnknownMarket);

  // Payments: Alice (long) paid 5.1, Bob (short) received it; one each.
  Json ap(h.view().funding_payments(alice, "", 100, 0));
  ASSERT_EQ(count(ap.root), 1u);
  EXPECT_EQ(str(at(ap.root, 0), "quantity"), "-5.1");
  EXPECT_EQ(str(at(ap.root, 0), "fundingRate"), "0.0001");
  EXPECT_EQ(str(at(ap.root, 0), "symbol"), "BTC_PERP");
  EXPECT_EQ(str(at(ap.root, 0), "intervalEndTimestamp"), "2024-01-01T01:00:00");
  EXPECT_EQ(num(at(ap.root, 0), "userId"), alice);
  Json bpay(h.view().funding_payments(bob, "BTC_PERP", 100, 0));
  ASSERT_EQ(count(bpay.root), 1u);
  EXPECT_EQ(str(at(bpay.root, 0), "quantity"), "5.1");
  EXPECT_EQ(count(Json(h.view().funding_payments(bob, "SOL_USDC", 100, 0)).root), 0u);
  EXPECT_EQ(count(Json(h.view().funding_payments(bob, "", 100, 1)).root), 0u);
}

TEST_F(PerpTest, OpenInterestIsTheLongsAndEqualsTheEngines) {
  Json none = ok(h.view().open_interest(""));
  ASSERT_EQ(count(none.root), 1u);
  EXPECT_EQ(str(at(none.root, 0), "openInterest"), "0");
  long_and_short();
  const AccountId carol = funded("carol", 10'000);
  h.order("carol", kPerp, Side::Buy, usd(50'000), 500 * kPerpLot);
  h.order("bob", kPerp, Side::Sell, usd(50'000), 200 * kPerpLot);  // Carol long 0.2, Bob short 1.2
  Json oi = ok(h.view().open_interest("BTC_PERP"));
  ASSERT_EQ(count(oi.root), 1u);
  EXPECT_EQ(str(at(oi.root, 0), "symbol"), "BTC_PERP");
  EXPECT_EQ(str(at(oi.root, 0), "openInterest"), "1.2");
  EXPECT_EQ(num(at(oi.root, 0), "timestamp"), (h.now() - 1) / 1000);
  int64_t longs = 0;
  for (AccountId a : {alice, bob, carol})
    if (const auto* p = h.primary().position(a, kPerp)) longs += std::max<int64_t>(p->lots, 0) * kPerpLot;
  EXPECT_EQ(units(at(oi.root, 0), "openInterest", 8), longs);
  h.order("alice", kPerp, Side::Sell, usd(50'000), 1000 * kPerpLot);  // Alice closes against Carol's rest
  h.order("carol", kPerp, Side::Buy, usd(50'000), 1000 * kPerpLot);
  EXPECT_EQ(str(at(ok(h.view().open_interest("")).root, 0), "openInterest"), "1.2");  // Carol took Alice's long
  EXPECT_EQ(h.view().open_interest("SOL_USDC").status().code(), Error::UnknownMarket);
}

TEST_F(PerpTest, CollateralEqualsTheEnginesMarginSummary) {
  long_and_short();
  oracle(51'000);
  h.deposit("alice", BTC, kBtcUnit / 10);  // 0.1 BTC collateral at 95%
  const engine::MarginSummary s = h.primary().margin_of(alice, prices());
  Json c(h.view().collateral(alice));
  EXPECT_EQ(str(c.root, "netEquity"), usdc(s.equity));
  EXPECT_EQ(str(c.root, "initialMargin"), usdc(s.initial));
  EXPECT_EQ(str(c.root, "maintenanceMargin"), usdc(s.maintenance));
  EXPECT_EQ(str(c.root, "netEquityLocked"), usdc(s.initial));
  EXPECT_EQ(str(c.root, "netEquityAvailable"), usdc(s.equity - s.initial));
  EXPECT_EQ(str(c.root, "netExposureFutures"), usdc(s.notional));
  EXPECT_EQ(str(c.root, "imf"), "0.1");
  EXPECT_EQ(str(c.root, "mmf"), "0.05");
  EXPECT_FALSE(bool(c.root["frozen"]));
  const int64_t upnl = units(c.root, "pnlUnrealized", 6);
  EXPECT_GT(upnl, 900 * kUsdc);
  // Equity = USDC (after the 25 fee) + 0.1 BTC x index x 95% + unrealized PnL.
  EXPECT_EQ(s.equity, 9'975 * kUsdc + 5'100 * kUsdc * 95 / 100 + upnl);
  ASSERT_EQ(count(c.root["collateral"]), 3u);
  auto btc = at(c.root["collateral"], 0);
  EXPECT_EQ(str(btc, "symbol"), "BTC");
  EXPECT_EQ(str(btc, "assetMarkPrice"), "51000");
  EXPECT_EQ(str(btc, "totalQuantity"), "0.1");
  EXPECT_EQ(str(btc, "balanceNotional"), "5100");
  EXPECT_EQ(str(btc, "collateralWeight"), "0.95");
  EXPECT_EQ(str(btc, "collateralValue"), "4845");
  auto usdc_line = at(c.root["collateral"], 2);
  EXPECT_EQ(str(usdc_line, "symbol"), "USDC");
  EXPECT_EQ(str(usdc_line, "collateralValue"), "9975");
  EXPECT_TRUE(at(c.root["collateral"], 1)["assetMarkPrice"].is_null());  // SOL is not valued
  EXPECT_EQ(str(c.root, "assetsValue"), "15075");
  // An account without positions: no margin, no margin fraction.
  Json n(h.view().collateral(funded("carol", 100)));
  EXPECT_EQ(str(n.root, "netEquity"), "100");
  EXPECT_TRUE(is_null(n.root, "marginFraction"));
}

// BTC's value above half of an account's collateral counts at 50%, not 95%.
class ConcentratedPerpTest : public PerpTest {
 protected:
  ConcentratedPerpTest()
      : PerpTest([](engine::ExchangeConfig& c) {
          c.assets[BTC].concentration_share_ppm = 500'000;
          c.assets[BTC].concentration_weight_ppm = 500'000;
        }) {}
};

// The collateral view values a concentrated asset as the engine's margin does: what it adds to the
// account's collateral with its haircut, not its balance at the plain weight.
TEST_F(ConcentratedPerpTest, CollateralShowsTheConcentrationHaircut) {
  h.set_time(kStart + 1'000'000);
  oracle(50'000);
  const AccountId carol = funded("carol", 1'000);
  h.deposit("carol", BTC, kBtcUnit);  // 1 BTC (50,000) beside 1,000 USDC: far over half the collateral
  const engine::RiskPrices p = prices();
  const engine::MarginSummary s = h.primary().margin_of(carol, p);
  Json c(h.view().collateral(carol));
  EXPECT_EQ(str(c.root, "netEquity"), usdc(s.equity));
  auto btc = at(c.root["collateral"], 0);
  ASSERT_EQ(str(btc, "symbol"), "BTC");
  const __int128 value = h.primary().concentrated_value_of(carol, BTC, p);
  EXPECT_EQ(str(btc, "collateralValue"), usdc(value));
  EXPECT_LT(value, 50'000 * kUsdc * 95 / 100);  // the haircut bites
  EXPECT_EQ(s.equity, 1'000 * kUsdc + value);   // and the total is the engine's
}

TEST_F(PerpTest, PerpetualFillsChargeTheMarginAssetAndOrdersShowAsUsual) {
  long_and_short();
  Json f(h.view().fills(alice, "BTC_PERP", 10, 0));
  ASSERT_EQ(count(f.root), 1u);
  EXPECT_EQ(str(at(f.root, 0), "symbol"), "BTC_PERP");
  EXPECT_EQ(str(at(f.root, 0), "side"), "Bid");
  EXPECT_EQ(str(at(f.root, 0), "price"), "50000.0");
  EXPECT_EQ(str(at(f.root, 0), "quantity"), "1.000");
  EXPECT_EQ(str(at(f.root, 0), "fee"), "25");
  EXPECT_EQ(str(at(f.root, 0), "feeSymbol"), "USDC");  // a buy of a perpetual pays in USDC, not BTC
  EXPECT_TRUE(is_null(at(f.root, 0), "systemOrderType"));
  Json o(h.view().order_history(alice, "BTC_PERP", 10, 0));
  ASSERT_EQ(count(o.root), 1u);
  EXPECT_EQ(str(at(o.root, 0), "status"), "Filled");
  EXPECT_EQ(str(at(o.root, 0), "executedQuoteQuantity"), "50000");
  // The order-update stream's fill carries the same fee asset.
  bool seen = false;
  for (const std::string& text : h.frames_of("account.orderUpdate#" + std::to_string(alice)))
    if (text.find("\"orderFill\"") != std::string::npos) {
      seen = true;
      EXPECT_NE(text.find("\"N\":\"USDC\""), std::string::npos) << text;
    }
  EXPECT_TRUE(seen);
}

TEST_F(PerpTest, LiquidationFillsAreSystemOrdersInTheFillHistory) {
  h.set_time(kStart + 1'000'000);
  oracle(50'000);
  const AccountId dave = funded("dave", 1'000);
  funded("erin", 100'000);
  h.deposit_to(kInsuranceAccount, USDC, usd(100'000));  // the fund takes over only what its capital carries
  h.order("erin", kPerp, Side::Sell, usd(50'000), 100 * kPerpLot);
  h.order("dave", kPerp, Side::Buy, usd(50'000), 100 * kPerpLot);  // 0.1 BTC at 10x... then the price falls
  oracle(41'000);
  EXPECT_EQ(count(ok(h.view().positions(dave, "")).root), 0u);  // the insurance fund took it over
  Json all(h.view().fills(dave, "", 10, 0));
  ASSERT_EQ(count(all.root), 2u);
  auto take = at(all.root, 0);  // newest first
  EXPECT_EQ(str(take, "systemOrderType"), "LiquidatePositionOnBackstop");
  EXPECT_EQ(str(take, "side"), "Ask");
  EXPECT_EQ(str(take, "quantity"), "0.100");
  EXPECT_TRUE(is_null(take, "tradeId"));
  EXPECT_TRUE(is_null(take, "orderId"));
  EXPECT_EQ(count(Json(h.view().fills(dave, "", 10, 0, "User")).root), 1u);
  EXPECT_EQ(count(Json(h.view().fills(dave, "", 10, 0, "Backstop")).root), 1u);
  EXPECT_EQ(count(Json(h.view().fills(dave, "", 10, 0, "AllLiquidation")).root), 1u);
  EXPECT_EQ(count(Json(h.view().fills(dave, "", 10, 0, "Adl")).root), 0u);
  // The fund's side of it, and open interest unchanged (the fund holds the long now).
  Json fund(h.view().fills(kInsuranceAccount, "", 10, 0));
  ASSERT_EQ(count(fund.root), 1u);
  EXPECT_EQ(str(at(fund.root, 0), "side"), "Bid");
  EXPECT_EQ(str(at(ok(h.view().open_interest("")).root, 0), "openInterest"), "0.1");
}

// GET /api/v1/glassbook/insurance: the fund's balance, floor, equity and the positions it took over,
// as the engine counts them.
TEST_F(PerpTest, TheInsuranceFundsEquityAndPositionsAreInTheApi) {
  h.set_time(kStart + 1'000'000);
  oracle(50'000);
  funded("dave", 1'000);
  funded("erin", 100'000);
  h.deposit_to(kInsuranceAccount, USDC, usd(100'000));  // the fund takes over only what its capital carries
  h.order("erin", kPerp, Side::Sell, usd(50'000), 100 * kPerpLot);
  h.order("dave", kPerp, Side::Buy, usd(50'000), 100 * kPerpLot);
  oracle(41'000);
  Json fund = ok(h.view().insurance_fund());
  const engine::MarginSummary s = h.primary().margin_of(kInsuranceAccount, prices());
  EXPECT_EQ(str(fund.root, "balance"), usdc(h.primary().ledger().balance(kInsuranceAccount, USDC).total));
  EXPECT_EQ(str(fund.root, "floor"), usdc(0));
  EXPECT_EQ(str(fund.root, "equity"), usdc(s.equity));
  EXPECT_EQ(str(fund.root, "maintenanceMargin"), usdc(s.maintenance));
  const simdjson::dom::element positions = fund.root["positions"];
  ASSERT_EQ(count(positions), 1u);
  EXPECT_EQ(str(at(positions, 0), "symbol"), "BTC_PERP");
  EXPECT_EQ(str(at(positions, 0), "netQuantity"), "0.1");
}

// GET /api/v1/glassbook/insurance/history: a point each time the fund's balance changed, the last
// equal to the balance the fund shows now.
TEST_F(PerpTest, TheInsuranceFundsHistoryFollowsItsBalance) {
  Json before(h.view().fund_history());
  ASSERT_EQ(count(before.root["points"]), 1u);  // the balance the view was built with
  EXPECT_TRUE(is_null(at(before.root["points"], 0), "timestamp"));  // at genesis: before any command's time
  EXPECT_EQ(str(before.root, "symbol"), "USDC");
  h.set_time(kStart + 1'000'000);
  oracle(50'000);
  funded("dave", 1'000);
  funded("erin", 100'000);
  h.order("erin", kPerp, Side::Sell, usd(50'000), 100 * kPerpLot);
  h.order("dave", kPerp, Side::Buy, usd(50'000), 100 * kPerpLot);
  oracle(41'000);  // dave is liquidated: the fund takes his position and its fee
  Json after(h.view().fund_history());
  const simdjson::dom::element points = after.root["points"];
  ASSERT_GE(count(points), 2u);
  const std::string now = str(ok(h.view().insurance_fund()).root, "balance");
  EXPECT_EQ(str(at(points, count(points) - 1), "balance"), now);
  EXPECT_NE(str(at(points, 0), "balance"), now);
  for (size_t i = 1; i < count(points); ++i) {  // a point only on a change, in time order
    EXPECT_NE(str(at(points, i), "balance"), str(at(points, i - 1), "balance"));
    if (i > 1) {
      EXPECT_GE(num(at(points, i), "timestamp"), num(at(points, i - 1), "timestamp"));
    }
  }
}

// GET /api/v1/position: each position's place in its side's auto-deleveraging queue, as the engine
// would take them: the profitable long with the higher leverage first.
TEST_F(PerpTest, PositionsShowTheirPlaceInTheDeleveragingQueue) {
  long_and_short();  // alice (10,000) long 1 from bob (20,000) short
  const AccountId carol = funded("carol", 50'000);
  h.deposit("bob", USDC, usd(20'000));
  h.order("bob", kPerp, Side::Sell, usd(50'000), 1000 * kPerpLot);
  h.order("carol", kPerp, Side::Buy, usd(50'000), 1000 * kPerpLot);
  oracle(51'000);  // the longs gain: alice at about 10x, carol at about 2x
  auto place = [&](AccountId a) {
    Json pos = ok(h.view().positions(a, ""));
    EXPECT_EQ(count(pos.root), 1u);
    return std::pair{num(at(pos.root, 0), "adlRank"), num(at(pos.root, 0), "adlQueueLength")};
  };
  EXPECT_EQ(place(alice), (std::pair<int64_t, int64_t>{1, 2}));
  EXPECT_EQ(place(carol), (std::pair<int64_t, int64_t>{2, 2}));
  EXPECT_EQ(place(bob), (std::pair<int64_t, int64_t>{1, 1}));
  const auto engine_place = h.primary().adl_place(carol, kPerp, prices());
  ASSERT_TRUE(engine_place.has_value());
  EXPECT_EQ(engine_place->rank, 2u);
  EXPECT_FALSE(h.primary().adl_place(h.open("nobody"), kPerp, prices()).has_value());
}

// A view built from a snapshot of an engine with open positions knows them (and the open interest).
TEST_F(PerpTest, AViewBuiltFromASnapshotSeedsPositions) {
  long_and_short();
  ExchangeView late(std::move(engine::Engine::restore(h.primary().snapshot())).value());
  EXPECT_EQ(str(at(Json(late.open_interest("").value()).root, 0), "openInterest"), "1");
  Json pos(late.positions(alice, "").value());
  ASSERT_EQ(count(pos.root), 1u);
  EXPECT_EQ(str(at(pos.root, 0), "netQuantity"), "1");
  EXPECT_EQ(str(at(pos.root, 0), "positionId"), "0");
}

}  // namespace
}  // namespace glassbook::api::testing
