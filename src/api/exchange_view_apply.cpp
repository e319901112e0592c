// ExchangeView::apply: one durable command through the shadow engine, its events folded into orders,
// fills, deposits, market data and perpetual positions and funding, and the WebSocket frames they cause.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <variant>

#include "api/book_levels.h"
#include "api/exchange_view.h"
#include "api/iso_time.h"
#include "api/stream_json.h"
#include "engine/request_text.h"
#include "engine/request_translate.h"

namespace glassbook::api {

namespace {

using engine::Event;
using engine::EventKind;

// The orders a command places, in order: the descriptions (type, time in force, self-trade
// prevention) its OrderAccepted events do not carry. Read before the shadow applies the command.
std::vector<engine::PlaceOrder> placements_of(const engine::Engine& shadow, const engine::Command& c) {
  std::vector<engine::PlaceOrder> out;
  if (const auto* p = std::get_if<engine::PlaceOrder>(&c.body)) {
    out.push_back(*p);
  } else if (const auto* r = std::get_if<engine::SignedRequest>(&c.body)) {
    const auto text = engine::parse_request_text(r->text);
    const auto account = shadow.account_of(c.signer);
    if (!text || !account) return out;  // the engine refuses it too
    auto bodies = engine::translate_request(*text, shadow.config(), *account);
    if (!bodies) return out;
    for (const auto& b : *bodies)
      if (const auto* p = std::get_if<engine::PlaceOrder>(&b)) out.push_back(*p);
  }
  return out;
}

[[noreturn]] void determinism_failure(const engine::Command& c, std::span<const Event> expected, std::span<const Event> got) {
  std::fprintf(stderr, "glassbook: exchange view diverged at seq %llu (%s): %zu events given, %zu from the shadow\n",
               static_cast<unsigned long long>(c.seq), engine::command_name(c.body), expected.size(), got.size());
  for (size_t i = 0; i < std::max(expected.size(), got.size()); ++i) {
    std::fprintf(stderr, "  given:  %s\n", i < expected.size() ? engine::describe(expected[i]).c_str() : "-");
    std::fprintf(stderr, "  shadow: %s\n", i < got.size() ? engine::describe(got[i]).c_str() : "-");
  }
  std::abort();
}

}  // namespace

struct ExchangeView::Pass {
  // What one command did to one market.
  struct Touched {
    MarketId market;
    std::vector<int64_t> bid_levels, ask_levels;  // prices whose aggregate may have changed
    bool traded = false;
  };

  ExchangeView& view;
  const engine::Command& cmd;
  std::vector<StreamFrame>& frames;
  const std::function<bool(std::string_view)>& wants;
  std::vector<engine::PlaceOrder> placements;
  size_t next_placement = 0;
  std::vector<Touched> touched;  // in the order first touched
  // Oracle prices: each market's funding time before them (the end of the interval it may fund).
  std::vector<Timestamp> funding_before;
  std::vector<AccountId> liquidating;  // accounts whose LiquidationStarted this command emitted

  bool want(const std::string& key) const { return !wants || wants(key); }

  Touched& touch(MarketId m) {
    for (Touched& t : touched)
      if (t.market == m) return t;
    touched.push_back(Touched{m, {}, {}, false});
    return touched.back();
  }
  void level(MarketId m, book::Side side, int64_t price) {
    Touched& t = touch(m);
    (side == book::Side::Buy ? t.bid_levels : t.ask_levels).push_back(price);
  }
  MarketView market_view(MarketId m) const { return MarketView{*view.config_, m, view.markets_[m].format}; }

  void order_frame(const OrderRecord& o, std::string_view kind, const FillDetail* fill = nullptr) {
    const MarketState& ms = view.markets_[o.market];
    // (Built by appending: GCC 12 warns falsely on "literal" + std::string.)
    const std::string account = std::to_string(o.account);
    std::string all_key("account.orderUpdate#");
    all_key.append(account);
    std::string market_key(ms.order_stream);
    market_key.append("#").append(account);
    const bool all = want(all_key), one = want(market_key);
    if (!all && !one) return;
    const std::string data = order_event(market_view(o.market), kind, o, cmd.timestamp, fill);
    if (all) frames.push_back({std::move(all_key), stream_frame("account.orderUpdate", data)});
    if (one) frames.push_back({std::move(market_key), stream_frame(ms.order_stream, data)});
  }

