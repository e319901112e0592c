// API errors: Backpack codes, HTTP statuses and escaped JSON bodies.
#include "api/api_error.h"

#include <gtest/gtest.h>

#include <map>

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

// Every engine error, with the code a client sees: Backpack's where it has one meaning the same, the
// engine's own name otherwise. Walks the enum to its end (error_name says UNKNOWN_ERROR past it), so
// an error added without a decision here fails.
TEST(ApiError, EveryEngineErrorMapsToACodeThatSaysWhatHappened) {
  const std::map<Error, std::string_view> expected = {
      {Error::Ok, "OK"},
      {Error::InvalidDecimal, "INVALID_CLIENT_REQUEST"},
      {Error::TooManyDecimals, "INVALID_CLIENT_REQUEST"},
      {Error::NegativeNotAllowed, "INVALID_CLIENT_REQUEST"},
      {Error::Overflow, "INVALID_ORDER"},
      {Error::InvalidArgument, "INVALID_CLIENT_REQUEST"},
      {Error::InvalidQuantity, "INVALID_QUANTITY"},
      {Error::InvalidPrice, "INVALID_PRICE"},
      {Error::QuantityNotLotMultiple, "INVALID_QUANTITY"},
      {Error::PriceNotTickMultiple, "INVALID_PRICE"},
      {Error::UnknownAccount, "UNAUTHORIZED"},
      {Error::UnknownAsset, "INVALID_ASSET"},
      {Error::UnknownMarket, "INVALID_MARKET"},
      {Error::DuplicateAccountKey, "DUPLICATE_ACCOUNT_KEY"},
      {Error::Unauthorized, "UNAUTHORIZED"},
      {Error::InvalidSignature, "INVALID_SIGNATURE"},
      {Error::InsufficientFunds, "INSUFFICIENT_FUNDS"},
      {Error::DuplicateDeposit, "DUPLICATE_DEPOSIT"},
      {Error::DuplicateClientOrderId, "INVALID_ORDER"},
      {Error::OrderNotFound, "RESOURCE_NOT_FOUND"},
      {Error::PostOnlyWouldCross, "INVALID_ORDER"},
      {Error::FokNotFilled, "INVALID_ORDER"},
      {Error::BookFull, "ORDER_LIMIT"},
      {Error::InvalidConfig, "INVALID_CONFIG"},
      {Error::Overloaded, "TOO_MANY_REQUESTS"},
      {Error::Corruption, "SERVER_ERROR"},
      {Error::Io, "SERVER_ERROR"},
      {Error::Expired, "INVALID_CLIENT_REQUEST"},
      {Error::InsufficientMargin, "INSUFFICIENT_MARGIN"},
      {Error::IndexFrozen, "TRADING_PAUSED"},
      {Error::PriceOutOfBand, "INVALID_PRICE"},
      {Error::MarketPaused, "TRADING_PAUSED"},
      {Error::GroupLimit, "POSITION_LIMIT"},
      {Error::ReduceOnly, "POSITION_LIMIT"},
      {Error::DuplicateRequest, "INVALID_CLIENT_REQUEST"},
      {Error::OrderBeyondBankruptcy, "ORDER_BEYOND_BANKRUPTCY"},
      {Error::Timelocked, "TIMELOCKED"},
      {Error::OpenInterestCap, "OPEN_INTEREST_CAP"},
      {Error::WithdrawalLimit, "WITHDRAWAL_LIMIT"},
      {Error::AddressCoolingOff, "ADDRESS_COOLING_OFF"},
      {Error::WithdrawalsHalted, "WITHDRAWALS_HALTED"},
      {Error::KycMissing, "KYC_MISSING"},
      {Error::KycExpired, "KYC_EXPIRED"},
      {Error::KycLevelTooLow, "KYC_LEVEL_TOO_LOW"},
      {Error::BuyerJurisdictionBarred, "BUYER_JURISDICTION_BARRED"},
  };
  size_t walked = 0;
  for (uint16_t v = 0; error_name(static_cast<Error>(v)) != "UNKNOWN_ERROR"; ++v, ++walked) {
    const Error e = static_cast<Error>(v);
    auto it = expected.find(e);
    ASSERT_NE(it, expected.end()) << "no expected API code for " << error_name(e);
    EXPECT_EQ(backpack_code(e), it->second) << error_name(e);
    // Only a failure of the server itself is a 5xx; everything the client can act on is not.
    const bool server_fault = e == Error::Corruption || e == Error::Io;
    EXPECT_EQ(http_status_of(backpack_code(e)) >= 500, server_fault || e == Error::IndexFrozen || e == Error::MarketPaused)
        << error_name(e);
    EXPECT_FALSE(default_message(e).empty()) << error_name(e);
  }
  EXPECT_EQ(walked, expected.size());
}

// A claim market's eligibility refusals are the account's standing, not a malformed request: 403.
TEST(ApiError, ClaimEligibilityRefusalsAreForbidden) {
  for (Error e : {Error::KycMissing, Error::KycExpired, Error::KycLevelTooLow, Error::BuyerJurisdictionBarred})
    EXPECT_EQ(http_status_of(backpack_code(e)), 403u) << error_name(e);
}

TEST(ApiError, ADuplicateDepositIsNeverAnOrderError) {
  const HttpResponse r = error_response(Error::DuplicateDeposit, "");
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(r.body, R"({"code":"DUPLICATE_DEPOSIT","message":"deposit already credited"})");
}

TEST(ApiError, BodyEscapesTheMessage) {
  EXPECT_EQ(error_body("INVALID_ORDER", "bad \"x\"\n"), R"({"code":"INVALID_ORDER","message":"bad \"x\"\n"})");
  const HttpResponse r = error_response(Error::Overloaded, "");
  EXPECT_EQ(r.status, 429u);
  EXPECT_NE(r.body.find("TOO_MANY_REQUESTS"), std::string::npos);
}

}  // namespace
}  // namespace glassbook::api
