// The estate report's traded figures: count_transfer folds transfer-of-claim records into each claim
// market's totals (the one function the gateway's view and `glassbook claims report` share), with
// 128-bit sums, the last price and a floored VWAP.
#include <gtest/gtest.h>

#include "engine/claims_report.h"

namespace glassbook::engine {
namespace {

ClaimTransfer record(SeqNo seq, MarketId market, int64_t units, int64_t price, int64_t quote) {
  ClaimTransfer t;
  t.seq = seq;
  t.timestamp = static_cast<Timestamp>(seq) * 1000;
  t.market = market;
  t.units = units;
  t.price = price;
  t.quote_amount = quote;
  return t;
}

TEST(ClaimsReportTraded, EachMarketSumsItsRecordsAndKeepsTheLastPrice) {
  std::map<MarketId, TradedTotals> traded;
  // Units in cents of face (2 decimals), prices in micro-USDC per whole unit: 100.00 at 0.35, 50.00 at 0.34.
  count_transfer(traded, record(7, 4, 100'00, 350'000, 35'000'000));
  count_transfer(traded, record(9, 4, 50'00, 340'000, 17'000'000));
  count_transfer(traded, record(9, 5, 1'00, 500'000, 500'000));
  ASSERT_EQ(traded.size(), 2u);
  const TradedTotals& m = traded.at(4);
  EXPECT_EQ(m.trades, 2u);
  EXPECT_EQ(m.units, 150'00);
  EXPECT_EQ(m.quote, 52'000'000);
  EXPECT_EQ(m.last_price, 340'000);
  EXPECT_EQ(m.last_seq, 9u);
  EXPECT_EQ(m.last_at, 9'000);
  // 52 USDC for 150 whole units: 0.346666... floored to the micro-USDC.
  EXPECT_EQ(vwap(m, 2), 346'666);
  EXPECT_EQ(vwap(TradedTotals{}, 2), 0) << "no trade, no price";
  EXPECT_EQ(traded.at(5).units, 1'00);
}

TEST(ClaimsReportTraded, SumsBeyondAnInt64StayExact) {
  std::map<MarketId, TradedTotals> traded;
  const int64_t big = INT64_MAX / 2 + 1;
  for (int i = 0; i < 4; ++i) count_transfer(traded, record(10 + i, 1, big, 1'000'000, big));
  const TradedTotals& m = traded.at(1);
  EXPECT_EQ(m.units, static_cast<__int128>(big) * 4);
  EXPECT_EQ(vwap(m, 6), 1'000'000) << "every record at 1.000000: so is their average";
  // 4 x 4611686018427387904 = 18446744073709551616 = 2^64.
  EXPECT_EQ(format_wide_amount(m.quote, 6), "18446744073709.551616");
  EXPECT_EQ(format_wide_amount(m.quote, 0), "18446744073709551616");
  EXPECT_EQ(format_wide_amount(52'000'000, 6), "52.000000");
}

}  // namespace
}  // namespace glassbook::engine