  void on_accepted(const Event& e) {
    // A fired trigger order enters under its own id: its record is already open (triggerPlaced sent).
    // Its size is the one it entered with: a share of the position, or a take-profit clipped to what
    // was left to reduce, is known only now.
    if (OrderRecord* fired = view.history(e.account).open_order(e.order_id)) {
      fired->price = e.price;
      fired->quantity = fired->remaining = e.quantity;
      return;
    }
    const engine::PlaceOrder* p = take_placement(e);
    OrderRecord o;
    o.id = e.order_id;
    o.account = e.account;
    o.market = e.market;
    o.side = e.side;
    if (p != nullptr) {
      o.type = p->type;
      o.tif = p->tif;
      o.stp = p->stp;
      o.take_profit_trigger = p->take_profit_trigger;
      o.take_profit_limit = p->take_profit_limit;
      o.take_profit_by = p->take_profit_by;
      o.stop_loss_trigger = p->stop_loss_trigger;
      o.stop_loss_limit = p->stop_loss_limit;
      o.stop_loss_by = p->stop_loss_by;
    }
    o.client_id = e.client_id;
    o.price = e.price;
    o.quantity = o.remaining = e.quantity;
    o.created_at = cmd.timestamp;
    AccountHistory& h = view.history(e.account);
    h.open(o);
    order_frame(o, "orderAccepted");
  }

  // The request of the order this event opens: the command's next placement, when it is this order's.
  const engine::PlaceOrder* take_placement(const Event& e) {
    const engine::PlaceOrder* p = next_placement < placements.size() ? &placements[next_placement] : nullptr;
    ++next_placement;
    return p != nullptr && p->account == e.account && p->market == e.market ? p : nullptr;
  }

  // A trigger order: waits outside the book (TriggerPending) with the description its request gave.
  void on_trigger_accepted(const Event& e) {
    AccountHistory& h = view.history(e.account);
    // A take-profit or stop-loss its order's fills made (or grew): no request of its own.
    const bool attached = e.maker_order_id != 0;
    if (OrderRecord* grown = attached ? h.open_order(e.order_id) : nullptr) {
      grown->quantity = grown->remaining = e.quantity;
      return;
    }
    const engine::PlaceOrder* p = attached ? nullptr : take_placement(e);
    OrderRecord o;
    o.type = e.remaining != 0 ? engine::OrderType::Limit : engine::OrderType::Market;
    o.price = e.remaining;
    o.related = e.maker_order_id;
    o.id = e.order_id;
    o.account = e.account;
    o.market = e.market;
    o.side = e.side;
    o.client_id = e.client_id;
    o.trigger_price = e.price;
    if (p != nullptr) {
      o.type = p->type;
      o.tif = p->tif;
      o.stp = p->stp;
      o.price = p->price;
      o.trigger_by = p->trigger_by;
      o.quantity_share_bps = p->quantity_share_bps;
    }
    if (const engine::TriggerOrder* t = view.shadow_->trigger_orders().find(e.order_id)) o.trigger_by = t->order.trigger_by;
    o.quantity = o.remaining = e.quantity;
    o.created_at = cmd.timestamp;
    o.status = OrderStatus::TriggerPending;
    h.open(o);
    order_frame(o, "orderAccepted");
  }
  void on_trigger_fired(const Event& e) {
    OrderRecord* o = view.history(e.account).open_order(e.order_id);
    if (o == nullptr) return;
    o->status = OrderStatus::New;
    o->triggered_at = cmd.timestamp;
    order_frame(*o, "triggerPlaced");
  }
  void on_trigger_failed(const Event& e) {
    AccountHistory& h = view.history(e.account);
    OrderRecord* o = h.open_order(e.order_id);
    if (o == nullptr) return;
    o->status = OrderStatus::TriggerFailed;
    o->remaining = 0;
    order_frame(*o, "triggerFailed");
    h.close(e.order_id);
  }

