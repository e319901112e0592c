// Request parameters: JSON bodies and query strings rendered exactly as clients sign them, bad input refused.
#include "api/request_params.h"

#include <gtest/gtest.h>

namespace glassbook::api {
namespace {

std::string joined(const Params& p) {
  std::string s;
  for (const Param& x : p) s += x.key + "=" + x.value + ";";
  return s;
}

TEST(RequestParams, JsonValuesAreRenderedAsSigned) {
  auto p = params_from_json(R"({"symbol":"SOL_USDC","price":"150.25","postOnly":true,"clientId":42,"side":"Bid"})");
  ASSERT_TRUE(p.is_ok()) << p.status().to_string();
  EXPECT_EQ(joined(*p), "symbol=SOL_USDC;price=150.25;postOnly=true;clientId=42;side=Bid;");
  EXPECT_EQ(param(*p, "price"), "150.25");
  EXPECT_EQ(param(*p, "missing"), "");
  auto empty = params_from_json("  ");
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty->empty());
}

TEST(RequestParams, JsonRefusals) {
  const char* bad[] = {
      R"({"symbol":"SOL_USDC")",                 // malformed
      R"(["SOL_USDC"])",                         // not an object
      R"({"price":150.25})",                     // money as a JSON number
      R"({"price":150})",                        // integers too, for decimal fields
      R"({"clientId":1.5})",                     // a float even where integers are allowed
      R"({"symbol":null})",                      // null
      R"({"symbol":{"a":"b"}})",                 // nested
      R"({"symbol":"A","symbol":"B"})",          // duplicate key
      R"({"symbol":"SOL USDC"})",                // outside the signing character set
      R"({"symbol":"a&b=c"})",                   // would make the signed text ambiguous
      R"({"timestamp":"1"})",                    // reserved for the signature
      R"({"":"x"})",                             // empty key
      R"({"symbol":""})",                        // empty value
  };
  for (const char* body : bad) {
    auto p = params_from_json(body);
    EXPECT_FALSE(p.is_ok()) << body;
    if (!p.is_ok()) {
      EXPECT_EQ(p.status().code(), Error::InvalidArgument) << body;
    }
  }
}

TEST(RequestParams, BatchArrays) {
  auto b = params_from_json_array(R"([{"symbol":"SOL_USDC","quantity":"1"},{"symbol":"BTC_USDC","quantity":"0.1"}])");
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ(param((*b)[1], "quantity"), "0.1");
  EXPECT_FALSE(params_from_json_array("[]").is_ok());
  EXPECT_FALSE(params_from_json_array(R"({"symbol":"x"})").is_ok());
  EXPECT_FALSE(params_from_json_array(R"([{"price":1.5}])").is_ok());
  std::string many = "[";
  for (int i = 0; i < 51; ++i) many += std::string(i ? "," : "") + R"({"symbol":"SOL_USDC"})";
  many += "]";
  EXPECT_FALSE(params_from_json_array(many).is_ok());
}

TEST(RequestParams, QueryStrings) {
  auto q = params_from_query("symbol=SOL_USDC&limit=10&&from=%31%32");
  ASSERT_TRUE(q.is_ok()) << q.status().to_string();
  EXPECT_EQ(joined(*q), "symbol=SOL_USDC;limit=10;from=12;");
  EXPECT_FALSE(params_from_query("symbol").is_ok());
  EXPECT_FALSE(params_from_query("symbol=%4").is_ok());
  EXPECT_FALSE(params_from_query("symbol=%zz").is_ok());
  EXPECT_FALSE(params_from_query("a=1&a=2").is_ok());
  EXPECT_FALSE(params_from_query("symbol=a%26b").is_ok());  // a decoded '&' is outside the character set
  EXPECT_TRUE(params_from_query("").is_ok());
}

}  // namespace
}  // namespace glassbook::api

namespace glassbook::api {
namespace {

TEST(RequestParams, NumberParams) {
  auto q = params_from_query("limit=10&offset=x&big=5001");
  ASSERT_TRUE(q.is_ok());
  EXPECT_EQ(*number_param(*q, "limit", 100, 1000), 10u);
  EXPECT_EQ(*number_param(*q, "missing", 100, 1000), 100u);
  EXPECT_EQ(number_param(*q, "offset", 0, 1000).status().code(), Error::InvalidArgument);
  EXPECT_EQ(number_param(*q, "big", 0, 5000).status().code(), Error::InvalidArgument);
}

}  // namespace
}  // namespace glassbook::api
