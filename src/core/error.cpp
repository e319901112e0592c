// Stable names of the error codes.
#include "core/error.h"

namespace glassbook {

std::string_view error_name(Error e) {
  switch (e) {
    case Error::Ok: return "OK";
    case Error::InvalidDecimal: return "INVALID_DECIMAL";
    case Error::TooManyDecimals: return "TOO_MANY_DECIMALS";
    case Error::NegativeNotAllowed: return "NEGATIVE_NOT_ALLOWED";
    case Error::Overflow: return "OVERFLOW";
    case Error::InvalidArgument: return "INVALID_ARGUMENT";
    case Error::InvalidQuantity: return "INVALID_QUANTITY";
    case Error::InvalidPrice: return "INVALID_PRICE";
    case Error::QuantityNotLotMultiple: return "QUANTITY_NOT_LOT_MULTIPLE";
    case Error::PriceNotTickMultiple: return "PRICE_NOT_TICK_MULTIPLE";
    case Error::UnknownAccount: return "UNKNOWN_ACCOUNT";
    case Error::UnknownAsset: return "UNKNOWN_ASSET";
    case Error::UnknownMarket: return "INVALID_MARKET";
    case Error::DuplicateAccountKey: return "DUPLICATE_ACCOUNT_KEY";
    case Error::Unauthorized: return "UNAUTHORIZED";
    case Error::InvalidSignature: return "INVALID_SIGNATURE";
    case Error::InsufficientFunds: return "INSUFFICIENT_FUNDS";
    case Error::DuplicateDeposit: return "DUPLICATE_DEPOSIT";
    case Error::DuplicateClientOrderId: return "DUPLICATE_CLIENT_ORDER_ID";
    case Error::OrderNotFound: return "RESOURCE_NOT_FOUND";
    case Error::PostOnlyWouldCross: return "POST_ONLY_WOULD_CROSS";
    case Error::FokNotFilled: return "FOK_NOT_FILLED";
    case Error::BookFull: return "BOOK_FULL";
    case Error::InvalidConfig: return "INVALID_CONFIG";
    case Error::Overloaded: return "OVERLOADED";
    case Error::Corruption: return "CORRUPTION";
    case Error::Io: return "IO_ERROR";
    case Error::Expired: return "EXPIRED";
    case Error::InsufficientMargin: return "INSUFFICIENT_MARGIN";
    case Error::IndexFrozen: return "INDEX_FROZEN";
    case Error::PriceOutOfBand: return "PRICE_OUT_OF_BAND";
    case Error::MarketPaused: return "MARKET_PAUSED";
    case Error::GroupLimit: return "GROUP_LIMIT";
    case Error::ReduceOnly: return "REDUCE_ONLY";
    case Error::DuplicateRequest: return "DUPLICATE_REQUEST";
    case Error::OrderBeyondBankruptcy: return "ORDER_BEYOND_BANKRUPTCY";
    case Error::Timelocked: return "TIMELOCKED";
    case Error::OpenInterestCap: return "OPEN_INTEREST_CAP";
    case Error::WithdrawalLimit: return "WITHDRAWAL_LIMIT";
    case Error::AddressCoolingOff: return "ADDRESS_COOLING_OFF";
    case Error::KycMissing: return "KYC_MISSING";
    case Error::KycExpired: return "KYC_EXPIRED";
    case Error::KycLevelTooLow: return "KYC_LEVEL_TOO_LOW";
    case Error::BuyerJurisdictionBarred: return "BUYER_JURISDICTION_BARRED";
    case Error::WithdrawalsHalted: return "WITHDRAWALS_HALTED";
  }
  return "UNKNOWN_ERROR";
}

}  // namespace glassbook