  void on_rested(const Event& e) {
    level(e.market, e.side, e.price);
    if (OrderRecord* o = view.history(e.account).open_order(e.order_id)) {
      o->resting = true;
      o->remaining = e.remaining;
    }
  }

  // One side of a trade: the order's fill, its new state and its update frame.
  void fill(MarketId market, const PublicTrade& t, __int128 quote, AccountId account, OrderId id, book::Side side, bool maker,
            int64_t remaining, int64_t fee) {
    const engine::MarketConfig& mc = view.config_->markets[market];
    const bool perp = mc.kind == engine::MarketKind::Perpetual;
    // Perpetual fees are charged in the margin asset; spot fees in what the side receives.
    const AssetId fee_asset = perp ? view.config_->risk.margin_asset : side == book::Side::Buy ? mc.base : mc.quote;
    FillRecord f{t.id, id, 0, market, side, maker, t.price, t.quantity, fee, fee_asset, t.timestamp};
    AccountHistory& h = view.history(account);
    OrderRecord* o = h.open_order(id);
    // The taker of a liquidation: the engine's order for a liquidated account (no OrderAccepted).
    if (o == nullptr && !maker && std::find(liquidating.begin(), liquidating.end(), account) != liquidating.end())
      f.system = SystemOrder::LiquidationBook;
    if (perp) view.track_fee(account, market, fee);
    if (o != nullptr) {
      f.client_id = o->client_id;
      o->executed += t.quantity;
      o->executed_quote += quote;
      o->remaining = remaining;
      o->status = remaining == 0 ? OrderStatus::Filled : OrderStatus::PartiallyFilled;
      if (remaining == 0) o->resting = false;
    }
    h.add_fill(f);
    if (o == nullptr) return;
    const FillDetail detail{t.id, t.price, t.quantity, maker, fee, f.fee_asset};
    order_frame(*o, "orderFill", &detail);
    if (o->status == OrderStatus::Filled) h.close(id);
  }
  void on_trade(const Event& e) {
    MarketState& ms = view.markets_[e.market];
    const bool taker_buys = e.side == book::Side::Buy;
    const PublicTrade t{++ms.data.trade_count, e.price, e.quantity, taker_buys ? e.order_id : e.maker_order_id,
                        taker_buys ? e.maker_order_id : e.order_id, !taker_buys, cmd.timestamp};
    const __int128 quote = ms.format.notional(e.price, e.quantity);
    ms.data.add_trade(t, quote);
    level(e.market, book::opposite(e.side), e.price);
    touch(e.market).traded = true;
    if (want(ms.trade_key)) frames.push_back({ms.trade_key, stream_frame(ms.trade_key, trade_event(market_view(e.market), t))});
    fill(e.market, t, quote, e.account, e.order_id, e.side, false, e.remaining, e.taker_fee);
    fill(e.market, t, quote, e.maker_account, e.maker_order_id, book::opposite(e.side), true, e.maker_remaining, e.maker_fee);
  }

  void on_cancelled(const Event& e) {
    AccountHistory& h = view.history(e.account);
    OrderRecord* o = h.open_order(e.order_id);
    if (o == nullptr || o->resting) level(e.market, e.side, e.price);  // a taker's remainder never rested
    if (o == nullptr) return;
    o->resting = false;
    o->remaining = 0;
    o->cause = e.cause;
    const bool user = e.cause == engine::CancelCause::User;
    o->status = user ? OrderStatus::Cancelled : OrderStatus::Expired;
    order_frame(*o, user ? "orderCancelled" : "orderExpired");
    h.close(e.order_id);
  }

  void on_amended(const Event& e) {
    OrderRecord* o = view.history(e.account).open_order(e.order_id);
    if (o == nullptr) {
      level(e.market, e.side, e.price);
      return;
    }
    // The book amends in place (keeping priority) when the price stays and the quantity does not
    // grow; otherwise it takes the order out and re-inserts it, and an OrderRested may follow.
    const bool in_place = e.price == o->price && e.quantity <= o->remaining;
    if (o->resting) level(e.market, e.side, o->price);
    if (!in_place) o->resting = false;
    o->price = e.price;
    o->remaining = e.quantity;
    o->quantity = o->executed + e.quantity;
    order_frame(*o, "orderModified");
  }

