// Trigger orders on a perpetual: a stop-loss attached to a long watches the mark price, fires on an
// oracle update, and only reduces: it closes what is left of the position, never flips it.
#include <string>
#include <vector>

#include "core/decimal.h"
#include "engine/request_text.h"
#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

TEST(TriggerPerp, AStopLossOnTheMarkClosesWhatIsLeftOfThePosition) {
  PerpExchange ex;
  for (const char* name : {"alice", "bob", "carol"}) ex.funded(name, 100'000);
  ex.oracle(usd(50'000));
  ASSERT_EQ(rejection(ex.perp("bob", Side::Sell, usd(50'000), btc(1))), Error::Ok);
  // Alice buys 1 BTC with a stop-loss at a mark of 48,000.
  const std::string text = build_request_text(
      "orderExecute",
      {{"symbol", "BTC_PERP"}, {"side", "Bid"}, {"orderType", "Limit"}, {"price", "50000"}, {"quantity", "1"},
       {"stopLossTriggerPrice", "48000"}, {"stopLossTriggerBy", "MarkPrice"}},
      ex.now() / 1000, 5000);
  const auto made = of_kind(ex.run(ex.key("alice"), SignedRequest{text}), EventKind::TriggerAccepted);
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].side, Side::Sell);
  EXPECT_EQ(made[0].quantity, btc(1));
  ASSERT_EQ(ex.lots("alice"), 1000);

  // Alice closes 0.4 BTC herself; carol bids for more than the rest.
  ASSERT_EQ(rejection(ex.perp("bob", Side::Buy, usd(50'000), btc(1) * 4 / 10)), Error::Ok);
  ASSERT_EQ(rejection(ex.perp("alice", Side::Sell, usd(50'000), btc(1) * 4 / 10)), Error::Ok);
  ASSERT_EQ(ex.lots("alice"), 600);
  ASSERT_EQ(rejection(ex.perp("carol", Side::Buy, usd(47'000), btc(2))), Error::Ok);

  const size_t before = ex.log().size();
  ex.oracle(usd(47'500));
  const std::vector<Event> after(ex.log().begin() + static_cast<std::ptrdiff_t>(before), ex.log().end());
  const auto fired = of_kind(after, EventKind::TriggerFired);
  ASSERT_EQ(fired.size(), 1u);
  EXPECT_EQ(fired[0].order_id, made[0].order_id);
  EXPECT_LE(fired[0].price, usd(48'000)) << "the mark that reached the trigger";
  EXPECT_EQ(ex.lots("alice"), 0) << "the stop sold the 0.6 BTC left, not the 1 BTC it was made for";
  EXPECT_TRUE(ex.engine().trigger_orders().empty());
}

}  // namespace
}  // namespace glassbook::engine::testing
