// The perpetual order flow of the simulated traders and what it learns from its events.
#include "app/demo_perp_flow.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "app/demo_perpetuals.h"

namespace glassbook::app {
namespace {

using Clock = std::chrono::steady_clock;

uint64_t key(AccountId a, MarketId m) { return (uint64_t{a} << 16) | m; }

constexpr int kReducingAfterMarginRefusal = 5;  // orders that only reduce after INSUFFICIENT_MARGIN
constexpr auto kQuietAfterPause = std::chrono::seconds(1);

}  // namespace

struct PerpOrderFlow::Tracker {
  mutable std::mutex mu;
  std::unordered_map<uint64_t, int64_t> position;  // (account, market) -> signed base units
  std::unordered_map<AccountId, int> reducing;     // orders left that may only reduce
  std::unordered_map<MarketId, Clock::time_point> quiet_until;
  uint64_t orders = 0, trades = 0;
  std::map<Error, uint64_t> refused;

  // A refusal names neither account nor market: they are the order's.
  void observe(AccountId account, MarketId market, std::span<const engine::Event> events) {
    std::lock_guard lock(mu);
    ++orders;
    for (const auto& e : events) {
      switch (e.kind) {
        case engine::EventKind::PositionChanged: position[key(e.account, e.market)] = e.quantity; break;
        case engine::EventKind::Trade: ++trades; break;
        case engine::EventKind::Rejected:
          ++refused[e.error];
          if (e.error == Error::InsufficientMargin) reducing[account] = kReducingAfterMarginRefusal;
          if (e.error == Error::IndexFrozen || e.error == Error::MarketPaused) quiet_until[market] = Clock::now() + kQuietAfterPause;
          break;
        default: break;
      }
    }
  }
};

PerpOrderFlow::PerpOrderFlow(std::vector<DemoAccount> accounts, int64_t margin, ReferencePrice reference, uint64_t seed)
    : accounts_(std::move(accounts)), margin_(margin), reference_(std::move(reference)),
      markets_{{kDemoBtcPerp, kDemoBtc, 100'000, 100'000, 100'000'000, 50},            // 0.1 USDC, 0.001 BTC
               {kDemoSolPerp, kDemoSol, 10'000, 10'000'000, 1'000'000'000, 2'000}},  // 0.01 USDC, 0.01 SOL
      rng_(seed), quotes_(accounts_.size(), 0), tracker_(std::make_shared<Tracker>()) {}

int64_t PerpOrderFlow::cap(size_t account_index, const Market& m, int64_t index) const {
  // 1x, 1.5x, 2x, 2.5x or 3x the margin in each market: 2x to 6x over both.
  const __int128 notional = static_cast<__int128>(margin_) * static_cast<int64_t>(2 + account_index % 5) / 2;
  return static_cast<int64_t>(notional * m.unit / index);
}

bool PerpOrderFlow::next(Order& out) {
  if (accounts_.empty() || !reference_) return false;
  const Market& m = markets_[rng_() % markets_.size()];
  const int64_t index = reference_(m.base);
  if (index <= 0) return false;
  const size_t i = rng_() % accounts_.size();
  const DemoAccount& a = accounts_[i];
  const bool maker = accounts_.size() == 1 ? rng_() % 2 == 0 : i % 2 == 0;

  int64_t position = 0;
  bool reducing = false;
  {
    std::lock_guard lock(tracker_->mu);
    if (auto q = tracker_->quiet_until.find(m.id); q != tracker_->quiet_until.end() && Clock::now() < q->second)
      return false;
    if (auto p = tracker_->position.find(key(a.account, m.id)); p != tracker_->position.end()) position = p->second;
    if (auto r = tracker_->reducing.find(a.account); r != tracker_->reducing.end() && r->second > 0) {
      reducing = true;
      --r->second;
    }
  }
  out.signer = &a;
  out.market = m.id;
  if (maker && ++quotes_[i] % 20 == 0) {
    out.body = engine::CancelAll{a.account, m.id};
    return true;
  }

  // The side: random, unless the position is at its cap (or the account must reduce).
  const int64_t limit = cap(i, m, index);
  bool buy = rng_() % 2 == 0;
  if (reducing) {
    if (position == 0) return false;
    buy = position < 0;
  } else if (position >= limit) {
    buy = false;
  } else if (position <= -limit) {
    buy = true;
  }
  engine::PlaceOrder p;
  p.account = a.account;
  p.market = m.id;
  p.side = buy ? engine::Side::Buy : engine::Side::Sell;
  int64_t lots = 1 + static_cast<int64_t>(rng_() % static_cast<uint64_t>(maker ? m.max_lots : m.max_lots / 2));
  if (reducing) lots = std::max<int64_t>(1, std::min(lots, std::abs(position) / m.lot));
  p.quantity = lots * m.lot;
  auto at_bp = [&](int64_t bp) {  // the index moved by bp basis points (toward the other side for a taker)
    const int64_t price = static_cast<int64_t>(static_cast<__int128>(index) * (10'000 + bp) / 10'000);
    return std::max<int64_t>(1, price / m.tick) * m.tick;
  };
  if (maker) {
    const int64_t away = 1 + 2 * static_cast<int64_t>(rng_() % 8);  // 1 to 15 bp
    p.tif = engine::TimeInForce::PostOnly;
    p.price = at_bp(buy ? -away : away);
  } else if (rng_() % 3 == 0) {
    p.type = engine::OrderType::Market;
    p.tif = engine::TimeInForce::IOC;
  } else {
    p.tif = engine::TimeInForce::IOC;
    p.price = at_bp(buy ? 10 : -10);
  }
  out.body = p;
  return true;
}

journal::Completion PerpOrderFlow::completion(const Order& order) const {
  return [tracker = tracker_, account = order.signer->account, market = order.market](
             SeqNo, Timestamp, std::span<const engine::Event> events) { tracker->observe(account, market, events); };
}

PerpOrderFlow::Stats PerpOrderFlow::stats() const {
  std::lock_guard lock(tracker_->mu);
  Stats s;
  s.orders = tracker_->orders;
  s.trades = tracker_->trades;
  s.refused = tracker_->refused;
  std::unordered_map<AccountId, bool> holders;
  for (const auto& [k, lots] : tracker_->position)
    if (lots != 0) holders[static_cast<AccountId>(k >> 16)] = true;
  s.positions = holders.size();
  return s;
}

}  // namespace glassbook::app