  // The insurance fund (client_id 0) or auto-deleveraging (1) takes over part of a liquidated
  // position at the bankruptcy price: a fill for each side, without trade or order.
  void on_taken_over(const Event& e) {
    const SystemOrder how = e.client_id == 0 ? SystemOrder::LiquidationBackstop : SystemOrder::LiquidationAdl;
    const AssetId margin = view.config_->risk.margin_asset;
    FillRecord f{0, 0, 0, e.market, book::opposite(e.side), false, e.price, e.quantity, 0, margin, cmd.timestamp, how};
    view.history(e.account).add_fill(f);
    f.side = e.side;
    f.maker = true;
    view.history(e.maker_account).add_fill(f);
  }

  void on_deposited(const Event& e) {
    view.history(e.account).add_deposit(DepositRecord{e.order_id, e.asset, e.quantity, cmd.timestamp, false});
  }

  // Depth, book ticker, ticker and K-line frames of a market the command changed.
  void publish(const Touched& t) {
    MarketState& ms = view.markets_[t.market];
    if (t.bid_levels.empty() && t.ask_levels.empty()) return;
    const uint64_t update_id = ++ms.data.update_id;
    const MarketView mv = market_view(t.market);
    if (want(ms.depth_key)) {
      const auto asks = levels_at(*view.shadow_, t.market, book::Side::Sell, t.ask_levels);
      const auto bids = levels_at(*view.shadow_, t.market, book::Side::Buy, t.bid_levels);
      frames.push_back({ms.depth_key, stream_frame(ms.depth_key, depth_event(mv, asks, bids, update_id, cmd.timestamp))});
    }
    const TopOfBook top = top_of_book(*view.shadow_, t.market);
    if (!(top == ms.data.top)) {
      ms.data.top = top;
      if (want(ms.book_ticker_key))
        frames.push_back({ms.book_ticker_key, stream_frame(ms.book_ticker_key, book_ticker_event(mv, top, update_id, cmd.timestamp))});
    }
    if (!t.traded) return;
    if (want(ms.ticker_key))
      frames.push_back({ms.ticker_key, stream_frame(ms.ticker_key, ticker_event(mv, ms.data.ticker(cmd.timestamp), cmd.timestamp))});
    const int64_t now_s = floor_div(cmd.timestamp, 1'000'000);
    for (size_t i = 0; i < kKlineIntervals.size(); ++i) {
      if (!want(ms.kline_keys[i])) continue;
      const Candle c = ms.data.candle_at(kKlineIntervals[i], now_s);
      frames.push_back({ms.kline_keys[i], stream_frame(ms.kline_keys[i], kline_event(mv, kKlineIntervals[i], c, cmd.timestamp))});
    }
  }

