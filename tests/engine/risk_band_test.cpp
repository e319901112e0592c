// Price bands and circuit breakers: fat fingers refused, market orders stopped at the band, pauses that allow cancels.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// No funding interest: with a one-sided book the mark is then exactly the index.
void no_interest(ExchangeConfig& c) { c.markets[kPerp].perp.funding.interest_rate = 0; }

void with_breaker(ExchangeConfig& c) {
  no_interest(c);
  c.markets[kPerp].breaker = risk::BreakerRules{150'000, 60'000'000, 5'000'000, 30'000'000, usd(1'000)};
}

// A market order with an explicit protection limit far beyond the band.
std::vector<Event> market_buy(PerpExchange& ex, const std::string& name, int64_t qty, int64_t protection) {
  return ex.order(name, Side::Buy, protection, qty, TimeInForce::IOC, kPerp, 0, Stp::CancelNewest, OrderType::Market);
}

TEST(RiskBand, FatFingerLimitOrdersAreRefused) {
  PerpExchange ex(no_interest);
  ex.funded("alice", 1'000'000);
  ex.oracle(usd(50'000));
  ASSERT_EQ(ex.engine().prices_at(ex.now()).mark[kPerp], usd(50'000));
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Buy, usd(75'000), btc(1) / 10), Error::PriceOutOfBand));
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Sell, usd(25'000), btc(1) / 10), Error::PriceOutOfBand));
  // Just beyond the edges, and exactly at them.
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Buy, usd(55'000) + kTick, btc(1) / 10), Error::PriceOutOfBand));
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Sell, usd(45'000) - kTick, btc(1) / 10), Error::PriceOutOfBand));
  EXPECT_EQ(ex.perp("alice", Side::Sell, usd(55'000), btc(1) / 10)[0].kind, EventKind::OrderAccepted);
  EXPECT_EQ(ex.perp("alice", Side::Buy, usd(45'000), btc(1) / 10)[0].kind, EventKind::OrderAccepted);
}

TEST(RiskBand, AMarketOrderStopsAtTheBand) {
  PerpExchange ex(no_interest);
  ex.funded("seller", 1'000'000);
  ex.funded("buyer", 1'000'000);
  // Asks placed while BTC is at 52,000 (band up to 57,200) ...
  ex.oracle(usd(52'000));
  ex.perp("seller", Side::Sell, usd(50'500), btc(1) / 10);
  ex.perp("seller", Side::Sell, usd(55'000), btc(1) / 10);
  ex.perp("seller", Side::Sell, usd(56'000), btc(1) / 10);
  ex.perp("seller", Side::Sell, usd(57'000), btc(1) / 10);
  // ... then BTC is at 50,000: the band ends at 55,000.
  ex.oracle(usd(50'000));
  ASSERT_EQ(ex.engine().prices_at(ex.now()).mark[kPerp], usd(50'000));
  auto ev = market_buy(ex, "buyer", btc(4) / 10, usd(60'000));
  ASSERT_EQ(ev[0].kind, EventKind::OrderAccepted);
  const auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 2u);
  EXPECT_EQ(trades[0].price, usd(50'500));
  EXPECT_EQ(trades[1].price, usd(55'000));
  const auto cancelled = of_kind(ev, EventKind::OrderCancelled);
  ASSERT_EQ(cancelled.size(), 1u);
  EXPECT_EQ(cancelled[0].account, ex.id("buyer"));
  EXPECT_EQ(cancelled[0].remaining, btc(2) / 10);
  EXPECT_EQ(cancelled[0].cause, CancelCause::PriceBand);
  EXPECT_EQ(ex.lots("buyer"), 200);
  // The asks beyond the band still rest.
  EXPECT_EQ(ex.engine().book(kPerp).best_ask() * kTick, usd(56'000));
  EXPECT_EQ(ex.engine().position(ex.id("buyer"), kPerp)->open_buy, 0);
  // A market sell with no bids: refused for lack of liquidity, nothing changes.
  EXPECT_TRUE(rejected_with(ex.perp_market("buyer", Side::Sell, btc(1) / 10), Error::InvalidPrice));
}

TEST(RiskBand, HeldAtTheBandPausesTheMarket) {
  PerpExchange ex(with_breaker);
  ex.funded("seller", 1'000'000);
  ex.funded("buyer", 1'000'000);
  ex.funded("other", 1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("seller", Side::Sell, usd(50'500), btc(1) / 10);
  const OrderId at_band = accepted_id(ex.perp("seller", Side::Sell, usd(55'000), btc(3) / 10));
  // A market buy sweeps to the band: its last fill is at the band edge (the clock starts).
  auto ev = market_buy(ex, "buyer", btc(2) / 10, usd(60'000));
  ASSERT_EQ(of_kind(ev, EventKind::Trade).size(), 2u);
  EXPECT_TRUE(of_kind(ev, EventKind::MarketPaused).empty());
  EXPECT_FALSE(ex.engine().market_paused(kPerp, ex.now()));
  // 6 s later (more than hold_at_band) another one trades at the band edge: the market pauses.
  ex.advance(6'000'000);
  ex.oracle(usd(50'000));
  // (placed after the prices: with only asks at an update, the mark stays the index)
  ex.perp("other", Side::Buy, usd(48'000), btc(1) / 10);  // a resting bid to cancel later
  ev = market_buy(ex, "buyer", btc(1) / 10, usd(60'000));
  ASSERT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  EXPECT_EQ(of_kind(ev, EventKind::Trade)[0].price, usd(55'000));
  const auto paused = of_kind(ev, EventKind::MarketPaused);
  ASSERT_EQ(paused.size(), 1u);
  EXPECT_EQ(paused[0].market, kPerp);
  const Timestamp until = static_cast<Timestamp>(paused[0].order_id);
  EXPECT_EQ(until, ex.engine().last_timestamp() + 30'000'000);
  EXPECT_TRUE(ex.engine().market_paused(kPerp, ex.now()));
  // Orders that could add to a position are refused; one that only reduces is taken; cancels work.
  EXPECT_TRUE(rejected_with(ex.perp("other", Side::Buy, usd(49'000), btc(1) / 10), Error::MarketPaused));
  EXPECT_NE(ex.engine().last_error().find("only reduce"), std::string::npos) << ex.engine().last_error();
  EXPECT_TRUE(rejected_with(ex.perp("buyer", Side::Sell, usd(55'000), btc(4) / 10), Error::MarketPaused));  // flips
  const OrderId reducing = accepted_id(ex.perp("buyer", Side::Sell, usd(55'000), btc(1) / 10));
  ev = ex.cancel("buyer", reducing, kPerp);
  EXPECT_EQ(of_kind(ev, EventKind::OrderCancelled).size(), 1u);
  EXPECT_TRUE(rejected_with(market_buy(ex, "other", btc(1) / 10, usd(60'000)), Error::MarketPaused));
  const auto bids = ex.engine().book(kPerp).best_bid();
  EXPECT_EQ(bids * kTick, usd(48'000));
  ev = ex.run(ex.key("other"), CancelAll{ex.id("other"), kPerp});
  EXPECT_EQ(of_kind(ev, EventKind::OrderCancelled).size(), 1u);
  ev = ex.cancel("seller", at_band, kPerp);
  EXPECT_EQ(of_kind(ev, EventKind::OrderCancelled).size(), 1u);
  EXPECT_EQ(ex.engine().book(kPerp).best_bid(), 0);
  // Other markets are not paused.
  ex.trader("spot");
  EXPECT_EQ(ex.order("spot", Side::Buy, usd(40'000), btc(1) / 10)[0].kind, EventKind::OrderAccepted);
  // After the pause, orders are accepted again (with fresh prices).
  ex.advance(30'000'000);
  EXPECT_FALSE(ex.engine().market_paused(kPerp, ex.now()));
  ex.oracle(usd(50'000));
  ev = ex.perp("other", Side::Buy, usd(49'000), btc(1) / 10);
  EXPECT_EQ(ev[0].kind, EventKind::OrderAccepted);
}

TEST(RiskBand, SpotBandAroundTheLastTrade) {
  Exchange ex([](ExchangeConfig& c) { c.markets[kBtc].band_ppm = 100'000; });
  ex.check_invariants_always();
  ex.trader("a");
  ex.trader("b");
  // No trade yet: no reference, any price is accepted.
  EXPECT_EQ(ex.order("a", Side::Sell, usd(90'000), btc(1) / 100)[0].kind, EventKind::OrderAccepted);
  EXPECT_EQ(ex.order("b", Side::Buy, usd(44'000), btc(1) / 100)[0].kind, EventKind::OrderAccepted);
  ex.order("a", Side::Sell, usd(50'000), btc(1) / 100);
  ASSERT_EQ(of_kind(ex.order("b", Side::Buy, usd(50'000), btc(1) / 100), EventKind::Trade).size(), 1u);
  ASSERT_EQ(ex.engine().stats(kBtc).last_price, usd(50'000));
  // Now the band is [45,000, 55,000] around the last trade.
  EXPECT_EQ(rejection(ex.order("b", Side::Buy, usd(56'000), btc(1) / 100)), Error::PriceOutOfBand);
  EXPECT_EQ(rejection(ex.order("b", Side::Buy, usd(55'000) + kTick, btc(1) / 100)), Error::PriceOutOfBand);
  EXPECT_EQ(rejection(ex.order("a", Side::Sell, usd(40'000), btc(1) / 100)), Error::PriceOutOfBand);
  EXPECT_EQ(rejection(ex.order("a", Side::Sell, usd(45'000) - kTick, btc(1) / 100)), Error::PriceOutOfBand);
  EXPECT_EQ(ex.order("b", Side::Buy, usd(46'000), btc(1) / 100)[0].kind, EventKind::OrderAccepted);
  // A market sell with a protection far below stops at the band: 46,000 fills, 44,000 is beyond it.
  const int64_t a_btc = ex.balance("a", BTC).total;
  auto ev = ex.order("a", Side::Sell, usd(1'000), btc(3) / 100, TimeInForce::IOC, kBtc, 0, Stp::CancelNewest, OrderType::Market);
  const auto trades = of_kind(ev, EventKind::Trade);
  ASSERT_EQ(trades.size(), 1u);
  EXPECT_EQ(trades[0].price, usd(46'000));
  ASSERT_EQ(of_kind(ev, EventKind::OrderCancelled).size(), 1u);
  EXPECT_EQ(of_kind(ev, EventKind::OrderCancelled)[0].remaining, btc(2) / 100);
  EXPECT_EQ(ex.balance("a", BTC).total, a_btc - btc(1) / 100);
  EXPECT_EQ(ex.engine().book(kBtc).best_bid() * kTick, usd(44'000));
}

}  // namespace
}  // namespace glassbook::engine::testing
