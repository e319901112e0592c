// Backpack-style API errors: codes, statuses and bodies.
#include "api/api_error.h"

#include <fmt/format.h>

#include "api/json_writer.h"

namespace glassbook::api {

// Backpack's own code wherever Backpack has one that means the same (ccxt maps those to its exception
// classes: InvalidOrder, InsufficientFunds, OperationRejected...); otherwise the engine's own error
// name, which says what happened (a replayed deposit is DUPLICATE_DEPOSIT, never INVALID_ORDER).
std::string_view backpack_code(Error error) {
  switch (error) {
    case Error::Ok: return "OK";
    // A bare decimal fault does not say which field it came from (the request translation reports
    // a price's or a quantity's under INVALID_PRICE or INVALID_QUANTITY itself).
    case Error::InvalidDecimal:
    case Error::TooManyDecimals:
    case Error::NegativeNotAllowed: return "INVALID_CLIENT_REQUEST";
    case Error::InvalidQuantity:
    case Error::QuantityNotLotMultiple: return "INVALID_QUANTITY";
    case Error::InvalidPrice:
    case Error::PriceNotTickMultiple: return "INVALID_PRICE";
    // The engine's overflow refusal is an order whose price x quantity is beyond the ledger's range.
    case Error::Overflow: return "INVALID_ORDER";
    case Error::InvalidArgument: return "INVALID_CLIENT_REQUEST";
    case Error::UnknownMarket: return "INVALID_MARKET";
    case Error::UnknownAsset: return "INVALID_ASSET";
    case Error::UnknownAccount:
    case Error::Unauthorized: return "UNAUTHORIZED";
    case Error::DuplicateAccountKey: return "DUPLICATE_ACCOUNT_KEY";
    case Error::InvalidSignature: return "INVALID_SIGNATURE";
    case Error::InsufficientFunds: return "INSUFFICIENT_FUNDS";
    case Error::DuplicateDeposit: return "DUPLICATE_DEPOSIT";
    case Error::DuplicateClientOrderId:
    case Error::PostOnlyWouldCross:
    case Error::FokNotFilled: return "INVALID_ORDER";
    case Error::OrderNotFound: return "RESOURCE_NOT_FOUND";
    case Error::BookFull: return "ORDER_LIMIT";
    case Error::InvalidConfig: return "INVALID_CONFIG";
    case Error::Overloaded: return "TOO_MANY_REQUESTS";
    case Error::Corruption:
    case Error::Io: return "SERVER_ERROR";
    // Backpack answers an expired or repeated request with INVALID_CLIENT_REQUEST and says which in
    // the message; clients catch it as a bad request, which it is.
    case Error::Expired: return "INVALID_CLIENT_REQUEST";
    case Error::InsufficientMargin: return "INSUFFICIENT_MARGIN";
    case Error::IndexFrozen:
    case Error::MarketPaused: return "TRADING_PAUSED";
    case Error::PriceOutOfBand: return "INVALID_PRICE";
    // Exposure limits of a group of linked accounts: Backpack's code for a position over its limit.
    case Error::GroupLimit:
    case Error::ReduceOnly: return "POSITION_LIMIT";
    case Error::DuplicateRequest: return "INVALID_CLIENT_REQUEST";
    case Error::OrderBeyondBankruptcy: return "ORDER_BEYOND_BANKRUPTCY";
    case Error::Timelocked: return "TIMELOCKED";
    case Error::OpenInterestCap: return "OPEN_INTEREST_CAP";
    case Error::WithdrawalLimit: return "WITHDRAWAL_LIMIT";
    case Error::AddressCoolingOff: return "ADDRESS_COOLING_OFF";
    // Claims trading: no Backpack code means these; the engine's names say which rule refused.
    case Error::KycMissing: return "KYC_MISSING";
    case Error::KycExpired: return "KYC_EXPIRED";
    case Error::KycLevelTooLow: return "KYC_LEVEL_TOO_LOW";
    case Error::BuyerJurisdictionBarred: return "BUYER_JURISDICTION_BARRED";
    case Error::WithdrawalsHalted: return "WITHDRAWALS_HALTED";
  }
  return "SERVER_ERROR";
}

unsigned http_status_of(std::string_view code) {
  if (code == "INVALID_SIGNATURE" || code == "UNAUTHORIZED") return 401;
  if (code == "FORBIDDEN" || code == "KYC_MISSING" || code == "KYC_EXPIRED" || code == "KYC_LEVEL_TOO_LOW" ||
      code == "BUYER_JURISDICTION_BARRED")
    return 403;
  if (code == "RESOURCE_NOT_FOUND") return 404;
  if (code == "TOO_MANY_REQUESTS") return 429;
  if (code == "SERVER_ERROR") return 500;
  if (code == "NOT_IMPLEMENTED") return 501;
  if (code == "MAINTENANCE" || code == "TRADING_PAUSED") return 503;
  if (code == "PAYLOAD_TOO_LARGE") return 413;
  return 400;
}

std::string_view default_message(Error error) {
  switch (error) {
    case Error::InsufficientFunds: return "insufficient funds";
    case Error::DuplicateDeposit: return "deposit already credited";
    case Error::DuplicateAccountKey: return "this key already has an account";
    case Error::Timelocked: return "the configuration change is still within its timelock";
    case Error::OrderNotFound: return "order not found";
    case Error::DuplicateClientOrderId: return "client id already used by an open order";
    case Error::PostOnlyWouldCross: return "post-only order would cross the book";
    case Error::FokNotFilled: return "fill-or-kill order could not be filled";
    case Error::PriceNotTickMultiple: return "price is not a multiple of the tick size";
    case Error::QuantityNotLotMultiple: return "quantity is not a multiple of the step size";
    case Error::Overloaded: return "the exchange is overloaded, retry later";
    case Error::Expired: return "request expired: it reached the exchange after its time window";
    case Error::InsufficientMargin: return "the order would take the account below its initial margin";
    case Error::IndexFrozen: return "the index price is frozen (too few fresh oracle sources): only orders that reduce risk";
    case Error::PriceOutOfBand: return "price beyond the market's price band";
    case Error::MarketPaused: return "the market is paused by its circuit breaker: only cancels are accepted";
    case Error::GroupLimit: return "the order would take the account's group over its exposure limits";
    case Error::ReduceOnly: return "reduce-only: the account's group may only reduce its positions";
    case Error::DuplicateRequest: return "duplicate request: this signed request was already sequenced";
    case Error::OrderBeyondBankruptcy: return "a reducing order may not be priced beyond the account's bankruptcy price";
    case Error::OpenInterestCap: return "the order could take the market's open interest or the account's position beyond its cap";
    case Error::WithdrawalLimit: return "the withdrawal would exceed a withdrawal velocity limit";
    case Error::AddressCoolingOff: return "the withdrawal address is not allow-listed or is still cooling off";
    case Error::KycMissing: return "no KYC attestation for the claim market's estate";
    case Error::KycExpired: return "the KYC attestation for the claim market's estate has expired";
    case Error::KycLevelTooLow: return "the KYC level is below the estate's minimum for buyers of its claims";
    case Error::BuyerJurisdictionBarred: return "the estate's transfer rules bar buyers in this jurisdiction";
    case Error::WithdrawalsHalted: return "withdrawals of this asset are halted until a reconciliation alert is resolved";
    default: return error_name(error);
  }
}

std::string json_escape(std::string_view text) {
  std::string escaped;
  append_json_escaped(escaped, text);
  return escaped;
}

std::string error_body(std::string_view code, std::string_view message) {
  JsonWriter w(32 + code.size() + message.size());
  w.begin_object().key("code").string(code).key("message").string(message).end_object();
  return w.take();
}

HttpResponse error_response(std::string_view code, std::string_view message) {
  return HttpResponse{http_status_of(code), error_body(code, message), "application/json"};
}

HttpResponse error_response(Error error, std::string_view message) {
  return error_response(backpack_code(error), message.empty() ? default_message(error) : message);
}

HttpResponse submission_refused(const Status& status) {
  if (status.code() == Error::Overloaded) return error_response("TOO_MANY_REQUESTS", status.message());
  return error_response("SERVER_ERROR", status.message());
}

}  // namespace glassbook::api
