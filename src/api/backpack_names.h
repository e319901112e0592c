// Backpack's words for the engine's enums: sides, order statuses and types, time in force, self-trade prevention,
// expiry reasons, system orders and fill types.
#pragma once
#include <string_view>

#include "api/view_records.h"

namespace glassbook::api {

inline std::string_view side_name(book::Side s) { return s == book::Side::Buy ? "Bid" : "Ask"; }

inline std::string_view status_name(OrderStatus s) {
  switch (s) {
    case OrderStatus::New: return "New";
    case OrderStatus::PartiallyFilled: return "PartiallyFilled";
    case OrderStatus::Filled: return "Filled";
    case OrderStatus::Cancelled: return "Cancelled";
    case OrderStatus::Expired: return "Expired";
    case OrderStatus::TriggerPending: return "TriggerPending";
    case OrderStatus::TriggerFailed: return "TriggerFailed";
  }
  return "New";
}

inline std::string_view trigger_by_name(engine::TriggerBy b) { return b == engine::TriggerBy::MarkPrice ? "MarkPrice" : "LastPrice"; }

// REST spelling ("Limit"); the order-update stream writes it in capitals ("LIMIT").
inline std::string_view order_type_name(engine::OrderType t) { return t == engine::OrderType::Market ? "Market" : "Limit"; }
inline std::string_view stream_order_type_name(engine::OrderType t) { return t == engine::OrderType::Market ? "MARKET" : "LIMIT"; }

// Backpack has no post-only time in force: a post-only order is GTC with postOnly set.
inline std::string_view tif_name(book::TimeInForce t) {
  switch (t) {
    case book::TimeInForce::IOC: return "IOC";
    case book::TimeInForce::FOK: return "FOK";
    default: return "GTC";
  }
}

inline std::string_view stp_name(book::Stp s) {
  switch (s) {
    case book::Stp::CancelOldest: return "RejectMaker";
    case book::Stp::CancelBoth: return "RejectBoth";
    default: return "RejectTaker";
  }
}

// Backpack's OrderExpiryReason for an order the engine removed on its own.
inline std::string_view expiry_reason_name(engine::CancelCause c) {
  switch (c) {
    case engine::CancelCause::IocRemainder: return "ImmediateOrCancel";
    case engine::CancelCause::FokUnfilled: return "FillOrKill";
    case engine::CancelCause::PostOnlyWouldCross: return "PostOnlyTaker";
    case engine::CancelCause::SelfTrade: return "SelfTradePrevention";
    case engine::CancelCause::MarketProtection:
    case engine::CancelCause::PriceBand: return "PriceImpact";
    case engine::CancelCause::Liquidation:
    case engine::CancelCause::BeyondBankruptcy: return "Liquidation";
    case engine::CancelCause::DepositReversed: return "InsufficientFunds";  // its funds' deposit was reversed
    case engine::CancelCause::ClaimIneligible: return "UserPermissions";  // KYC expired or barred by the estate's rules
    case engine::CancelCause::User: break;
  }
  return "Unknown";
}

// Backpack's SystemOrderType of a fill the exchange made (null for the account's own orders).
inline std::string_view system_order_name(SystemOrder s) {
  switch (s) {
    case SystemOrder::LiquidationBook: return "LiquidatePositionOnBook";
    case SystemOrder::LiquidationBackstop: return "LiquidatePositionOnBackstop";
    case SystemOrder::LiquidationAdl: return "LiquidatePositionOnAdl";
    case SystemOrder::None: break;
  }
  return {};
}

// Whether a fill passes Backpack's fillType filter of /wapi/v1/history/fills (empty: every fill).
inline bool fill_type_accepts(std::string_view fill_type, SystemOrder s) {
  if (fill_type.empty()) return true;
  if (fill_type == "User") return s == SystemOrder::None;
  if (fill_type == "BookLiquidation") return s == SystemOrder::LiquidationBook;
  if (fill_type == "Backstop") return s == SystemOrder::LiquidationBackstop;
  if (fill_type == "Adl") return s == SystemOrder::LiquidationAdl;
  if (fill_type == "Liquidation" || fill_type == "AllLiquidation") return s != SystemOrder::None;
  return false;  // CollateralConversion...: never made here
}

}  // namespace glassbook::api
