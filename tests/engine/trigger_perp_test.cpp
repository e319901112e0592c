// Trigger orders on a perpetual: a stop-loss attached to a long watches the mark price, fires on an
// oracle update, and only reduces: it closes what is left of the position, never flips it.
#include <cstring>
#include <string>
#include <vector>

#include "core/byte_io.h"
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

// Backpack's triggerQuantity "50%": a share of the position as it stands when the order fires, in
// whole lots rounded down; it only reduces, and is judged at placement only for what it can be.
class TriggerShare : public ::testing::Test {
 protected:
  void SetUp() override {
    ex.check_invariants_always();
    for (const char* name : {"alice", "bob", "carol"}) ex.funded(name, 100'000);
    ex.oracle(usd(50'000));
    EXPECT_EQ(rejection(ex.perp("bob", Side::Sell, usd(50'000), btc(1))), Error::Ok);
    EXPECT_EQ(rejection(ex.perp("alice", Side::Buy, usd(50'000), btc(1))), Error::Ok);
  }
  std::vector<Event> stop(const std::string& name, const std::string& side, const std::string& share, const std::string& extra_key = "",
                          const std::string& extra_value = "") {
    std::vector<TextParam> p = {{"symbol", "BTC_PERP"}, {"side", side}, {"orderType", "Market"}, {"triggerQuantity", share},
                                {"triggerPrice", "48000"}, {"triggerBy", "MarkPrice"}};
    if (!extra_key.empty()) p.push_back({extra_key, extra_value});
    return ex.run(ex.key(name), SignedRequest{build_request_text("orderExecute", std::move(p), ex.now() / 1000, 5000)});
  }
  // The mark falls through 48,000 into carol's bid: what fired.
  std::vector<Event> crash() {
    EXPECT_EQ(rejection(ex.perp("carol", Side::Buy, usd(47'000), btc(2))), Error::Ok);
    const size_t before = ex.log().size();
    ex.oracle(usd(47'500));
    return {ex.log().begin() + static_cast<std::ptrdiff_t>(before), ex.log().end()};
  }
  PerpExchange ex;
};

TEST_F(TriggerShare, FiresForItsShareOfThePositionAsItStandsThen) {
  const auto made = of_kind(stop("alice", "Ask", "50%"), EventKind::TriggerAccepted);
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].quantity, 0) << "no quantity until it fires";
  const TriggerOrder* pending = ex.engine().trigger_orders().find(made[0].order_id);
  ASSERT_NE(pending, nullptr);
  EXPECT_EQ(pending->order.quantity_share_bps, 5000);

  // Alice closes 0.4 BTC herself: half of the 0.6 left is what the stop sells.
  ASSERT_EQ(rejection(ex.perp("bob", Side::Buy, usd(50'000), btc(1) * 4 / 10)), Error::Ok);
  ASSERT_EQ(rejection(ex.perp("alice", Side::Sell, usd(50'000), btc(1) * 4 / 10)), Error::Ok);
  ASSERT_EQ(ex.lots("alice"), 600);
  const auto after = crash();
  ASSERT_EQ(of_kind(after, EventKind::TriggerFired).size(), 1u);
  const auto accepted = of_kind(after, EventKind::OrderAccepted);
  ASSERT_EQ(accepted.size(), 1u);
  EXPECT_EQ(accepted[0].order_id, made[0].order_id);
  EXPECT_EQ(accepted[0].quantity, btc(1) * 3 / 10);
  EXPECT_EQ(ex.lots("alice"), 300);
  EXPECT_TRUE(ex.engine().trigger_orders().empty());
}

TEST_F(TriggerShare, AShareRoundsDownToWholeLotsAndAllOfItClosesThePosition) {
  const OrderId third = of_kind(stop("alice", "Ask", "33.33%"), EventKind::TriggerAccepted).at(0).order_id;
  auto after = crash();
  ASSERT_EQ(of_kind(after, EventKind::OrderAccepted).at(0).order_id, third);
  EXPECT_EQ(ex.lots("alice"), 1000 - 333) << "33.33% of 1,000 lots is 333.3: 333 lots";

  ex.oracle(usd(50'000));
  ASSERT_EQ(rejection(stop("alice", "Ask", "100%")), Error::Ok);
  after = crash();
  ASSERT_EQ(of_kind(after, EventKind::TriggerFired).size(), 1u);
  EXPECT_EQ(ex.lots("alice"), 0) << "the entire position";
}

TEST_F(TriggerShare, ALessThanALotShareFailsWhenItFires) {
  ASSERT_EQ(rejection(stop("alice", "Ask", "0.01%")), Error::Ok);  // 0.1 lot of 1,000
  const auto failed = of_kind(crash(), EventKind::TriggerFailed);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].error, Error::ReduceOnly);
  EXPECT_EQ(failed[0].message, "reduce-only: the share of the position is less than a lot");
  EXPECT_EQ(ex.lots("alice"), 1000);
}

TEST_F(TriggerShare, MalformedSharesAndSharesOfNoPositionAreRefusedAndChangeNothing) {
  const crypto::Digest root = ex.engine().state_root();
  struct Case {
    std::string name, side, share, key, value;
    Error error;
    std::string message;
  };
  const std::string range = "a share of the position must be above 0% and at most 100%, with at most 2 decimals";
  const Case cases[] = {
      {"alice", "Ask", "0%", "", "", Error::InvalidQuantity, "triggerQuantity 0%: " + range},
      {"alice", "Ask", "100.01%", "", "", Error::InvalidQuantity, "triggerQuantity 100.01%: " + range},
      {"alice", "Ask", "50.001%", "", "", Error::InvalidQuantity, "triggerQuantity 50.001%: " + range},
      {"alice", "Ask", "-5%", "", "", Error::InvalidQuantity, "triggerQuantity -5%: " + range},
      {"alice", "Ask", "half%", "", "", Error::InvalidQuantity, "triggerQuantity half%: " + range},
      {"alice", "Ask", "%", "", "", Error::InvalidArgument, "request text: bad value for key triggerQuantity at offset 122: '%' is not one of [A-Za-z0-9._-]"},
      {"alice", "Ask", "5%0", "", "", Error::InvalidArgument, "request text: bad value for key triggerQuantity at offset 123: '%' is not one of [A-Za-z0-9._-]"},
      {"alice", "Ask", "50%", "quantity", "1", Error::InvalidArgument, "give quantity or triggerQuantity, not both"},
      {"alice", "Bid", "50%", "", "", Error::ReduceOnly, "a share of the position needs a short position in BTC_PERP that this buy order reduces"},
      {"carol", "Ask", "50%", "", "", Error::ReduceOnly, "a share of the position needs a long position in BTC_PERP that this sell order reduces"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(rejection(stop(c.name, c.side, c.share, c.key, c.value)), c.error) << c.share;
    EXPECT_EQ(ex.engine().last_error(), c.message) << c.share;
  }
  EXPECT_EQ(ex.engine().state_root(), root);
}

TEST_F(TriggerShare, APendingShareIsStateTheSnapshotKeepsAndAnOrderWithoutOneKeepsItsBytes) {
  ASSERT_EQ(rejection(stop("bob", "Bid", "25%")), Error::Ok);  // bob is short 1 BTC
  const crypto::Digest with_share = ex.engine().state_root();
  const std::string bytes = ex.engine().snapshot();
  auto restored = Engine::restore(bytes);
  ASSERT_TRUE(restored) << restored.status().to_string();
  EXPECT_EQ((*restored)->state_root(), with_share);
  EXPECT_EQ((*restored)->snapshot(), bytes);
  const auto& all = (*restored)->trigger_orders().all();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all.begin()->second.order.quantity_share_bps, 2500);
  EXPECT_EQ(all.begin()->second.order.quantity, 0);

  // The order's bytes: its quantity field carries the share, and flag 2 of the byte after its trigger
  // source says so; a plain order keeps flag 0 or 1 there, as before.
  std::string b;
  ByteWriter w(b);
  (*restored)->trigger_orders().write(w);
  const size_t order = 4, quantity = order + 8 + 4 + 2 + 4 + 8, flags = quantity + 8 + 4 + 8 + 1;
  int64_t q = 0;
  std::memcpy(&q, b.data() + quantity, 8);
  EXPECT_EQ(q, 2500);
  EXPECT_EQ(static_cast<uint8_t>(b[flags]), 2) << "falls-to (0) with a share (2)";
}

}  // namespace
}  // namespace glassbook::engine::testing
