// SimClients: registration, funding and random trading, each command signed with its client's key.
#include "sim/sim_clients.h"

#include <fmt/format.h>

namespace glassbook::sim {

namespace {

constexpr int64_t kTick = 100'000, kLot = 1'000;  // BTC_USDC in the demo configuration
constexpr int64_t kMid = 1'000'000;               // in ticks
constexpr size_t kMaxOpenOrders = 64;

int64_t price_near_mid(SimRng& rng) { return (kMid + static_cast<int64_t>(rng.below(41)) - 20) * kTick; }

}  // namespace

SimClients::SimClients(uint64_t seed, int traders)
    : watcher_(crypto::KeyPair::from_seed(crypto::seed_from_label(fmt::format("storage-sim/{}/watcher", seed)))) {
  for (int t = 0; t < traders; ++t)
    traders_.push_back(crypto::KeyPair::from_seed(crypto::seed_from_label(fmt::format("storage-sim/{}/trader/{}", seed, t))));
}

engine::SignedCommand SimClients::next(SimRng& rng, const engine::Engine& model) {
  const crypto::KeyPair& trader = traders_[rng.below(traders_.size())];
  const std::optional<AccountId> account = model.account_of(trader.public_key());
  if (!account) return engine::sign_command(trader, 0, 0, engine::RegisterAccount{trader.public_key()});
  const AccountId a = *account;
  // Funded once, in both assets of the market (deposit ids are the watcher's: never reused).
  if (model.ledger().balance(a, 2).total == 0 && rng.chance(500))
    return engine::sign_command(watcher_, 0, 0, engine::Deposit{a, 2, 5'000'000'000'000, ++deposit_id_});
  if (model.ledger().balance(a, 0).total == 0 && rng.chance(500))
    return engine::sign_command(watcher_, 0, 0, engine::Deposit{a, 0, 10 * 100'000'000, ++deposit_id_});

  const uint64_t what = rng.below(10);
  if (what < 6 || open_orders_.empty()) {
    engine::PlaceOrder p;
    p.account = a;
    p.market = 0;
    p.side = rng.below(2) ? book::Side::Buy : book::Side::Sell;
    p.type = rng.below(8) == 0 ? engine::OrderType::Market : engine::OrderType::Limit;
    p.tif = p.type == engine::OrderType::Market ? book::TimeInForce::IOC : static_cast<book::TimeInForce>(rng.below(4));
    p.stp = static_cast<book::Stp>(rng.below(3));
    p.price = p.type == engine::OrderType::Market ? 0 : price_near_mid(rng);
    p.quantity = static_cast<int64_t>(1 + rng.below(50)) * kLot;
    return engine::sign_command(trader, 0, 0, p);
  }
  // Cancels and amends are signed by the order's owner, who may not be `trader`.
  const auto [owner, id] = open_orders_[rng.below(open_orders_.size())];
  const crypto::KeyPair* owner_key = &trader;
  for (const crypto::KeyPair& k : traders_)
    if (model.account_of(k.public_key()) == owner) owner_key = &k;
  if (what < 8) return engine::sign_command(*owner_key, 0, 0, engine::CancelOrder{owner, 0, id, 0});
  if (what < 9)
    return engine::sign_command(*owner_key, 0, 0,
                                engine::AmendOrder{owner, 0, id, price_near_mid(rng), static_cast<int64_t>(1 + rng.below(50)) * kLot});
  return engine::sign_command(trader, 0, 0, engine::CancelAll{a, 77});  // refused: no market 77
}

void SimClients::acknowledged(std::span<const engine::Event> events) {
  for (const engine::Event& e : events) {
    if (e.kind != engine::EventKind::OrderAccepted) continue;
    if (open_orders_.size() == kMaxOpenOrders) open_orders_.erase(open_orders_.begin());
    open_orders_.emplace_back(e.account, e.order_id);
  }
}

}  // namespace glassbook::sim
