// The mark follows the index by time: the basis is sampled once per second whatever the number of
// oracle messages, and the mark stands at most the mark cap (1% here) plus the funding term from the
// index, however thin the book and however small the print behind it.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

int64_t mark(PerpExchange& ex, Timestamp at) { return ex.engine().prices_at(at).mark[kPerp].value(); }

// A one-lot bid and ask around `mid` (a thin book), and a one-lot print there.
void thin_book_at(PerpExchange& ex, int64_t mid) {
  ex.funded("mm", 100'000);
  ex.funded("taker", 100'000);
  ex.perp("mm", Side::Buy, mid - usd(50), kPerpLot);
  ex.perp("mm", Side::Sell, mid + usd(50), 2 * kPerpLot);
  ASSERT_EQ(of_kind(ex.perp("taker", Side::Buy, mid + usd(50), kPerpLot), EventKind::Trade).size(), 1u);
}

// Once a second for `seconds`: every source quotes `index`, and source 0 `extra` more times.
void quote_seconds(PerpExchange& ex, int seconds, int64_t index, int extra) {
  for (int s = 0; s < seconds; ++s) {
    ex.oracle(index);
    for (int i = 0; i < extra; ++i) ex.quote(0, index);
    ex.advance(1'000'000 - kOracleSources - extra);
  }
}

TEST(MarkByTime, AThinBookAndATinyPrintMoveTheMarkAtMostTheCap) {
  PerpExchange ex;
  ex.oracle(usd(50'000));
  thin_book_at(ex, usd(52'500));  // +5% mid and last trade, one lot each
  quote_seconds(ex, 300, usd(50'000), 20);  // five minutes of a chatty source, index flat
  // Without the cap the mark would be median(50,000, 52,500, 52,550) = 52,500 (+5%). The funding
  // term is at most the interest 0.01% (the book is too thin for the impact notional): +5.
  EXPECT_LE(mark(ex, ex.now()), usd(50'000) + usd(500) + usd(5));
  EXPECT_GE(mark(ex, ex.now()), usd(50'000));
}

TEST(MarkByTime, AChattySourceMovesTheBasisNoFasterThanAQuietOne) {
  // The same book and the same index; one exchange hears each source once a second, the other
  // hears source 0 fifty times more. The marks agree at every second.
  PerpExchange quiet, chatty;
  for (PerpExchange* ex : {&quiet, &chatty}) {
    ex->oracle(usd(50'000));
    thin_book_at(*ex, usd(50'300));  // +0.6%: inside the 1% cap, so the basis alone decides
  }
  const Timestamp start = std::max(quiet.now(), chatty.now());
  quiet.advance(start - quiet.now() + 1);
  chatty.advance(start - chatty.now() + 1);
  for (int s = 0; s < 20; ++s) {
    quote_seconds(quiet, 1, usd(50'000), 0);
    quote_seconds(chatty, 1, usd(50'000), 50);
    ASSERT_EQ(quiet.now(), chatty.now());
    EXPECT_EQ(mark(quiet, quiet.now()), mark(chatty, chatty.now())) << "second " << s;
  }
  // And the basis did move: after 20 s at 10% a second, most of the way to the mid.
  EXPECT_GT(mark(quiet, quiet.now()), usd(50'200));
}

TEST(MarkByTime, ABurstWithinOneSecondMovesNothing) {
  PerpExchange ex;
  ex.oracle(usd(50'000));
  thin_book_at(ex, usd(50'300));
  ex.advance(1'000'000);
  ex.oracle(usd(50'000));
  const int64_t before = mark(ex, ex.now());
  for (int i = 0; i < 200; ++i) ex.quote(0, usd(50'000));  // 200 µs: the same second or the next
  // At most one whole-second boundary was crossed: at most one 10% step of the basis.
  EXPECT_LE(mark(ex, ex.now()) - before, usd(300) / 10 + usd(1));
}

TEST(MarkByTime, SnapshotKeepsTheStandingSamples) {
  PerpExchange ex;
  ex.oracle(usd(50'000));
  thin_book_at(ex, usd(50'300));
  quote_seconds(ex, 3, usd(50'000), 0);
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  EXPECT_EQ(restored.value()->state_root(), ex.engine().state_root());
  EXPECT_EQ(restored.value()->snapshot(), ex.engine().snapshot());
}

}  // namespace
}  // namespace glassbook::engine::testing