  void run(std::span<const Event> events) {
    for (const Event& e : events) {
      switch (e.kind) {
        case EventKind::Rejected: ++next_placement; break;  // a refused order of a batch (or the whole command)
        case EventKind::OrderAccepted: on_accepted(e); break;
        case EventKind::OrderRested: on_rested(e); break;
        case EventKind::Trade: on_trade(e); break;
        case EventKind::OrderCancelled: on_cancelled(e); break;
        case EventKind::OrderAmended: on_amended(e); break;
        case EventKind::Deposited:
          on_deposited(e);
          view.custody_frame(cmd, e, frames, wants);
          break;
        case EventKind::ConfigApplied: view.install_config(); break;
        case EventKind::PositionChanged: view.track_position(e, cmd.seq); break;
        case EventKind::FundingPaid:
          view.track_funding(e, e.market < funding_before.size() ? funding_before[e.market] : cmd.timestamp);
          break;
        case EventKind::LiquidationStarted: liquidating.push_back(e.account); break;
        case EventKind::PositionTakenOver: on_taken_over(e); break;
        case EventKind::TriggerAccepted: on_trigger_accepted(e); break;
        case EventKind::TriggerFired: on_trigger_fired(e); break;
        case EventKind::TriggerFailed: on_trigger_failed(e); break;
        // Balances (bad debt, margin transfers), pauses and isolated accounts are read from the shadow when asked.
        case EventKind::AccountRegistered:
        case EventKind::ConfigApproved:
        case EventKind::BadDebtCovered:
        case EventKind::MarketPaused:
        case EventKind::IsolatedOpened:
        case EventKind::MarginTransferred:
        case EventKind::CollateralConverted:
        case EventKind::LossSocialized:
        case EventKind::WithdrawalRequested:
        case EventKind::WithdrawalApproved:
        case EventKind::WithdrawalBroadcast:
        case EventKind::WithdrawalConfirmed:
        case EventKind::WithdrawalFailed:
        case EventKind::WithdrawalCancelled:
          view.withdrawals_.on_event(e, *view.shadow_, cmd.timestamp);
          view.custody_frame(cmd, e, frames, wants);
          break;
        case EventKind::DepositReversed:
          if (DepositRecord* d = view.history(e.account).find_deposit(e.order_id)) d->reversed = true;
          view.custody_frame(cmd, e, frames, wants);
          break;
        case EventKind::WithdrawalAddressAdded:
        case EventKind::WithdrawalAddressRemoved:
        case EventKind::WithdrawalApproval: view.custody_frame(cmd, e, frames, wants); break;
        case EventKind::DepositAttested:
        case EventKind::WithdrawalAttested:
        case EventKind::DepositReversalAttested:
        case EventKind::FundingSkipped:
        case EventKind::DepositAddressRecorded:
        case EventKind::DistributionDeclared:
        case EventKind::DistributionCompleted:
        case EventKind::CustodyVote:
        case EventKind::WalletRegistered:
        case EventKind::WalletBalanceObserved:
        case EventKind::Reconciled:
        case EventKind::ReconciliationAlertRaised:
        case EventKind::ReconciliationAlertResolved: break;
        // An account's claim events (view_claims.h): its claims, payouts and account.claimUpdate frames.
        case EventKind::ClaimAttested:
        case EventKind::ClaimLinked:
        case EventKind::KycAttested:
        case EventKind::ClaimUnitsIssued:
        case EventKind::DistributionPaid:
        case EventKind::DistributionEscrowed:
        case EventKind::EscrowReleased: view.claims_.on_event(e, cmd, *view.shadow_, frames, wants); break;
        case EventKind::ClaimTransferred:
          view.claim_transfers_.add(engine::claim_transfer_of(cmd, e));
          view.claims_.on_event(e, cmd, *view.shadow_, frames, wants);
          break;
      }
    }
    for (const Touched& t : touched) publish(t);
  }
};

void ExchangeView::apply(const engine::Command& command, std::span<const engine::Event> events, std::vector<StreamFrame>& frames,
                         const std::function<bool(std::string_view key)>& wants) {
  fold(command, &events, frames, wants);
}

void ExchangeView::replay(const engine::Command& command) {
  std::vector<StreamFrame> none;
  static const std::function<bool(std::string_view)> no_frames = [](std::string_view) { return false; };
  fold(command, nullptr, none, no_frames);
}

void ExchangeView::fold(const engine::Command& command, const std::span<const engine::Event>* expected,
                        std::vector<StreamFrame>& frames, const std::function<bool(std::string_view key)>& wants) {
  std::unique_lock lock(mutex_);
  if (command.seq <= shadow_->last_seq()) return;  // already part of the shadow's state
  Pass pass{*this, command, frames, wants, placements_of(*shadow_, command), 0, {}, {}, {}};
  const bool oracle = engine::is_oracle(command.body);
  if (oracle) pass.funding_before = funding_times();  // only oracle updates apply funding
  const std::span<const engine::Event> own = shadow_->apply(command);
  if (expected != nullptr && !std::equal(own.begin(), own.end(), expected->begin(), expected->end()))
    determinism_failure(command, *expected, own);
  pass.run(own);
  if (oracle) record_fundings(pass.funding_before);
  record_report(command, own);
  record_fund();
}

}  // namespace glassbook::api
