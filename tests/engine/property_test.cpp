// Property test: seeded random command streams (valid and invalid) over many accounts and four
// markets; the invariants hold after every command, refused commands leave the state root as it
// was, two engines fed the same stream agree on every state root, and the cached state root
// equals one computed from scratch.
#include <gtest/gtest.h>

#include <random>

#include "engine/engine.h"

namespace glassbook::engine {
namespace {

ExchangeConfig four_markets(const crypto::PublicKey& watcher) {
  ExchangeConfig c = demo_config(watcher);
  c.assets.push_back({"ETH", 18});
  MarketConfig sol_btc;  // SOL priced in BTC: tick 100 sats, lot 0.01 SOL
  sol_btc.symbol = "SOL_BTC";
  sol_btc.base = 1;
  sol_btc.quote = 0;
  sol_btc.tick_size = 100;
  sol_btc.lot_size = 10'000'000;
  sol_btc.min_quantity = 10'000'000;
  sol_btc.max_price = 100'000'000;
  sol_btc.maker_fee_ppm = 0;
  sol_btc.taker_fee_ppm = 1000;
  MarketConfig eth;  // ETH_USDC: tick 0.01 USDC, lot 0.0001 ETH (10^14 wei): 10^4 x 10^14 / 10^18 = 1 unit
  eth.symbol = "ETH_USDC";
  eth.base = 3;
  eth.quote = 2;
  eth.tick_size = 10'000;
  eth.lot_size = 100'000'000'000'000;
  eth.min_quantity = eth.lot_size;
  eth.max_price = 100'000'000'000;
  eth.maker_fee_ppm = 100;
  eth.taker_fee_ppm = 300;
  eth.max_orders = 64;  // small, so that a full book is exercised
  c.markets.push_back(sol_btc);
  c.markets.push_back(eth);
  return c;
}

class StreamGenerator {
 public:
  StreamGenerator(uint64_t seed, uint32_t accounts, const ExchangeConfig& cfg, const crypto::PublicKey& watcher)
      : rng_(seed), cfg_(cfg), watcher_(watcher) {
    for (uint32_t i = 0; i < accounts; ++i)
      keys_.push_back(crypto::KeyPair::from_seed(crypto::seed_from_label("prop/" + std::to_string(i))).public_key());
    mids_ = {1'000'000, 15'000, 150'000, 300'000};
  }

  Command next(const Engine& e) {
    Command c;
    c.seq = ++seq_;
    c.timestamp = 1'700'000'000'000'000 + static_cast<Timestamp>(seq_) * 10;
    const uint32_t r = pick(100);
    if (registered_ < keys_.size() && (r < 5 || seq_ < 10)) {
      c.signer = keys_[registered_];
      c.body = RegisterAccount{keys_[registered_++]};
      const int64_t amounts[] = {2 * 100'000'000, 3000 * 1'000'000'000LL, 300'000 * 1'000'000LL, 5 * 1'000'000'000'000'000'000LL};
      for (AssetId asset = 0; asset < 4; ++asset)
        funding_.push_back(Deposit{kFirstCustomer + registered_ - 1, asset, amounts[asset] / (1 + pick(4)), ++deposit_id_});
      return c;
    }
    if (!funding_.empty()) {  // every new account is funded in every asset right after registering
      c.signer = watcher_;
      c.body = funding_.back();
      funding_.pop_back();
      return c;
    }
    if (registered_ == 0 || r < 8) {  // more deposits: some to unknown accounts or assets, some repeated ids
      c.signer = watcher_;
      AccountId a = kFirstCustomer + pick(static_cast<uint32_t>(keys_.size()) + 2);
      AssetId asset = static_cast<AssetId>(pick(static_cast<uint32_t>(cfg_.assets.size()) + 1));
      int64_t amount = asset == 3 ? static_cast<int64_t>(pick(100)) * 10'000'000'000'000'000 : static_cast<int64_t>(pick(1'000'000)) * 1'000'000;
      uint64_t id = pick(20) == 0 ? 1 + pick(static_cast<uint32_t>(deposit_id_) + 1) : ++deposit_id_;
      c.body = Deposit{a, asset, amount - static_cast<int64_t>(pick(3)), id};
      return c;
    }
    AccountId acct = kFirstCustomer + pick(registered_);
    c.signer = pick(50) == 0 ? watcher_ : keys_[acct - kFirstCustomer];  // sometimes the wrong signer
    const MarketId m = static_cast<MarketId>(pick(static_cast<uint32_t>(cfg_.markets.size()) + (pick(40) == 0)));
    const MarketConfig& mc = cfg_.markets[std::min<size_t>(m, cfg_.markets.size() - 1)];
    auto& mid = mids_[std::min<size_t>(m, mids_.size() - 1)];
    if (pick(10) == 0) mid = std::max<int64_t>(50, mid + static_cast<int64_t>(pick(21)) - 10);
    // A resting order of the market; usually its owner acts on it, sometimes another account tries.
    auto open_order = [&]() -> OrderId {
      if (m >= cfg_.markets.size() || pick(20) == 0) return 1 + pick(1000);
      std::vector<const book::Order*> orders;
      for (Side side : {Side::Buy, Side::Sell})
        e.book(m).for_each_order(side, [&](const book::Order& o) { orders.push_back(&o); });
      if (orders.empty()) return 1 + pick(1000);
      const book::Order* o = orders[pick(static_cast<uint32_t>(orders.size()))];
      if (pick(10) != 0) {
        acct = o->account;
        c.signer = keys_[acct - kFirstCustomer];
      }
      return o->id;
    };
    if (r < 55) {
      PlaceOrder p;
      p.account = acct;
      p.market = m;
      p.side = pick(2) ? Side::Buy : Side::Sell;
      p.type = pick(10) == 0 ? OrderType::Market : OrderType::Limit;
      p.tif = static_cast<TimeInForce>(pick(4));
      p.stp = static_cast<Stp>(pick(3));
      int64_t off = static_cast<int64_t>(pick(30)) - 12;
      int64_t ticks = p.side == Side::Buy ? mid + off : mid - off;
      p.price = p.type == OrderType::Market && pick(2) ? 0 : ticks * mc.tick_size + (pick(60) == 0 ? 1 : 0);
      if (pick(80) == 0) p.price = -p.price;
      p.quantity = mc.lot_size * (static_cast<int64_t>(pick(40)) + (pick(30) == 0 ? 0 : 1)) + (pick(60) == 0 ? 1 : 0);
      p.client_id = pick(3) == 0 ? 1 + pick(8) : 0;
      c.body = p;
    } else if (r < 70) {
      OrderId id = open_order();
      CancelOrder x{acct, m, id, 0};
      if (pick(4) == 0) {
        x.order_id = 0;
        x.client_id = pick(9);
      }
      c.body = x;
    } else if (r < 73) {
      c.body = CancelAll{acct, pick(2) ? kAllMarkets : m};
    } else {
      int64_t off = static_cast<int64_t>(pick(30)) - 12;
      OrderId id = open_order();
      c.body = AmendOrder{acct, m, id, (mid + (pick(2) ? off : -off)) * mc.tick_size,
                          mc.lot_size * (1 + static_cast<int64_t>(pick(40)))};
    }
    return c;
  }

 private:
  uint32_t pick(uint32_t n) { return n == 0 ? 0 : static_cast<uint32_t>(rng_() % n); }

  std::mt19937_64 rng_;
  const ExchangeConfig& cfg_;
  crypto::PublicKey watcher_;
  std::vector<crypto::PublicKey> keys_;
  uint32_t registered_ = 0;
  std::vector<int64_t> mids_;
  SeqNo seq_ = 0;
  uint64_t deposit_id_ = 0;
  std::vector<Deposit> funding_;
};

class Property : public ::testing::TestWithParam<uint64_t> {};

TEST_P(Property, InvariantsHoldAndEnginesAgree) {
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("prop/watcher")).public_key();
  const ExchangeConfig cfg = four_markets(watcher);
  Engine a(cfg), b(cfg);
  StreamGenerator gen(GetParam(), 60, cfg, watcher);
  std::map<EventKind, int> kinds;
  std::map<Error, int> errors;
  for (int i = 0; i < 4000; ++i) {
    Command c = gen.next(a);
    const auto root_before = a.state_root();
    auto ev = a.apply(c);
    for (const auto& e : ev) kinds[e.kind]++;
    if (!ev.empty() && ev[0].kind == EventKind::Rejected) {  // (a cancel-all of nothing has no events)
      errors[ev[0].error]++;
      ASSERT_EQ(ev.size(), 1u);
      ASSERT_EQ(a.state_root(), root_before) << "refused " << command_name(c.body) << " changed the state";
    }
    Status inv = a.check_invariants();
    ASSERT_TRUE(inv.is_ok()) << "after command " << c.seq << " (" << command_name(c.body) << "): " << inv.to_string();
    std::vector<Event> copy(ev.begin(), ev.end());
    auto ev_b = b.apply(c);
    ASSERT_EQ(std::vector<Event>(ev_b.begin(), ev_b.end()), copy) << "engines diverge at " << c.seq;
    if (i % 500 == 0) {
      ASSERT_EQ(a.state_root(), b.state_root());
    }
    // State root format 2: engine a takes a root before every command, b only every 500; both
    // caches must equal a root from scratch (a write that escaped its bucket's mark would differ).
    if (i % 7 == 0) {
      ASSERT_EQ(a.state_root(), a.state_root_from_scratch()) << "after command " << c.seq << " (" << command_name(c.body) << ")";
    }
  }
  EXPECT_EQ(a.state_root(), b.state_root());
  // The stream must have exercised trading, resting, cancelling, amending and several refusals.
  EXPECT_GT(kinds[EventKind::Trade], 300);
  EXPECT_GT(kinds[EventKind::OrderRested], 300);
  EXPECT_GT(kinds[EventKind::OrderCancelled], 300);
  EXPECT_GT(kinds[EventKind::OrderAmended], 50);
  EXPECT_GT(errors.size(), 6u);
  std::printf("trades %d, rested %d, cancelled %d, amended %d, refused %d\n", kinds[EventKind::Trade],
              kinds[EventKind::OrderRested], kinds[EventKind::OrderCancelled], kinds[EventKind::OrderAmended],
              kinds[EventKind::Rejected]);
}

INSTANTIATE_TEST_SUITE_P(Seeds, Property, ::testing::Values(1, 2, 3, 4, 5, 6));

}  // namespace
}  // namespace glassbook::engine
