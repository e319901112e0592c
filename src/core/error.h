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
  // operation
  Overloaded,  // a bounded queue is full: the request was refused, nothing was changed
  Corruption,  // stored data (journal, snapshot, checkpoint) failed a check
  Io,          // the operating system refused a read, write or sync
  // requests
  Expired,     // a signed request reached the sequencer after its time window closed
  // risk
  InsufficientMargin,  // the order would take the account below its initial margin
  IndexFrozen,         // too few fresh oracle sources: orders that add risk wait for prices
  PriceOutOfBand,      // a limit price beyond the market's band around its reference price
  MarketPaused,        // the circuit breaker paused the market: only cancels are accepted
  GroupLimit,          // the order would take a group of linked accounts over its limits
  ReduceOnly,          // the account (or its group) may only reduce its positions
  // requests, continued
  DuplicateRequest,  // the same signed request was already sequenced inside its window (a replay)
  // risk, continued
  OrderBeyondBankruptcy,  // a reducing order priced past the account's bankruptcy price
  // governance
  Timelocked,  // an approved configuration change enacted before its timelock has passed
  // risk, continued
  OpenInterestCap,  // the order could take a perpetual's open interest or one account's position beyond its cap
  // custody
  WithdrawalLimit,    // the withdrawal would exceed a velocity limit (per account or exchange-wide)
  AddressCoolingOff,  // the withdrawal address is not allow-listed, or still in its cooling-off period
  // claims trading (docs/claims.md, "Trading")
  KycMissing,               // no KYC attestation for the claim market's estate
  KycExpired,               // the estate's KYC attestation expired at the sequencer's time
  KycLevelTooLow,           // a buyer below the estate's transfer rules' minimum KYC level
  BuyerJurisdictionBarred,  // a buyer in a jurisdiction the estate's transfer rules bar
  // custody, continued
  WithdrawalsHalted,  // an open reconciliation alert on the asset stops its withdrawals until resolved
};

std::string_view error_name(Error e);

}  // namespace glassbook
