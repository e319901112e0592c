// Backpack's words for the engine's enums: sides, order statuses and types, time in force, self-trade prevention, expiry reasons.
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
  }
  return "New";
}

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
    case engine::CancelCause::Liquidation: return "Liquidation";
    case engine::CancelCause::User: break;
  }
  return "Unknown";
}

}  // namespace glassbook::api
