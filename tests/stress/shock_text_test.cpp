// The strict parser of the stress command's percentages and depegs.
#include <gtest/gtest.h>

#include "stress_fixture.h"
#include "stress/shock_text.h"

namespace glassbook::stress::testing {
namespace {

TEST(ShockText, Percentages) {
  EXPECT_EQ(parse_percent("-30%").value(), -300'000);
  EXPECT_EQ(parse_percent("5%").value(), 50'000);
  EXPECT_EQ(parse_percent("+10%").value(), 100'000);
  EXPECT_EQ(parse_percent("2.5%").value(), 25'000);
  EXPECT_EQ(parse_percent("-0.0001%").value(), -1);
  EXPECT_EQ(parse_percent("0%").value(), 0);
  EXPECT_EQ(parse_percent("-100%").value(), -1'000'000);  // parsed; the stress itself refuses it
  EXPECT_EQ(parse_percent("1000000%").value(), 10'000'000'000);
  for (const char* bad : {"", "%", "-%", "+%", "30", "-30", "30 %", " 30%", "30% ", "30%%", "3o%", "1e2%", ".5%", "5.%",
                          "5.12345%", "--30%", "+-3%", "abc", "1000001%", "99999999999999999999%", "30 percent", "0x10%",
                          "5,5%", "-30%-"}) {
    auto r = parse_percent(bad);
    EXPECT_FALSE(r) << "'" << bad << "'";
    if (!r) {
      EXPECT_EQ(r.code(), Error::InvalidArgument);
      EXPECT_NE(r.status().message().find("is not a percentage"), std::string::npos) << r.status().message();
    }
  }
}

TEST(ShockText, PercentText) {
  EXPECT_EQ(percent_text(-300'000), "-30%");
  EXPECT_EQ(percent_text(25'000), "+2.5%");
  EXPECT_EQ(percent_text(0), "0%");
  EXPECT_EQ(percent_text(-1), "-0.0001%");
  for (int64_t ppm : std::initializer_list<int64_t>{-500'000, -50'000, 1, 123'456, 10'000'000'000})
    EXPECT_EQ(parse_percent(percent_text(ppm)).value(), ppm);
}

TEST(ShockText, Depegs) {
  ExchangeConfig c = demo_config(crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher")).public_key());
  add_perpetual(c, PerpExchange::oracle_keys());
  with_wbtc(c);
  auto m = parse_depeg("WBTC:-20%", c);
  ASSERT_TRUE(m) << m.status().to_string();
  EXPECT_EQ(*m, (Move{Move::Kind::RedemptionRate, WBTC, -200'000}));
  EXPECT_EQ(parse_depeg("BTC:-20%", c).code(), Error::InvalidArgument);  // an index, not a rate
  EXPECT_EQ(parse_depeg("XYZ:-20%", c).code(), Error::UnknownAsset);
  EXPECT_EQ(parse_depeg("wbtc:-20%", c).code(), Error::UnknownAsset);  // symbols are exact
  EXPECT_EQ(parse_depeg("WBTC-20%", c).code(), Error::InvalidArgument);
  EXPECT_EQ(parse_depeg("WBTC:", c).code(), Error::InvalidArgument);
  EXPECT_EQ(parse_depeg(":-20%", c).code(), Error::InvalidArgument);
  EXPECT_EQ(parse_depeg("WBTC:-20", c).code(), Error::InvalidArgument);
}

}  // namespace
}  // namespace glassbook::stress::testing
