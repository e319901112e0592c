// Error codes shared by every module, and their stable names (used in events, logs and the API).
#pragma once
#include <cstdint>
#include <string_view>

namespace glassbook {

enum class Error : uint16_t {
  Ok = 0,
  // input
  InvalidDecimal,
  TooManyDecimals,
  NegativeNotAllowed,
  Overflow,
  InvalidArgument,
  InvalidQuantity,
  InvalidPrice,
  QuantityNotLotMultiple,
  PriceNotTickMultiple,
  // identity and authority
  UnknownAccount,
  UnknownAsset,
  UnknownMarket,
  DuplicateAccountKey,
  Unauthorized,
  InvalidSignature,
  // funds
  InsufficientFunds,
  DuplicateDeposit,
  // orders
  DuplicateClientOrderId,
  OrderNotFound,
  PostOnlyWouldCross,
  FokNotFilled,
  BookFull,
  // configuration
  InvalidConfig,
};

std::string_view error_name(Error e);

}  // namespace glassbook
