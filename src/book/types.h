// Vocabulary of the order book: ids, prices, quantities, sides, order options,
// reasons and reject codes, and the per-market limits (BookConfig).
#pragma once
#include <cstdint>

namespace glassbook::book {

using OrderId = uint64_t;    // assigned by the caller, unique while resting
using AccountId = uint32_t;  // owner of an order (ignored when BookConfig::anonymous)
using Ticks = int64_t;       // price in ticks, 1..BookConfig::max_price_ticks
using Lots = int64_t;        // quantity in lots, > 0

enum class Side : uint8_t { Buy = 0, Sell = 1 };
inline constexpr Side opposite(Side s) { return s == Side::Buy ? Side::Sell : Side::Buy; }

enum class TimeInForce : uint8_t {
  GTC,       // match, rest the remainder
  IOC,       // match, cancel the remainder
  FOK,       // fill completely or cancel without any trade
  PostOnly,  // rest without trading, or cancel if it would cross
};

// Self-trade prevention when a taker meets a resting order of its own account;
// the taker's mode decides.
enum class Stp : uint8_t {
  CancelNewest,  // cancel the taker's remainder
  CancelOldest,  // cancel the resting order and keep matching
  CancelBoth,    // cancel both
};

enum class CancelReason : uint8_t {
  User,                // cancel() / cancel_all()
  IocRemainder,        // unfilled part of an IOC
  FokUnfilled,         // FOK that could not fill completely
  PostOnlyWouldCross,  // post-only that would have traded
  SelfTrade,           // self-trade prevention
  Amend,               // old placement of an order re-inserted by amend()/modify()
};

enum class Reject : uint8_t {
  None = 0,
  DuplicateId,  // the id is already resting
  BadPrice,     // outside [1, max_price_ticks]
  BadQuantity,  // <= 0
  NotFound,     // cancel/amend/modify of an order that is not resting
  BookFull,     // the order pool is full (max_orders resting)
  BadSide,      // side or time-in-force out of range
};

struct NewOrder {
  OrderId id;
  AccountId account;
  Side side;
  Ticks price;
  Lots qty;
  TimeInForce tif;
  Stp stp;
};

// Limits of one market's book.
//  * max_price_ticks <= kMaxPriceTicks (2^26). Memory per market, per side:
//    fixed 24 B per 4096 ticks of range (ladder and bitmap page tables, bitmap
//    summary: 384 KiB per side at 2^26, 6 KiB at 2^20), plus 96 KiB for every
//    4096-tick ladder page that ever held an order and 512 B per bitmap page.
//  * max_orders <= kMaxOrders: 64 B per order slot actually used (high-water
//    mark; the pool is reserved up front but touched lazily), plus the id map:
//    16 B * a power of two >= 2 * peak resting orders.
struct BookConfig {
  Ticks max_price_ticks = 1 << 20;
  uint32_t max_orders = 1 << 20;
  // No accounts: every order may trade with every other (no self-trade
  // prevention) and no per-account index is kept (cancel_all() finds nothing).
  // The C API uses this.
  bool anonymous = false;
};

inline constexpr Ticks kMaxPriceTicks = Ticks{1} << 26;
inline constexpr uint32_t kMaxOrders = (1u << 31);

}  // namespace glassbook::book
