// Trigger (stop) orders waiting outside the book for their market's price: engine state (snapshot and
// state root), kept by id, by account's client id, and per market in the order a price move reaches them.
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/byte_io.h"
#include "core/ids.h"
#include "core/result.h"
#include "engine/command.h"

namespace glassbook::engine {

struct TriggerOrder {
  OrderId id = 0;
  PlaceOrder order;     // the order it enters as; order.trigger_price and trigger_by say when
  bool rises = false;   // fires when the price rises to the trigger (it stood below it), else falls to it
  // A take-profit or stop-loss attached to an order: the order it came from, its sibling (the
  // other of the pair, 0: none), and that it may only reduce a position (spot: no more than it
  // holds, judged when it fires).
  enum class Role : uint8_t { Own = 0, TakeProfit = 1, StopLoss = 2 };
  Role role = Role::Own;
  OrderId parent = 0;
  OrderId sibling = 0;
  bool operator==(const TriggerOrder&) const = default;
};

// The take-profit and stop-loss an open order carries until it is done: what it asked for, and the
// trigger orders its fills created so far (0: none yet, or fired or cancelled).
struct Attached {
  AccountId account = 0;
  MarketId market = 0;
  Side side = Side::Buy;  // the parent's: its take-profit and stop-loss are of the other side
  int64_t take_profit_trigger = 0, take_profit_limit = 0;
  int64_t stop_loss_trigger = 0, stop_loss_limit = 0;
  TriggerBy take_profit_by = TriggerBy::LastPrice, stop_loss_by = TriggerBy::LastPrice;
  OrderId take_profit = 0, stop_loss = 0;
  bool operator==(const Attached&) const = default;
};

class TriggerOrders {
 public:
  // Pending trigger orders an account may hold at once. Each costs nothing until its market's price
  // moves, but every one is state that every replica keeps and every snapshot carries: 32 covers a
  // stop and a take-profit on each of 16 positions.
  static constexpr size_t kMaxPerAccount = 32;

  // Refuses an order beyond the account's cap (Error::BookFull, Backpack's ORDER_LIMIT, naming the
  // cap) or a client id already used by one of its pending orders (DuplicateClientOrderId).
  Status can_add(AccountId account, uint32_t client_id) const;
  // The room an account's trigger orders take against the cap: its own pending trigger orders, and
  // for each open order carrying a take-profit or stop-loss the ones it asked for, reserved from its
  // placement until it is done (made or not yet), so that a fill can always create them: a position
  // whose protection silently failed to appear would be worse than an order refused at entry.
  size_t slots_of(AccountId account) const;
  void add(TriggerOrder t);
  // Removes and returns a pending order (nullopt when there is none with that id).
  std::optional<TriggerOrder> take(OrderId id);

  const TriggerOrder* find(OrderId id) const;
  std::optional<OrderId> by_client(AccountId account, uint32_t client_id) const;
  // The account's pending orders in `market` (kAllMarkets: every market), by id.
  std::vector<OrderId> of_account(AccountId account, MarketId market) const;
  size_t count_of(AccountId account) const;

  // The order a price move fires next in `market`, given its last trade price and mark price (0: none
  // yet): within one price and direction, the trigger the move reaches first, then the lowest id;
  // between them, the lowest id. nullopt: none is reached.
  std::optional<OrderId> next_to_fire(MarketId market, int64_t last, int64_t mark) const;
  // Whether any pending order of `market` watches the mark price (the engine prices it only then).
  bool watches_mark(MarketId market) const;
  // Markets with pending orders, increasing.
  std::vector<MarketId> markets() const;

  bool empty() const { return orders_.empty() && attached_.empty(); }
  size_t size() const { return orders_.size(); }
  const std::map<OrderId, TriggerOrder>& all() const { return orders_; }
  // A pending order's quantity grows (a take-profit or stop-loss whose parent filled again).
  void add_quantity(OrderId id, int64_t quantity);

  // Take-profit and stop-loss of open orders, by the order's id.
  void attach(OrderId parent, Attached a);
  Attached* attached(OrderId parent);
  void detach(OrderId parent);
  const std::map<OrderId, Attached>& all_attached() const { return attached_; }

  // Canonical bytes (snapshot and state root): u32 n, then by increasing id: u64 id, u32 account,
  // u16 market, u8 side, u8 type, u8 time in force, u8 stp, i64 price, i64 quantity, u32 client id,
  // i64 trigger price, u8 trigger by, u8 flags (1: rises, 2: the quantity is a share of the position
  // in basis points), u8 role, u64 parent, u64 sibling; then u32 n, and by
  // increasing parent id its Attached: u64 parent, u32 account, u16 market, u8 side, i64 take-profit
  // trigger, i64 its limit, u8 its source, the same three for the stop-loss, u64 take-profit id,
  // u64 stop-loss id.
  void write(ByteWriter& w) const;
  // Strict: ids increasing; enums in range; positive quantity and trigger price; no account's
  // slots over the cap; no client id twice for one account. The engine checks what depends on its state.
  Status read(ByteReader& r);

 private:
  // Per market, price source and direction: (trigger key, id) in the order a move reaches them. A
  // rising set keys by the trigger price (lowest first), a falling one by its negation (highest first).
  using Queue = std::set<std::pair<int64_t, OrderId>>;
  struct MarketQueues {
    Queue rising[2];   // by TriggerBy
    Queue falling[2];
    bool empty() const { return rising[0].empty() && rising[1].empty() && falling[0].empty() && falling[1].empty(); }
  };
  static std::pair<int64_t, OrderId> key_of(const TriggerOrder& t) {
    return {t.rises ? t.order.trigger_price : -t.order.trigger_price, t.id};
  }
  Queue& queue_of(const TriggerOrder& t) {
    MarketQueues& q = queues_[t.order.market];
    const auto by = static_cast<size_t>(t.order.trigger_by);
    return t.rises ? q.rising[by] : q.falling[by];
  }
  static uint64_t client_key(AccountId a, uint32_t client_id) { return (static_cast<uint64_t>(a) << 32) | client_id; }

  std::map<OrderId, TriggerOrder> orders_;
  std::map<MarketId, MarketQueues> queues_;
  std::map<AccountId, size_t> per_account_;
  std::map<AccountId, size_t> slots_;  // see slots_of
  std::map<uint64_t, OrderId> clients_;  // (account << 32 | client id) -> pending order
  std::map<OrderId, Attached> attached_;
};

}  // namespace glassbook::engine
