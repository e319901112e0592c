// AccountHistory: one account's open orders, bounded rings of closed orders, fills, deposits and funding payments, and its open positions' tracks.
#pragma once
#include <cstddef>
#include <deque>
#include <map>
#include <unordered_map>

#include "api/view_records.h"

namespace glassbook::api {

// Memory: the open orders are those resting in the books (bounded by the markets' capacity) plus,
// during one command, its taker; each ring holds at most its cap, the oldest entry leaving first.
class AccountHistory {
 public:
  AccountHistory(size_t closed_cap, size_t fills_cap, size_t deposits_cap, size_t funding_cap = 1000)
      : closed_cap_(closed_cap), fills_cap_(fills_cap), deposits_cap_(deposits_cap), funding_cap_(funding_cap) {}

  // A new open order (its id is new).
  void open(const OrderRecord& order);
  OrderRecord* open_order(OrderId id);
  // Moves an open order, now closed, to the closed ring.
  void close(OrderId id);
  void add_fill(const FillRecord& fill);
  void add_deposit(const DepositRecord& deposit);
  DepositRecord* find_deposit(uint64_t id);  // nullptr once it left the ring
  void add_funding(const FundingPaymentRecord& payment);
  // The track of the account's open position in a perpetual (created empty when missing), and
  // dropping it once the position is flat.
  PositionTrack& track(MarketId market) { return tracks_[market]; }
  const PositionTrack* find_track(MarketId market) const;
  void drop_track(MarketId market) { tracks_.erase(market); }

  // Open first, then recently closed; nullptr when neither knows it.
  const OrderRecord* find(OrderId id) const;
  // The open order with that client id, else the most recently closed one.
  const OrderRecord* find_by_client(uint32_t client_id) const;

  const std::map<OrderId, OrderRecord>& open_orders() const { return open_; }
  const std::deque<OrderRecord>& closed_orders() const { return closed_; }  // oldest first
  const std::deque<FillRecord>& fills() const { return fills_; }              // oldest first
  const std::deque<DepositRecord>& deposits() const { return deposits_; }     // oldest first
  const std::deque<FundingPaymentRecord>& funding() const { return funding_; } // oldest first

 private:
  size_t closed_cap_, fills_cap_, deposits_cap_, funding_cap_;
  std::map<OrderId, OrderRecord> open_;
  std::unordered_map<uint32_t, OrderId> open_by_client_;
  std::deque<OrderRecord> closed_;
  std::deque<FillRecord> fills_;
  std::deque<DepositRecord> deposits_;
  std::deque<FundingPaymentRecord> funding_;
  std::map<MarketId, PositionTrack> tracks_;  // open positions only: a handful per account
};

}  // namespace glassbook::api
