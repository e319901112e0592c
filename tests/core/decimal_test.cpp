// Exact decimal parsing and formatting: accepted forms, each refused form with its error, and round trips.
#include <gtest/gtest.h>

#include <random>

#include "core/decimal.h"

namespace glassbook {
namespace {

TEST(Decimal, ParsesExactly) {
  EXPECT_EQ(*parse_decimal("0.1", 8), 10'000'000);
  EXPECT_EQ(*parse_decimal("123.450", 3), 123'450);
  EXPECT_EQ(*parse_decimal("123.45", 3), 123'450);
  EXPECT_EQ(*parse_decimal("7", 0), 7);
  EXPECT_EQ(*parse_decimal("0", 6), 0);
  EXPECT_EQ(*parse_decimal("000012.5", 2), 1250);
  EXPECT_EQ(*parse_decimal("1.10000000000", 2), 110);  // zeros beyond the scale are exact
  EXPECT_EQ(*parse_decimal("-2.5", 1, {.allow_negative = true}), -25);
}

TEST(Decimal, ExtremesOfInt64) {
  EXPECT_EQ(*parse_decimal("9223372036854775807", 0), INT64_MAX);
  EXPECT_EQ(*parse_decimal("-9223372036854775808", 0, {.allow_negative = true}), INT64_MIN);
  EXPECT_EQ(parse_decimal("9223372036854775808", 0).code(), Error::Overflow);
  EXPECT_EQ(parse_decimal("92233720368.54775808", 8).code(), Error::Overflow);
  EXPECT_EQ(*parse_decimal("92233720368.54775807", 8), INT64_MAX);
}

TEST(Decimal, RefusesBadForms) {
  struct Case {
    const char* text;
    int scale;
    Error want;
  };
  const Case cases[] = {
      {"", 2, Error::InvalidDecimal},          {".5", 2, Error::InvalidDecimal},
      {"5.", 2, Error::InvalidDecimal},        {"1e5", 2, Error::InvalidDecimal},
      {"1E5", 2, Error::InvalidDecimal},       {"+1", 2, Error::InvalidDecimal},
      {" 1", 2, Error::InvalidDecimal},        {"1 ", 2, Error::InvalidDecimal},
      {"1,5", 2, Error::InvalidDecimal},       {"0x10", 2, Error::InvalidDecimal},
      {"1.2.3", 2, Error::InvalidDecimal},     {"-", 2, Error::NegativeNotAllowed},
      {"-1", 2, Error::NegativeNotAllowed},    {"0.001", 2, Error::TooManyDecimals},
      {"1.23", 0, Error::TooManyDecimals},     {"NaN", 2, Error::InvalidDecimal},
      {"inf", 2, Error::InvalidDecimal},       {"99999999999999999999", 0, Error::Overflow},
      {"12345678901234567890123456789012345678901234567890123456789012345", 0, Error::InvalidDecimal},
  };
  for (const auto& c : cases) {
    auto r = parse_decimal(c.text, c.scale);
    EXPECT_FALSE(r.is_ok()) << c.text;
    EXPECT_EQ(r.code(), c.want) << "input '" << c.text << "': " << r.status().to_string();
  }
  EXPECT_EQ(parse_decimal("-", 2, {.allow_negative = true}).code(), Error::InvalidDecimal);
  EXPECT_EQ(parse_decimal("1", 19).code(), Error::InvalidArgument);
}

TEST(Decimal, Formats) {
  EXPECT_EQ(format_decimal(10'000'000, 8), "0.10000000");
  EXPECT_EQ(format_decimal(10'000'000, 8, true), "0.1");
  EXPECT_EQ(format_decimal(-25, 1), "-2.5");
  EXPECT_EQ(format_decimal(5, 0), "5");
  EXPECT_EQ(format_decimal(100, 2, true), "1");
  EXPECT_EQ(format_decimal(INT64_MIN, 0), "-9223372036854775808");
  EXPECT_EQ(format_decimal(INT64_MIN, 18), "-9.223372036854775808");
}

TEST(Decimal, RoundTripsRandomValues) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 20000; ++i) {
    int64_t v = static_cast<int64_t>(rng());
    int scale = static_cast<int>(rng() % 19);
    bool trim = rng() % 2;
    auto back = parse_decimal(format_decimal(v, scale, trim), scale, {.allow_negative = true});
    ASSERT_TRUE(back.is_ok()) << v << " scale " << scale;
    ASSERT_EQ(*back, v);
  }
}

}  // namespace
}  // namespace glassbook
