// The engine's command handlers: accounts, deposits, and spot orders with settlement and fees.
#include "engine/engine.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>

#include "core/checked.h"
#include "core/decimal.h"
#include "engine/order_checks.h"
#include "engine/quote_walk.h"
#include "engine/state_buckets.h"

namespace glassbook::engine {

namespace {

// Ledger movements the engine derives from a valid book event cannot fail; if one does, the state
// is no longer trustworthy and the process stops rather than continue on a broken ledger.
void must(const Status& s, const char* what) {
  if (!s) {
    std::fprintf(stderr, "glassbook: internal invariant broken in %s: %s\n", what, s.to_string().c_str());
    std::abort();
  }
}

CancelCause cause_of(book::CancelReason r) {
  switch (r) {
    case book::CancelReason::User: return CancelCause::User;
    case book::CancelReason::IocRemainder: return CancelCause::IocRemainder;
    case book::CancelReason::FokUnfilled: return CancelCause::FokUnfilled;
    case book::CancelReason::PostOnlyWouldCross: return CancelCause::PostOnlyWouldCross;
    case book::CancelReason::SelfTrade: return CancelCause::SelfTrade;
    default: return CancelCause::User;
  }
}

uint64_t client_key(AccountId a, uint32_t client_id) { return (static_cast<uint64_t>(a) << 32) | client_id; }

}  // namespace

Engine::Engine(ExchangeConfig config)
    : config_(std::move(config)), ledger_(config_.assets.size()), state_buckets_(std::make_unique<StateBuckets>()) {
  auto scales = validate_config(config_);
  if (!scales) throw std::invalid_argument(scales.status().to_string());
  for (size_t i = 0; i < config_.markets.size(); ++i) add_market(config_.markets[i], scales.value()[i]);
  if (has_perpetuals(config_) || has_margin_asset(config_))
    ledger_.set_margin_asset(config_.risk.margin_asset);
  oracle_.assign(config_.assets.size(), std::vector<risk::OracleSample>(config_.oracle_sources.keys.size()));
  report_times_.assign(config_.oracle_sources.keys.size(), 0);
  index_groups();
  install_estates();
  ledger_.ensure_account(kFirstCustomer - 1);
  margin_.resize(kFirstCustomer);
  ledger_.watch(has_perpetuals(config_) ? &changed_ : nullptr);
  rewatch_all();
  index_holders();
#ifdef GLASSBOOK_CHECK_INVARIANTS
  log_changes(true);
#endif
  events_.reserve(256);
  book_events_.reserve(256);
}

Engine::~Engine() = default;

void Engine::add_market(const MarketConfig& cfg, const MarketScale& scale) {
  Market m;
  m.cfg = cfg;
  m.scale = scale;
  m.book = std::make_unique<book::OrderBook>(book::BookConfig{m.scale.max_price_ticks, m.cfg.max_orders});
  markets_.push_back(std::move(m));
}

std::optional<AccountId> Engine::account_of(const crypto::PublicKey& key) const {
  auto it = keys_.find(key);
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

std::span<const Event> Engine::apply(const Command& c) {
  events_.clear();
  Status s;
  if (c.seq <= last_seq_ || c.timestamp < last_timestamp_) {
    s = Status(Error::InvalidArgument, "command out of sequence");
  } else {
    if (logging_changes_) {
      ledger_.begin_changes();
      positions_before_.clear();
      positions_logged_.clear();
    }
    last_seq_ = c.seq;
    previous_timestamp_ = last_timestamp_;
    last_timestamp_ = c.timestamp;
    touched_.clear();
    touched_ids_.clear();
    band_stop_.reset();
    // A quote quantity has no place in the native encoding: replaying the journal would lose it.
    // Nor has a trigger price.
    if (const auto* order = std::get_if<PlaceOrder>(&c.body); order != nullptr && order->quote_quantity != 0)
      s = Status(Error::InvalidArgument, "a native PlaceOrder cannot carry a quote quantity: send it as a signed request");
    else if (order != nullptr && (order->trigger_price != 0 || order->take_profit_trigger != 0 || order->stop_loss_trigger != 0 ||
                                  order->take_profit_limit != 0 || order->stop_loss_limit != 0))
      s = Status(Error::InvalidArgument, "a native PlaceOrder cannot carry a trigger, take-profit or stop-loss price: send it as a signed request");
    else
      s = std::visit([&](const auto& body) { return on(c, body); }, c.body);
    // Trigger orders the command's trades (or prices) reached enter now, before the margin check
    // below judges every position the command moved, theirs included.
    if (s && !triggers_.empty()) fire_triggers(c);
    // Positions moved: their owners (and their counterparties) are checked against maintenance
    // margin on the same command.
    const auto judge_touched = [&] {
      touched_ids_.clear();
      for (auto a = touched_.take_next(0); a; a = touched_.take_next(*a + 1)) touched_ids_.push_back(*a);
      const RiskPrices prices = current_prices(c.timestamp);
      check_liquidations(c, prices, touched_ids_);
      // An account this command left flat carries no margin debt past it.
      for (AccountId a : touched_ids_)
        if (is_customer(a) && flat(a) && margin_debt(a) > 0) settle_debt(c, a, prices);
    };
    if (s && !touched_.empty()) judge_touched();
    // Whatever moved the fund's equity (a price, funding, its own fills, a payment), it ends the
    // command at or above its floor while it holds positions; the accounts its deleveraging closed
    // against are judged in turn (they can only take over within the floor's room, so this ends).
    if (s && kInsuranceAccount < margin_.size() && !margin_[kInsuranceAccount].positions.empty()) {
      guard_fund_floor(c, current_prices(c.timestamp));
      if (!touched_.empty()) judge_touched();
    }
  }
  if (!s) {
    events_.clear();
    Event e;
    e.kind = EventKind::Rejected;
    e.error = s.code();
    e.message = s.message();
    last_error_ = s.message();
    events_.push_back(std::move(e));
  }
#ifdef GLASSBOOK_CHECK_INVARIANTS
  // Every command's changes; the whole state too while it is small, and every 4096 commands.
  Status inv = check_last_command();
  if (inv && (ledger_.account_count() <= 4096 || c.seq % 4096 == 0)) inv = check_invariants();
  // The cached state root against one from scratch: a write that escaped its bucket's mark shows.
  if (inv && (ledger_.account_count() <= 256 || c.seq % 1024 == 0)) inv = check_state_root();
  if (!inv) {
    std::fprintf(stderr, "glassbook: invariant broken after command %llu (%s): %s\n",
                 static_cast<unsigned long long>(c.seq), command_name(c.body), inv.to_string().c_str());
    std::abort();
  }
#endif
  return events_;
}

Status Engine::reject(Error code, std::string message) { return Status(code, std::move(message)); }

Status Engine::authorize(const Command& c, AccountId account) const {
  if (!is_customer(account) || account - kFirstCustomer >= account_keys_.size())
    return Status(Error::UnknownAccount, "unknown account " + std::to_string(account));
  if (account_keys_[account - kFirstCustomer] != c.signer)
    return Status(Error::Unauthorized, "command not signed by the account's key");
  return {};
}

Result<MarketId> Engine::market_of(MarketId m) const {
  if (m >= markets_.size()) return {Error::UnknownMarket, "unknown market " + std::to_string(m)};
  return m;
}

Status Engine::on(const Command& c, const RegisterAccount& r) {
  if (c.signer != r.key) return reject(Error::Unauthorized, "registration must be signed by the key it registers");
  if (keys_.contains(r.key)) return reject(Error::DuplicateAccountKey, "key already bound to an account");
  if (account_keys_.size() >= (1u << 30)) return reject(Error::InvalidArgument, "account limit reached");
  AccountId id = kFirstCustomer + static_cast<AccountId>(account_keys_.size());
  account_keys_.push_back(r.key);
  keys_.emplace(r.key, id);
  ledger_.ensure_account(id);
  margin_.resize(static_cast<size_t>(id) + 1);
  Event e;
  e.kind = EventKind::AccountRegistered;
  e.account = id;
  events_.push_back(e);
  return {};
}

Status Engine::on(const Command& c, const Deposit& d) {
  if (!config_.chain_watchers.contains(c.signer))
    return reject(Error::Unauthorized, "deposits must be signed by a chain watcher");
  // Customers' deposits, and the insurance fund's capital (its own segregated wallet).
  const bool fund = d.account == kInsuranceAccount;
  if (!fund && (!is_customer(d.account) || d.account - kFirstCustomer >= account_keys_.size()))
    return reject(Error::UnknownAccount, "unknown account " + std::to_string(d.account));
  if (isolated_.contains(d.account))
    return reject(Error::InvalidArgument, "an isolated account takes no deposits: its owner moves margin to it");
  if (d.asset >= config_.assets.size()) return reject(Error::UnknownAsset, "unknown asset " + std::to_string(d.asset));
  if (estate_of_claim_asset(config_, d.asset))  // claim units exist only against attested claims (engine_claims.cpp)
    return reject(Error::InvalidArgument, "asset " + config_.assets[d.asset].symbol + " is an estate's claim units: it cannot be deposited");
  if (d.amount <= 0) return reject(Error::InvalidQuantity, "deposit amount must be positive");
  if (deposits_seen_.contains(d.deposit_id)) return reject(Error::DuplicateDeposit, "deposit " + std::to_string(d.deposit_id) + " already credited");
  // A deposit above the asset's large-deposit limit waits for the chain watchers' threshold of
  // distinct attestations: no single watcher key can mint funds beyond that limit.
  const uint32_t needed = attestations_needed(config_, d.asset, d.amount);
  const bool attested = needed > 1 || pending_deposits_.all().contains(d.deposit_id);
  if (attested) {
    auto counted = pending_deposits_.count_with(d, c.signer);
    if (!counted) return reject(counted.code(), counted.status().message());
    if (*counted < needed) {
      (void)pending_deposits_.attest(d, c.signer);
      Event e;
      e.kind = EventKind::DepositAttested;
      e.account = d.account;
      e.asset = d.asset;
      e.quantity = d.amount;
      e.order_id = d.deposit_id;
      e.client_id = static_cast<uint32_t>(*counted);
      e.remaining = needed;
      events_.push_back(e);
      return {};
    }
  }
  if (auto s = ledger_.transfer(kWorldAccount, d.account, d.asset, d.amount); !s) return s;
  if (attested) pending_deposits_.erase(d.deposit_id);
  deposits_seen_.insert(d.deposit_id);
  Event e;
  e.kind = EventKind::Deposited;
  e.account = d.account;
  e.asset = d.asset;
  e.quantity = d.amount;
  e.order_id = d.deposit_id;
  events_.push_back(e);
  return {};
}

int64_t Engine::hold_for(const Market& m, book::Side side, book::Ticks ticks, book::Lots lots) const {
  __int128 v = side == book::Side::Buy ? static_cast<__int128>(ticks) * lots * m.scale.notional_per_tick_lot
                                       : static_cast<__int128>(lots) * m.cfg.lot_size;
  return v > INT64_MAX ? -1 : static_cast<int64_t>(v);  // -1: out of range
}


Status Engine::on(const Command& c, const PlaceOrder& p) {
  if (p.trigger_price != 0) return place_trigger(c, p);
  auto mid = market_of(p.market);
  if (!mid) return mid.status();
  if (auto s = authorize(c, p.account); !s) return s;
  if (auto link = isolated(p.account); link && link->market != p.market)
    return reject(Error::InvalidArgument, "an isolated account trades only " + markets_[link->market].cfg.symbol);
  Market& m = markets_[p.market];
  // A claim market: the account must be eligible now (claims_trading.cpp); its makers are judged below.
  const std::optional<size_t> estate = claim_estate(p.market);
  if (estate)
    if (auto s = check_claim_order(*estate, p.account, p.side, c.timestamp); !s) return s;
  const bool by_quote = p.quote_quantity != 0;
  if (by_quote && (p.type != OrderType::Market || p.quantity != 0 || p.quote_quantity < 0))
    return reject(Error::InvalidArgument, "a quote quantity is for a market order without a quantity, and positive");
  if (!by_quote)
    if (auto s = check_quantity(config_, m.cfg, p.quantity); !s) return s;
  book::Lots lots = p.quantity / m.cfg.lot_size;
  book::Ticks ticks = 0;
  book::TimeInForce tif = p.tif;
  if (p.type == OrderType::Limit || p.price != 0) {
    if (auto s = check_price(config_, m.cfg, p.price); !s) return s;
    ticks = p.price / m.cfg.tick_size;
  }
  if (p.type == OrderType::Market) {
    if (tif == book::TimeInForce::PostOnly) return reject(Error::InvalidArgument, "a market order cannot be post-only");
    if (tif == book::TimeInForce::GTC) tif = book::TimeInForce::IOC;
    // In a claim market only eligible makers count: the touch, and the levels a quote size walks.
    thread_local std::vector<book::OrderBook::Level> levels;  // reused: no allocation once warm
    if (estate) eligible_claim_levels(c, p.market, *estate, book::opposite(p.side), levels);
    const book::Ticks best = estate ? (levels.empty() ? 0 : levels.front().price)
                                    : p.side == book::Side::Buy ? m.book->best_ask() : m.book->best_bid();
    if (best == 0 && (ticks == 0 || by_quote))
      return reject(Error::InvalidPrice, fmt::format("a market order {}needs resting orders to trade against: the {} book has no {}",
                                                     by_quote ? "by quote quantity " : "without a price ", m.cfg.symbol,
                                                     p.side == book::Side::Buy ? "asks; send a price or a limit order" : "bids; send a price or a limit order"));
    if (ticks == 0) {  // no protection limit given: derive it from the touch
      const int64_t ppm = m.cfg.market_protection_ppm;
      ticks = p.side == book::Side::Buy ? std::min<int64_t>(*mul_div_ceil(best, 1'000'000 + ppm, 1'000'000), m.scale.max_price_ticks)
                                        : std::max<int64_t>(*mul_div_floor(best, 1'000'000 - ppm, 1'000'000), 1);
    }
    if (by_quote) {
      // The size in lots is read off the book as it stands (the engine is the book's only writer,
      // so the order then fills exactly that), and the last level reached becomes its limit.
      const QuoteWalk w = estate ? walk_levels_for_quote(levels, p.side, p.quote_quantity, m.scale.notional_per_tick_lot, ticks)
                                 : walk_for_quote(*m.book, p.side, p.quote_quantity, m.scale.notional_per_tick_lot, ticks, levels);
      if (w.lots == 0)
        return reject(Error::InvalidQuantity,
                      fmt::format("quoteQuantity {} {} {} not even one lot ({} {}) at the best price {}", quote_text(config_, m.cfg, p.quote_quantity),
                                  config_.assets[m.cfg.quote].symbol, p.side == book::Side::Buy ? "buys" : "sells for",
                                  base_text(config_, m.cfg, m.cfg.lot_size), config_.assets[m.cfg.base].symbol,
                                  quote_text(config_, m.cfg, price_of_ticks(p.market, best))));
      lots = w.lots;
      ticks = w.limit;
      if (auto s = check_quantity(config_, m.cfg, lots * m.cfg.lot_size); !s) return s;
    }
  }
  if (p.client_id != 0 && (client_ids_.contains(client_key(p.account, p.client_id)) || triggers_.by_client(p.account, p.client_id)))
    return reject(Error::DuplicateClientOrderId, "client id already used by an open order");
  const bool attaches = p.take_profit_trigger != 0 || p.stop_loss_trigger != 0;
  if (attaches || p.take_profit_limit != 0 || p.stop_loss_limit != 0)
    if (auto s = check_attached(config_, m.cfg, p, triggers_.slots_of(p.account)); !s) return s;
  if (auto s = check_order_risk(c, m, p.market, p.account, p.side, ticks, lots, p.type == OrderType::Market); !s) return s;
  const int64_t hold = hold_for(m, p.side, ticks, lots);
  if (hold < 0) return notional_out_of_range(config_, m.cfg);
  const AssetId asset = hold_asset(m, p.side);
  // A spot order holds what it may spend; a perpetual order reserves its lots against margin.
  if (m.is_perp()) {
    PerpPosition& pos = position_slot(p.account, p.market);
    (p.side == book::Side::Buy ? pos.open_buy : pos.open_sell) += lots;
  } else if (auto s = ledger_.hold(p.account, asset, hold); !s) {
    return s;
  }
  auto undo_reserve = [&] {
    if (!m.is_perp()) return must(ledger_.release(p.account, asset, hold), "place: undo hold");
    PerpPosition& pos = position_slot(p.account, p.market);
    (p.side == book::Side::Buy ? pos.open_buy : pos.open_sell) -= lots;
    drop_if_empty(p.account, p.market);
  };

  // The resting orders this one would fill whose owners the fill would push deeper below
  // maintenance go first (the fill rule holds for makers as for takers).
  if (m.is_perp() && tif != book::TimeInForce::PostOnly) cancel_unsafe_makers(c, p.market, p.account, p.side, ticks, lots, nullptr);
  // Likewise the makers of a claim market whose owners may no longer trade (a post-only order too:
  // an ineligible maker must not make it cross).
  if (estate) cancel_ineligible_claim_makers(c, p.market, *estate, p.account, p.side, ticks, lots);
  const OrderId id = fired_id_.value_or(next_order_id_);  // a fired trigger order keeps its id
  if (attaches)
    triggers_.attach(id, Attached{p.account, p.market, p.side, p.take_profit_trigger, p.take_profit_limit, p.stop_loss_trigger,
                                  p.stop_loss_limit, p.take_profit_by, p.stop_loss_by, 0, 0});
  book_events_.clear();
  book::NewOrder no{id, p.account, p.side, ticks, lots, tif, p.stp};
  if (book::Reject r = m.book->add(no, book_events_); r != book::Reject::None) {
    if (attaches) triggers_.detach(id);
    undo_reserve();
    return reject(r == book::Reject::BookFull ? Error::BookFull : Error::InvalidArgument, "order refused by the book");
  }
  if (!fired_id_) ++next_order_id_;
  if (p.client_id != 0 && m.book->find(id) != nullptr) {
    client_ids_.emplace(client_key(p.account, p.client_id), id);
    order_client_.emplace(id, p.client_id);
  }
  settle(c, p.market, Taker{p.account, p.side, ticks, p.client_id});
  return {};
}

Status Engine::on(const Command& c, const CancelOrder& x) {
  auto mid = market_of(x.market);
  if (!mid) return mid.status();
  if (auto s = authorize(c, x.account); !s) return s;
  OrderId id = x.order_id;
  if (id == 0) {
    auto it = client_ids_.find(client_key(x.account, x.client_id));
    if (x.client_id != 0 && it == client_ids_.end()) {
      if (auto pending = triggers_.by_client(x.account, x.client_id); pending && cancel_trigger(x.account, x.market, *pending)) return {};
    }
    if (x.client_id == 0 || it == client_ids_.end()) return reject(Error::OrderNotFound, "no open order with that client id");
    id = it->second;
  }
  if (cancel_trigger(x.account, x.market, id)) return {};
  Market& m = markets_[x.market];
  const book::Order* o = m.book->find(id);
  if (o == nullptr || o->account != x.account) return reject(Error::OrderNotFound, "no open order " + std::to_string(id));
  const book::Side side = o->side;  // `o` dies with the cancel
  book_events_.clear();
  if (m.book->cancel(id, book_events_) != book::Reject::None) return reject(Error::OrderNotFound, "order not resting");
  settle(c, x.market, Taker{x.account, side, 0, 0});
  return {};
}

Status Engine::on(const Command& c, const CancelAll& x) {
  if (x.market != kAllMarkets) {
    auto mid = market_of(x.market);
    if (!mid) return mid.status();
  }
  if (auto s = authorize(c, x.account); !s) return s;
  for (MarketId mid = 0; mid < markets_.size(); ++mid) {
    if (x.market != kAllMarkets && x.market != mid) continue;
    book_events_.clear();
    markets_[mid].book->cancel_all(x.account, book_events_);
    settle(c, mid, Taker{x.account, book::Side::Buy, 0, 0});
  }
  for (OrderId id : triggers_.of_account(x.account, x.market)) cancel_trigger(x.account, triggers_.find(id)->order.market, id);
  return {};
}

Status Engine::on(const Command& c, const AmendOrder& a) {
  auto mid = market_of(a.market);
  if (!mid) return mid.status();
  if (auto s = authorize(c, a.account); !s) return s;
  Market& m = markets_[a.market];
  const book::Order* o = m.book->find(a.order_id);
  if (o == nullptr || o->account != a.account) {
    // A trigger order has no place in the book to move yet; what it would change (its trigger, its
    // limit) is its own, so it is replaced, not amended: one clear answer instead of "not found".
    const TriggerOrder* t = triggers_.find(a.order_id);
    if (t != nullptr && t->order.account == a.account && t->order.market == a.market)
      return reject(Error::InvalidArgument, fmt::format("order {} is a trigger order waiting for its price: cancel it and place a new one", a.order_id));
    return reject(Error::OrderNotFound, "no open order " + std::to_string(a.order_id));
  }
  if (auto s = check_price(config_, m.cfg, a.price); !s) return s;
  if (auto s = check_quantity(config_, m.cfg, a.quantity); !s) return s;
  const book::Side side = o->side;
  const std::optional<size_t> estate = claim_estate(a.market);
  if (estate)
    if (auto s = check_claim_order(*estate, a.account, side, c.timestamp); !s) return s;
  book::Ticks ticks = a.price / m.cfg.tick_size;
  const book::Lots lots = a.quantity / m.cfg.lot_size;
  const book::Lots old_lots = o->remaining;
  // The new order is judged like a new one, counting what the old one already reserved: pause,
  // band, and for an account with positions (or a perpetual) its margin.
  if (auto s = check_order_risk(c, m, a.market, a.account, side, ticks, lots, false, ReplacedOrder{o->price, old_lots}); !s)
    return s;
  const uint32_t client_id = [&] {
    auto it = order_client_.find(a.order_id);
    return it == order_client_.end() ? 0u : it->second;
  }();
  // Reserve the new order in place of the old: spot holds, or a perpetual's open lots.
  const AssetId asset = hold_asset(m, side);
  const int64_t old_hold = m.is_perp() ? 0 : hold_for(m, side, o->price, old_lots);
  const int64_t new_hold = m.is_perp() ? 0 : hold_for(m, side, ticks, lots);
  if (new_hold < 0) return notional_out_of_range(config_, m.cfg);
  if (new_hold > old_hold) {
    if (auto s = ledger_.hold(a.account, asset, new_hold - old_hold); !s) return s;
  } else if (new_hold < old_hold) {
    must(ledger_.release(a.account, asset, old_hold - new_hold), "amend: release");
  }
  auto reserve_lots = [&](int64_t delta) {
    PerpPosition& pos = position_slot(a.account, a.market);
    (side == book::Side::Buy ? pos.open_buy : pos.open_sell) += delta;
    drop_if_empty(a.account, a.market);
  };
  if (m.is_perp()) reserve_lots(lots - old_lots);
  if (m.is_perp()) cancel_unsafe_makers(c, a.market, a.account, side, ticks, lots, nullptr);
  if (estate) cancel_ineligible_claim_makers(c, a.market, *estate, a.account, side, ticks, lots);
  book_events_.clear();
  if (book::Reject r = m.book->amend(a.order_id, ticks, lots, book_events_); r != book::Reject::None) {
    if (new_hold > old_hold) must(ledger_.release(a.account, asset, new_hold - old_hold), "amend: undo hold");
    if (new_hold < old_hold) must(ledger_.hold(a.account, asset, old_hold - new_hold), "amend: undo release");
    if (m.is_perp()) reserve_lots(old_lots - lots);
    return reject(Error::InvalidArgument, "amend refused by the book");
  }
  settle(c, a.market, Taker{a.account, side, ticks, client_id});
  return {};
}

void Engine::release_order(MarketId mid, AccountId account, book::Side side, book::Ticks ticks, book::Lots lots) {
  const Market& m = markets_[mid];
  if (m.is_perp()) {
    PerpPosition& pos = position_slot(account, mid);
    (side == book::Side::Buy ? pos.open_buy : pos.open_sell) -= lots;
    drop_if_empty(account, mid);
    return;
  }
  const int64_t amount = hold_for(m, side, ticks, lots);
  if (amount > 0) must(ledger_.release(account, hold_asset(m, side), amount), "release order");
}

void Engine::forget_client_id(AccountId account, OrderId id) {
  auto it = order_client_.find(id);
  if (it == order_client_.end()) return;
  client_ids_.erase(client_key(account, it->second));
  order_client_.erase(it);
}

void Engine::settle(const Command& c, MarketId mid, const Taker& taker) {
  const Market& m = markets_[mid];
  // The fields every order event shares; the quantity goes to `quantity` or `remaining` by kind.
  auto order_event = [&](EventKind kind, const book::Event& be) {
    Event e;
    e.kind = kind;
    e.market = mid;
    e.account = be.account;
    e.order_id = be.id;
    e.side = be.side;
    e.price = be.price * m.cfg.tick_size;
    return e;
  };
  for (const book::Event& be : book_events_) {
    const int64_t qty = be.qty * m.cfg.lot_size;
    switch (be.kind) {
      case book::Event::Kind::Accepted: {
        Event e = order_event(EventKind::OrderAccepted, be);
        e.client_id = taker.client_id;
        e.quantity = qty;
        events_.push_back(e);
        break;
      }
      case book::Event::Kind::Rested: {
        Event e = order_event(EventKind::OrderRested, be);
        e.remaining = qty;
        events_.push_back(e);
        break;
      }
      case book::Event::Kind::Trade:
        if (m.is_perp()) settle_perp_trade(c, mid, taker, be);
        else settle_trade(c, mid, taker, be);
        if (!triggers_.all_attached().empty()) {  // take-profit and stop-loss of either order
          on_parent_fill(c, mid, be.account, be.id, be.side, qty);
          on_parent_fill(c, mid, be.maker_account, be.maker_id, book::opposite(be.side), qty);
          if (be.remaining == 0) on_parent_done(be.id);
          if (be.maker_remaining == 0) on_parent_done(be.maker_id);
        }
        break;
      case book::Event::Kind::Cancelled: {
        // An amend re-inserts the same order: its hold was already adjusted, its client id stays.
        if (be.reason == book::CancelReason::Amend) break;
        release_order(mid, be.account, be.side, be.price, be.qty);
        forget_client_id(be.account, be.id);
        if (!triggers_.all_attached().empty()) on_parent_done(be.id);
        Event e = order_event(EventKind::OrderCancelled, be);
        e.cause = cancel_cause_ != CancelCause::User ? cancel_cause_ : cause_of(be.reason);
        // A market order stopped at its price band: what is left expires because of the band.
        if (be.reason == book::CancelReason::IocRemainder && band_stop_ && band_stop_->first == mid &&
            band_stop_->second == be.price)
          e.cause = CancelCause::PriceBand;
        e.remaining = qty;
        events_.push_back(e);
        break;
      }
      case book::Event::Kind::Amended: {
        Event e = order_event(EventKind::OrderAmended, be);
        e.quantity = qty;
        events_.push_back(e);
        break;
      }
      case book::Event::Kind::Rejected:
        break;  // validated before the book was called; the book changed nothing
    }
  }
}

void Engine::settle_trade(const Command& c, MarketId mid, const Taker& taker, const book::Event& be) {
  Market& m = markets_[mid];
  const bool taker_buys = be.side == book::Side::Buy;
  const AccountId buyer = taker_buys ? be.account : be.maker_account;
  const AccountId seller = taker_buys ? be.maker_account : be.account;
  const int64_t base_qty = be.qty * m.cfg.lot_size;
  const int64_t notional = be.price * be.qty * m.scale.notional_per_tick_lot;  // bounded by the buyer's hold
  must(ledger_.transfer_held(buyer, seller, m.cfg.quote, notional), "trade: quote leg");
  must(ledger_.transfer_held(seller, buyer, m.cfg.base, base_qty), "trade: base leg");
  // Fees are charged on what each side receives, rounded up, and paid to the fee account.
  const int32_t buyer_ppm = taker_buys ? m.cfg.taker_fee_ppm : m.cfg.maker_fee_ppm;
  const int32_t seller_ppm = taker_buys ? m.cfg.maker_fee_ppm : m.cfg.taker_fee_ppm;
  const int64_t buyer_fee = *mul_div_ceil(base_qty, buyer_ppm, 1'000'000);
  const int64_t seller_fee = *mul_div_ceil(notional, seller_ppm, 1'000'000);
  // Each fee comes out of what its payer has just received (never less than the fee), so in the
  // margin asset a margin debt cannot stop it: the debt shrinks by the proceeds less the fee.
  auto pay_fee = [&](AccountId a, AssetId asset, int64_t fee, const char* what) {
    if (fee <= 0) return;
    if (ledger_.is_margin_asset(asset)) settle_margin(a, kFeeAccount, fee, what);
    else must(ledger_.transfer(a, kFeeAccount, asset, fee), what);
  };
  pay_fee(buyer, m.cfg.base, buyer_fee, "trade: buyer fee");
  pay_fee(seller, m.cfg.quote, seller_fee, "trade: seller fee");
  // A buying taker reserved at its limit; give back the price improvement.
  if (taker_buys && taker.limit > be.price)
    must(ledger_.release(buyer, m.cfg.quote, (taker.limit - be.price) * be.qty * m.scale.notional_per_tick_lot),
         "trade: price improvement");
  record_trade(c, mid, be, taker_buys ? buyer_fee : seller_fee, taker_buys ? seller_fee : buyer_fee);
  record_claim_transfer(c, mid, be);  // a claim market's transfer record (claims_trading.cpp)
}

void Engine::record_trade(const Command& c, MarketId mid, const book::Event& be, int64_t taker_fee, int64_t maker_fee) {
  Market& m = markets_[mid];
  if (be.maker_remaining == 0) forget_client_id(be.maker_account, be.maker_id);
  if (be.remaining == 0) forget_client_id(be.account, be.id);
  const int64_t base_qty = be.qty * m.cfg.lot_size;
  Event e;
  e.kind = EventKind::Trade;
  e.market = mid;
  e.side = be.side;
  e.account = be.account;
  e.maker_account = be.maker_account;
  e.order_id = be.id;
  e.maker_order_id = be.maker_id;
  e.price = be.price * m.cfg.tick_size;
  e.quantity = base_qty;
  e.remaining = be.remaining * m.cfg.lot_size;
  e.maker_remaining = be.maker_remaining * m.cfg.lot_size;
  e.taker_fee = taker_fee;
  e.maker_fee = maker_fee;
  events_.push_back(e);

  m.trades.push_back(TradeRecord{c.seq, c.timestamp, be.id, be.maker_id, e.price, base_qty, be.side});
  if (m.trades.size() > kRecentTrades) m.trades.pop_front();
  m.stats.trades += 1;
  m.stats.base_volume += base_qty;
  m.stats.quote_volume += static_cast<__int128>(be.price) * be.qty * m.scale.notional_per_tick_lot;
  m.stats.last_price = e.price;
  if (m.cfg.breaker.pause_us != 0) {
    const __int128 notional = static_cast<__int128>(be.price) * be.qty * m.scale.notional_per_tick_lot;
    observe_breaker(c, mid, be.price, static_cast<int64_t>(std::clamp<__int128>(notional, 1, INT64_MAX)), false);
  }
}

}  // namespace glassbook::engine
