// Circuit breakers judge traded notional, not prints: a minimum-size print never pauses a market,
// enough notional at a moved price does; during a pause liquidations skip the (thin) book and go to
// the insurance fund at the bankruptcy price.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

// 5% within a minute (inside the 10% band), 5 s at the band, 30 s pause; batches of 1,000 USDC.
void with_breaker(ExchangeConfig& c) {
  c.markets[kPerp].breaker = risk::BreakerRules{50'000, 60'000'000, 5'000'000, 30'000'000, usd(1'000)};
}

void open_long(PerpExchange& ex) {
  ex.funded("alice", 6'000);
  ex.funded("bob", 1'000'000);
  ex.funded("mm", 1'000'000);
  ex.seed_insurance(1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(1));
  ASSERT_EQ(of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size(), 1u);  // 50,000 USDC
}

TEST(Breaker, AMinimumSizePrintDoesNotPause) {
  PerpExchange ex(with_breaker);
  open_long(ex);
  // One lot (0.001 BTC, 52.6 USDC) at +5.2%: the old breaker paused on it.
  ex.perp("bob", Side::Sell, usd(52'600), kPerpLot);
  const auto ev = ex.perp("mm", Side::Buy, usd(52'600), kPerpLot);
  ASSERT_EQ(of_kind(ev, EventKind::Trade).size(), 1u);
  EXPECT_TRUE(of_kind(ev, EventKind::MarketPaused).empty());
  EXPECT_FALSE(ex.engine().market_paused(kPerp, ex.now()));
}

TEST(Breaker, EnoughNotionalAtAMovedPricePauses) {
  PerpExchange ex(with_breaker);
  open_long(ex);
  // 0.1 BTC (5,260 USDC) at +5.2%: a real move.
  ex.perp("bob", Side::Sell, usd(52'600), btc(1) / 10);
  const auto ev = ex.perp("mm", Side::Buy, usd(52'600), btc(1) / 10);
  EXPECT_EQ(of_kind(ev, EventKind::MarketPaused).size(), 1u);
  EXPECT_TRUE(ex.engine().market_paused(kPerp, ex.now()));
}

TEST(Breaker, TheMoveIsTradeWeighted) {
  PerpExchange ex(with_breaker);
  open_long(ex);
  // 20 one-lot prints at +5.2% (1,052 USDC together) and, in the same batch, nothing else: the
  // batch's weighted price is +5.2%, judged once it reaches 1,000 USDC.
  std::vector<Event> all;
  for (int i = 0; i < 20; ++i) {
    ex.perp("bob", Side::Sell, usd(52'600), kPerpLot);
    const auto ev = ex.perp("mm", Side::Buy, usd(52'600), kPerpLot);
    all.insert(all.end(), ev.begin(), ev.end());
  }
  EXPECT_EQ(of_kind(all, EventKind::MarketPaused).size(), 1u);

  // The same small prints mixed with more volume at the old price: the weighted move stays below 5%.
  PerpExchange mixed(with_breaker);
  open_long(mixed);
  std::vector<Event> none;
  for (int i = 0; i < 20; ++i) {
    mixed.perp("bob", Side::Sell, usd(52'600), kPerpLot);
    auto ev = mixed.perp("mm", Side::Buy, usd(52'600), kPerpLot);
    none.insert(none.end(), ev.begin(), ev.end());
    mixed.perp("bob", Side::Sell, usd(50'000), 2 * kPerpLot);
    ev = mixed.perp("mm", Side::Buy, usd(50'000), 2 * kPerpLot);
    none.insert(none.end(), ev.begin(), ev.end());
  }
  EXPECT_TRUE(of_kind(none, EventKind::MarketPaused).empty());
}

TEST(Breaker, LiquidationsDuringAPauseSkipTheBook) {
  PerpExchange ex(with_breaker);
  open_long(ex);
  ex.perp("mm", Side::Buy, usd(47'600), btc(1) / 2);  // a bid above alice's bankruptcy price
  ex.perp("bob", Side::Sell, usd(52'600), btc(1) / 10);
  ASSERT_EQ(of_kind(ex.perp("mm", Side::Buy, usd(52'600), btc(1) / 10), EventKind::MarketPaused).size(), 1u);
  const int64_t mm_lots = ex.lots("mm");
  // The index falls 10% during the pause: alice (10x long) is below maintenance.
  const auto ev = ex.oracle(usd(45'000));
  ASSERT_EQ(of_kind(ev, EventKind::LiquidationStarted).size(), 1u);
  EXPECT_TRUE(of_kind(ev, EventKind::Trade).empty());  // nothing through the paused book
  const auto taken = of_kind(ev, EventKind::PositionTakenOver);
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].client_id, 0u);  // the insurance fund
  EXPECT_EQ(taken[0].quantity, btc(1));
  EXPECT_EQ(ex.lots("alice"), 0);
  EXPECT_EQ(ex.lots("mm"), mm_lots);  // the resting bid was not hit
}

}  // namespace
}  // namespace glassbook::engine::testing
