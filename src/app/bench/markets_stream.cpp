// Workload 3's timed stream (markets_stream.h): markets drawn by their Pareto weights, then per
// command 9% GTC limit, 3% IOC, 6% cancel and 82% move, as in workload 2, over every market's own
// book; each source's oracle update once a simulated second.
#include "app/bench/markets_stream.h"

#include <algorithm>

namespace glassbook::app {

using namespace engine;

namespace {

// The first funding time the stream reaches (2026-01-01 01:00 UTC): the stream is centred on it, so
// every perpetual's funding falls due in its middle.
constexpr Timestamp kFundingTime = 1'767'229'200'000'000;
constexpr int64_t kSecond = 1'000'000;

// What a market's next operation is, by a draw in 0..999: GTC below `gtc`, IOC below `ioc`, cancel
// below `cancel`, a move (an amend of price) above: 9% GTC, 3% IOC, 6% cancel and 82% move.
struct OpShares {
  uint32_t gtc, ioc, cancel;
};
constexpr OpShares kOps{90, 120, 180};

}  // namespace

MarketsStream::MarketsStream(const MarketsExchange& x, const MarketsWorkloadOptions& o)
    : x_(x),
      options_(o),
      rng_(o.seed),
      shadow_(x.config),
      oracle_(x.start_price, x.usdt, o.seed),
      sources_(oracle_keys()),
      watcher_(watcher_key()),
      open_(x.markets.size()),
      traders_(x.bases) {
  uint64_t sum = 0;
  for (const auto& m : x.markets) cumulative_weight_.push_back(sum += m.weight);
  start_ = kFundingTime - duration_us() / 2;
  next_oracle_ = start_ + kSecond;
}

int64_t MarketsStream::duration_us() const {
  return static_cast<int64_t>(options_.commands * kSecond / options_.command_rate);
}

uint64_t MarketsStream::resting_orders() const {
  uint64_t n = 0;
  for (MarketId m = 0; m < x_.markets.size(); ++m) n += shadow_.book(m).order_count();
  return n;
}

void MarketsStream::emit(const crypto::PublicKey& signer, CommandBody body) {
  if (streaming_) {
    ++emitted_;
    now_ = start_ + static_cast<Timestamp>(emitted_ * kSecond / options_.command_rate);
  } else {
    ++setup_commands_;
  }
  Command c;
  c.seq = ++seq_;
  c.timestamp = now_;
  c.signer = signer;
  c.body = std::move(body);
  for (const Event& e : shadow_.apply(c)) {
    if (e.kind == EventKind::Rejected) ++refused_;
    else if (e.market < open_.size()) open_[e.market].observe(e);
  }
  out_->push_back(std::move(c));
}

void MarketsStream::next(std::vector<Command>& out, uint64_t n) {
  out_ = &out;
  streaming_ = true;
  const uint64_t end = std::min<uint64_t>(emitted_ + n, options_.commands);
  while (emitted_ < end) one_slot();
  out_ = nullptr;
}

void MarketsStream::one_slot() {
  const Timestamp next_time = start_ + static_cast<Timestamp>((emitted_ + 1) * kSecond / options_.command_rate);
  if (next_time >= next_oracle_) return oracle_round();
  const MarketId m = pick_market();
  OpenOrders& open = open_[m];
  const OpShares& op = kOps;
  const uint32_t r = static_cast<uint32_t>(rng_() % 1000);
  // Each book is held near its pre-filled size: below it, cancels become resting orders and GTC
  // orders do not cross.
  const bool grow = open.size() < options_.prefill_orders;
  if (r < op.gtc || open.empty() || (grow && r >= op.ioc && r < op.cancel)) {
    const book::Side side = rng_() % 2 ? book::Side::Buy : book::Side::Sell;
    // One GTC in eight crosses the spread a little and trades.
    const int64_t ticks = !grow && rng_() % 8 == 0 ? crossing_price(m, side) : resting_price(m, side, 20);
    place_new(m, side, book::TimeInForce::GTC, ticks);
  } else if (r < op.ioc) {
    const book::Side side = rng_() % 2 ? book::Side::Buy : book::Side::Sell;
    place_new(m, side, book::TimeInForce::IOC, crossing_price(m, side));
  } else if (r < op.cancel) {
    cancel(m, open.at(rng_() % open.size()));
  } else {
    move(m);
  }
}

void MarketsStream::oracle_round() {
  oracle_.step();
  for (int s = 0; s < MarketsOracle::kSources && !done(); ++s) {
    ++mix_.oracle;
    emit(sources_[s], oracle_.quotes(s));
  }
  next_oracle_ += kSecond;
}

void MarketsStream::move(MarketId m) {
  OpenOrders& open = open_[m];
  const OpenOrder o = open.at(rng_() % open.size());
  // A move re-prices near the touch; about one in 60 crosses and trades, as in workload 2.
  const bool cross = rng_() % 60 == 0;
  const int64_t ticks = cross ? crossing_price(m, o.side) : resting_price(m, o.side, 20);
  ++mix_.amends;
  emit(account_key(o.account - kFirstCustomer), AmendOrder{o.account, m, o.id, ticks * x_.config.markets[m].tick_size, o.remaining});
}

void MarketsStream::cancel(MarketId m, const OpenOrder& order) {
  const OpenOrder o = order;  // `order` may live in the open orders the cancel removes it from
  ++mix_.cancels;
  emit(account_key(o.account - kFirstCustomer), CancelOrder{o.account, m, o.id, 0});
}

void MarketsStream::place_new(MarketId m, book::Side side, book::TimeInForce tif, int64_t ticks) {
  const AccountId a = pick_account(m);
  const int64_t lots = 1 + static_cast<int64_t>(rng_() % 50);
  place(m, a, side, tif, ticks, lots * x_.config.markets[m].lot_size);
}

void MarketsStream::place(MarketId m, AccountId a, book::Side side, book::TimeInForce tif, int64_t ticks, int64_t quantity) {
  PlaceOrder p;
  p.account = a;
  p.market = m;
  p.side = side;
  p.tif = tif;
  p.price = ticks * x_.config.markets[m].tick_size;
  p.quantity = quantity;
  ++(tif == book::TimeInForce::GTC ? mix_.gtc : mix_.ioc);
  emit(account_key(a - kFirstCustomer), p);
}

MarketId MarketsStream::pick_market() {
  const uint64_t r = rng_() % cumulative_weight_.back();
  return static_cast<MarketId>(std::upper_bound(cumulative_weight_.begin(), cumulative_weight_.end(), r) -
                               cumulative_weight_.begin());
}

AccountId MarketsStream::pick_account(MarketId m) {
  const std::vector<uint32_t>& pool = traders_[x_.markets[m].base];
  return kFirstCustomer + pool[rng_() % pool.size()];
}

int64_t MarketsStream::mid_ticks(MarketId m) const {
  return oracle_.fair(x_.markets[m].base) / x_.config.markets[m].tick_size;
}

int64_t MarketsStream::resting_price(MarketId m, book::Side side, int64_t depth) {
  const int64_t off = 1 + static_cast<int64_t>(rng_() % static_cast<uint64_t>(depth));
  const book::OrderBook& b = shadow_.book(m);
  const int64_t best_opp = side == book::Side::Buy ? b.best_ask() : b.best_bid();
  const int64_t mid = mid_ticks(m);
  int64_t p = side == book::Side::Buy ? mid - off : mid + off;
  if (best_opp != 0) p = side == book::Side::Buy ? std::min(p, best_opp - 1) : std::max(p, best_opp + 1);
  return p;
}

int64_t MarketsStream::crossing_price(MarketId m, book::Side side) {
  const book::OrderBook& b = shadow_.book(m);
  int64_t best_opp = side == book::Side::Buy ? b.best_ask() : b.best_bid();
  if (best_opp == 0) best_opp = mid_ticks(m);
  const int64_t by = static_cast<int64_t>(rng_() % 3);
  return side == book::Side::Buy ? best_opp + by : best_opp - by;
}

}  // namespace glassbook::app
