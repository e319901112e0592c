// ExchangeView: construction from a shadow engine and the read side (REST bodies under a shared lock).
#include "api/exchange_view.h"

#include <algorithm>
#include "core/assert.h"
#include <mutex>

#include "api/backpack_json.h"
#include "api/backpack_names.h"
#include "api/book_levels.h"
#include "api/iso_time.h"

namespace glassbook::api {

ExchangeView::ExchangeView(std::unique_ptr<engine::Engine> shadow, ViewLimits limits)
    : shadow_(std::move(shadow)), limits_(limits) {
  GB_ASSERT(shadow_ != nullptr);
  install_config();
  seed_from_shadow();
  seed_positions();
  record_fund();
  withdrawals_.seed(*shadow_);
  claims_.seed(*shadow_);
}

ExchangeView::~ExchangeView() = default;

ExchangeView::MarketState ExchangeView::make_market(MarketId m, uint64_t first_update_id) const {
  const engine::MarketConfig& c = config_->markets[m];
  MarketState s{MarketData(limits_.trades_per_market, limits_.candles_per_market), MarketFormat(*config_, m), c.symbol,
                "trade." + c.symbol, "depth." + c.symbol, "ticker." + c.symbol, "bookTicker." + c.symbol,
                "account.orderUpdate." + c.symbol, {}, {}, 0};
  for (KlineInterval i : kKlineIntervals) s.kline_keys.push_back("kline." + std::string(kline_interval_name(i)) + "." + c.symbol);
  s.data.update_id = first_update_id;
  s.data.trade_count = shadow_->stats(m).trades;
  s.data.set_last_price(shadow_->stats(m).last_price);
  s.data.top = top_of_book(*shadow_, m);
  return s;
}

void ExchangeView::install_config() {
  config_ = std::make_shared<const engine::ExchangeConfig>(shadow_->config());
  for (MarketId m = static_cast<MarketId>(markets_.size()); m < config_->markets.size(); ++m)
    markets_.push_back(make_market(m, shadow_->last_seq()));
  symbols_.clear();
  for (MarketId m = 0; m < config_->markets.size(); ++m) symbols_.emplace(config_->markets[m].symbol, m);
}

void ExchangeView::seed_from_shadow() {
  for (MarketId m = 0; m < markets_.size(); ++m) {
    MarketState& ms = markets_[m];
    const auto& recent = shadow_->recent_trades(m);
    uint64_t id = ms.data.trade_count - std::min<uint64_t>(ms.data.trade_count, recent.size());
    for (const engine::TradeRecord& r : recent) {
      const bool taker_buys = r.taker_side == book::Side::Buy;
      PublicTrade t{++id, r.price, r.quantity, taker_buys ? r.taker_order_id : r.maker_order_id,
                    taker_buys ? r.maker_order_id : r.taker_order_id, !taker_buys, r.timestamp};
      ms.data.add_trade(t, ms.format.notional(r.price, r.quantity));
    }
    ms.data.set_last_price(shadow_->stats(m).last_price);
    for (book::Side side : {book::Side::Buy, book::Side::Sell}) {
      shadow_->book(m).for_each_order(side, [&](const book::Order& o) {
        OrderRecord r;
        r.id = o.id;
        r.account = o.account;
        r.market = m;
        r.side = o.side;
        r.stp = o.stp;
        r.price = shadow_->price_of_ticks(m, o.price);
        r.quantity = r.remaining = shadow_->quantity_of_lots(m, o.remaining);
        r.created_at = shadow_->last_timestamp();
        r.resting = true;
        history(o.account).open(r);
      });
    }
  }
}

AccountHistory& ExchangeView::history(AccountId account) {
  auto it = accounts_.find(account);
  if (it == accounts_.end())
    it = accounts_
             .emplace(account, AccountHistory(limits_.closed_orders_per_account, limits_.fills_per_account,
                                              limits_.deposits_per_account, limits_.funding_payments_per_account))
             .first;
  return it->second;
}

const AccountHistory* ExchangeView::find_history(AccountId account) const {
  auto it = accounts_.find(account);
  return it == accounts_.end() ? nullptr : &it->second;
}

std::optional<MarketId> ExchangeView::market_id(std::string_view symbol) const {
  auto it = symbols_.find(symbol);
  if (it == symbols_.end()) return std::nullopt;
  return it->second;
}

ExchangeView::MarketFilter ExchangeView::filter(std::string_view symbol) const {
  if (symbol.empty()) return {};
  if (auto m = market_id(symbol)) return {false, false, *m};
  return {false, true, 0};
}

Result<MarketId> ExchangeView::require_market(std::string_view symbol) const {
  if (auto m = market_id(symbol)) return *m;
  return {Error::UnknownMarket, "unknown symbol " + std::string(symbol)};
}

Result<MarketId> ExchangeView::require_perp(std::string_view symbol) const {
  auto m = require_market(symbol);
  if (m && config_->markets[*m].kind != engine::MarketKind::Perpetual)
    return {Error::UnknownMarket, std::string(symbol) + " is not a perpetual market"};
  return m;
}

Result<std::optional<MarketId>> ExchangeView::perp_filter(std::string_view symbol) const {
  if (symbol.empty()) return std::optional<MarketId>{};
  auto m = require_perp(symbol);
  if (!m) return m.status();
  return std::optional<MarketId>{*m};
}

// ---- queries ----

ExchangeView::MarketCopy ExchangeView::copy_market(MarketId m) const { return MarketCopy{config_, m, markets_[m].format}; }

std::string ExchangeView::assets() const {
  std::shared_lock lock(mutex_);
  JsonWriter w(256);
  write_assets(w, *config_, shadow_->deposit_addresses().chain_assets());
  return w.take();
}

std::string ExchangeView::markets() const {
  std::shared_lock lock(mutex_);
  JsonWriter w(1024);
  w.begin_array();
  for (MarketId m = 0; m < markets_.size(); ++m) write_market(w, MarketView{*config_, m, markets_[m].format});
  w.end_array();
  return w.take();
}

Result<std::string> ExchangeView::ticker(std::string_view symbol) const {
  std::shared_lock lock(mutex_);
  auto m = require_market(symbol);
  if (!m) return m.status();
  JsonWriter w(256);
  write_ticker(w, MarketView{*config_, *m, markets_[*m].format}, markets_[*m].data.ticker(shadow_->last_timestamp()));
  return w.take();
}

std::string ExchangeView::tickers() const {
  std::shared_lock lock(mutex_);
  JsonWriter w(1024);
  w.begin_array();
  for (MarketId m = 0; m < markets_.size(); ++m)
    write_ticker(w, MarketView{*config_, m, markets_[m].format}, markets_[m].data.ticker(shadow_->last_timestamp()));
  w.end_array();
  return w.take();
}

Result<std::string> ExchangeView::depth(std::string_view symbol, size_t limit) const {
  if (limit == 0 || limit > kMaxDepthLimit)
    return {Error::InvalidArgument, "limit must be between 1 and " + std::to_string(kMaxDepthLimit)};
  std::vector<std::pair<int64_t, int64_t>> asks, bids;
  uint64_t update_id = 0;
  Timestamp at = 0;
  std::optional<MarketCopy> mc;
  {
    std::shared_lock lock(mutex_);
    auto m = require_market(symbol);
    if (!m) return m.status();
    asks = book_side(*shadow_, *m, book::Side::Sell, limit);
    bids = book_side(*shadow_, *m, book::Side::Buy, limit);
    update_id = markets_[*m].data.update_id;
    at = shadow_->last_timestamp();
    mc = copy_market(*m);
  }
  JsonWriter w(64 + 48 * (asks.size() + bids.size()));
  write_depth(w, MarketView{*mc->config, mc->id, mc->format}, asks, bids, update_id, at);
  return w.take();
}

Result<std::string> ExchangeView::trades(std::string_view symbol, size_t limit) const {
  if (limit == 0 || limit > kMaxTradesLimit)
    return {Error::InvalidArgument, "limit must be between 1 and " + std::to_string(kMaxTradesLimit)};
  std::vector<PublicTrade> trades;
  std::optional<MarketCopy> mc;
  {
    std::shared_lock lock(mutex_);
    auto m = require_market(symbol);
    if (!m) return m.status();
    const auto& ring = markets_[*m].data.trades();
    trades.assign(ring.end() - static_cast<std::ptrdiff_t>(std::min(limit, ring.size())), ring.end());
    mc = copy_market(*m);
  }
  const MarketView mv{*mc->config, mc->id, mc->format};
  JsonWriter w(128 * trades.size() + 2);
  w.begin_array();
  for (const PublicTrade& t : trades) write_public_trade(w, mv, t);
  w.end_array();
  return w.take();
}

Result<std::string> ExchangeView::klines(std::string_view symbol, std::string_view interval, int64_t start_s,
                                         int64_t end_s) const {
  const auto iv = parse_kline_interval(interval);
  if (!iv) return {Error::InvalidArgument, "unknown interval " + std::string(interval)};
  std::vector<Candle> candles;
  std::optional<MarketCopy> mc;
  {
    std::shared_lock lock(mutex_);
    auto m = require_market(symbol);
    if (!m) return m.status();
    candles = markets_[*m].data.klines(*iv, start_s, end_s);
    mc = copy_market(*m);
  }
  const MarketView mv{*mc->config, mc->id, mc->format};
  JsonWriter w(256 * candles.size() + 2);
  w.begin_array();
  for (const Candle& c : candles) write_kline(w, mv, *iv, c);
  w.end_array();
  return w.take();
}

std::string ExchangeView::capital(AccountId account) const {
  std::shared_lock lock(mutex_);
  JsonWriter w(256);
  write_capital(w, *config_, shadow_->ledger(), account);
  return w.take();
}

std::string ExchangeView::open_orders(AccountId account, std::string_view symbol) const {
  std::shared_lock lock(mutex_);
  const MarketFilter only = filter(symbol);
  JsonWriter w(1024);
  w.begin_array();
  const AccountHistory* h = find_history(account);
  if (h != nullptr && !only.none) {
    for (const auto& [id, o] : h->open_orders())
      if (only.accepts(o.market)) write_order(w, MarketView{*config_, o.market, markets_[o.market].format}, o, OrderStyle::Current);
  }
  w.end_array();
  return w.take();
}

Result<std::string> ExchangeView::order(AccountId account, std::string_view symbol, std::optional<OrderId> id,
                                        std::optional<uint32_t> client_id) const {
  if (id.has_value() == client_id.has_value())
    return {Error::InvalidArgument, "exactly one of orderId and clientId must be given"};
  std::shared_lock lock(mutex_);
  auto m = require_market(symbol);
  if (!m) return m.status();
  const AccountHistory* h = find_history(account);
  const OrderRecord* o = h == nullptr ? nullptr : id ? h->find(*id) : h->find_by_client(*client_id);
  if (o == nullptr || o->market != *m) return {Error::OrderNotFound, "order not found"};
  JsonWriter w(768);
  write_order(w, MarketView{*config_, o->market, markets_[o->market].format}, *o, OrderStyle::Current);
  return w.take();
}

Result<std::string> ExchangeView::order_by_id(AccountId account, OrderId id) const {
  std::shared_lock lock(mutex_);
  const AccountHistory* h = find_history(account);
  const OrderRecord* o = h == nullptr ? nullptr : h->find(id);
  if (o == nullptr) return {Error::OrderNotFound, "order not found"};
  JsonWriter w(768);
  write_order(w, MarketView{*config_, o->market, markets_[o->market].format}, *o, OrderStyle::Current);
  return w.take();
}

std::string ExchangeView::order_history(AccountId account, std::string_view symbol, size_t limit, size_t offset) const {
  std::shared_lock lock(mutex_);
  const MarketFilter only = filter(symbol);
  JsonWriter w(1024);
  w.begin_array();
  const AccountHistory* h = find_history(account);
  if (h != nullptr && !only.none) {
    std::vector<const OrderRecord*> all;
    all.reserve(h->open_orders().size() + h->closed_orders().size());
    for (const auto& [id, o] : h->open_orders())
      if (only.accepts(o.market)) all.push_back(&o);
    for (const OrderRecord& o : h->closed_orders())
      if (only.accepts(o.market)) all.push_back(&o);
    std::sort(all.begin(), all.end(), [](const OrderRecord* a, const OrderRecord* b) { return a->id > b->id; });  // newest first
    for (size_t i = offset; i < all.size() && i - offset < limit; ++i)
      write_order(w, MarketView{*config_, all[i]->market, markets_[all[i]->market].format}, *all[i], OrderStyle::History);
  }
  w.end_array();
  return w.take();
}

std::string ExchangeView::fills(AccountId account, std::string_view symbol, size_t limit, size_t offset,
                                std::string_view fill_type) const {
  std::shared_lock lock(mutex_);
  const MarketFilter only = filter(symbol);
  JsonWriter w(1024);
  w.begin_array();
  const AccountHistory* h = find_history(account);
  if (h != nullptr && !only.none) {
    size_t seen = 0, written = 0;
    for (auto it = h->fills().rbegin(); it != h->fills().rend() && written < limit; ++it) {
      if (!only.accepts(it->market) || !fill_type_accepts(fill_type, it->system)) continue;
      if (seen++ < offset) continue;
      write_fill(w, MarketView{*config_, it->market, markets_[it->market].format}, *it);
      ++written;
    }
  }
  w.end_array();
  return w.take();
}

std::string ExchangeView::deposits(AccountId account, size_t limit, size_t offset, int64_t from_ms, int64_t to_ms) const {
  std::shared_lock lock(mutex_);
  JsonWriter w(512);
  w.begin_array();
  if (const AccountHistory* h = find_history(account)) {
    const auto& ring = h->deposits();
    size_t skipped = 0, written = 0;
    for (size_t i = ring.size(); i-- > 0 && written < limit;) {
      const DepositRecord& d = ring[i];
      const int64_t ms = d.timestamp / 1000;
      if ((from_ms != 0 && ms < from_ms) || (to_ms != 0 && ms > to_ms)) continue;
      if (skipped++ < offset) continue;
      write_deposit(w, *config_, d);
      ++written;
    }
  }
  w.end_array();
  return w.take();
}

std::string ExchangeView::withdrawals(AccountId account, size_t limit, size_t offset) const {
  std::shared_lock lock(mutex_);
  return withdrawals_.json(*config_, account, limit, offset);
}

Result<std::string> ExchangeView::withdrawal(AccountId account, uint64_t id) const {
  std::shared_lock lock(mutex_);
  const WithdrawalRecord* r = withdrawals_.find(account, id);
  if (r == nullptr) return Status(Error::OrderNotFound, "no withdrawal " + std::to_string(id));
  return ViewWithdrawals::json_of(*config_, *r);
}

std::optional<AccountId> ExchangeView::account_of(const crypto::PublicKey& key) const {
  std::shared_lock lock(mutex_);
  return shadow_->account_of(key);
}

bool ExchangeView::request_sequenced(const crypto::PublicKey& signer, std::string_view text) const {
  std::shared_lock lock(mutex_);
  return shadow_->request_sequenced(signer, text);
}

std::shared_ptr<const engine::ExchangeConfig> ExchangeView::config() const {
  std::shared_lock lock(mutex_);
  return config_;
}

SeqNo ExchangeView::last_seq() const {
  std::shared_lock lock(mutex_);
  return shadow_->last_seq();
}

crypto::Digest ExchangeView::state_root() const {
  std::shared_lock lock(mutex_);
  return shadow_->state_root();
}

}  // namespace glassbook::api
