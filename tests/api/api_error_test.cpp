// API errors: Backpack codes, HTTP statuses and escaped JSON bodies.
#include "api/api_error.h"

#include <gtest/gtest.h>

namespace glassbook::api {
namespace {

TEST(ApiError, EngineErrorsMapToBackpackCodesAndStatuses) {
  EXPECT_EQ(backpack_code(Error::InsufficientFunds), "INSUFFICIENT_FUNDS");
  EXPECT_EQ(backpack_code(Error::PriceNotTickMultiple), "INVALID_PRICE");
  EXPECT_EQ(backpack_code(Error::UnknownMarket), "INVALID_MARKET");
  EXPECT_EQ(backpack_code(Error::OrderNotFound), "RESOURCE_NOT_FOUND");
  EXPECT_EQ(http_status_of("INVALID_SIGNATURE"), 401u);
  EXPECT_EQ(http_status_of("RESOURCE_NOT_FOUND"), 404u);
  EXPECT_EQ(http_status_of("TOO_MANY_REQUESTS"), 429u);
  EXPECT_EQ(http_status_of("INVALID_ORDER"), 400u);
}

TEST(ApiError, BodyEscapesTheMessage) {
  EXPECT_EQ(error_body("INVALID_ORDER", "bad \"x\"\n"), R"({"code":"INVALID_ORDER","message":"bad \"x\"\n"})");
  const HttpResponse r = error_response(Error::Overloaded, "");
  EXPECT_EQ(r.status, 429u);
  EXPECT_NE(r.body.find("TOO_MANY_REQUESTS"), std::string::npos);
}

}  // namespace
}  // namespace glassbook::api
