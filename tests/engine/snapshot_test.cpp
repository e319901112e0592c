// Snapshots: restored engines match the original byte for byte and event for event from then on;
// truncated, padded or tampered snapshots are refused with Error::Corruption and a named fault.
#include <gtest/gtest.h>

#include <cstring>

#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "engine/config_codec.h"
#include "engine/engine.h"
#include "exchange_fixture.h"

namespace glassbook::engine {
namespace {

crypto::PublicKey synthetic_key(uint32_t label, uint8_t kind) {
  crypto::PublicKey k{};
  k[0] = kind;
  for (int i = 0; i < 4; ++i) k[1 + i] = static_cast<uint8_t>(label >> (8 * i));
  k[31] = 0x5A;
  return k;
}

// Demo markets plus SOL_BTC with room for only 12 resting orders, so a full book is exercised.
ExchangeConfig three_markets(const crypto::PublicKey& watcher) {
  ExchangeConfig c = demo_config(watcher);
  MarketConfig sol_btc;
  sol_btc.symbol = "SOL_BTC";
  sol_btc.base = 1;
  sol_btc.quote = 0;
  sol_btc.tick_size = 100;
  sol_btc.lot_size = 10'000'000;
  sol_btc.min_quantity = 10'000'000;
  sol_btc.max_price = 100'000'000;
  sol_btc.maker_fee_ppm = 0;
  sol_btc.taker_fee_ppm = 1000;
  sol_btc.max_orders = 12;
  c.markets.push_back(sol_btc);
  return c;
}

// Random command histories: registrations with funding, deposits, every order type, cancels by id
// and client id, cancel-all, amends, and commands the engine must refuse.
class HistoryGenerator {
 public:
  HistoryGenerator(uint64_t seed, uint32_t accounts, const ExchangeConfig& cfg, const crypto::PublicKey& watcher)
      : rng_(seed), cfg_(cfg), watcher_(watcher), accounts_(accounts), mids_{1'000'000, 15'000, 1'500} {}

  Command next(const Engine& e) {
    Command c;
    c.seq = ++seq_;
    timestamp_ += pick(20);
    c.timestamp = timestamp_;
    if (!funding_.empty()) {
      c.signer = watcher_;
      c.body = funding_.back();
      funding_.pop_back();
      return c;
    }
    const uint32_t r = pick(100);
    if (registered_ < accounts_ && (registered_ < 4 || r < 4)) {
      const crypto::PublicKey k = synthetic_key(registered_, 1);
      c.signer = pick(30) == 0 ? watcher_ : k;  // now and then signed by someone else: refused
      c.body = RegisterAccount{k};
      if (c.signer == k) {
        const AccountId id = kFirstCustomer + registered_++;
        const int64_t amounts[] = {3 * 100'000'000, 2000 * 1'000'000'000LL, 400'000 * 1'000'000LL};
        for (AssetId a = 0; a < 3; ++a) funding_.push_back(Deposit{id, a, amounts[a] / (1 + pick(3)), ++deposit_id_});
      }
      return c;
    }
    if (r < 4) {  // a refused command of another kind: out of sequence, or an unknown market
      if (pick(2) == 0) {
        c.seq = --seq_;
        c.body = CancelAll{kFirstCustomer, kAllMarkets};
        c.signer = synthetic_key(0, 1);
      } else {
        c.signer = synthetic_key(0, 1);
        c.body = CancelOrder{kFirstCustomer, 7, 1, 0};
      }
      return c;
    }
    if (r < 10) {  // deposits, some to unknown accounts or assets, some repeated or not positive
      c.signer = pick(15) == 0 ? synthetic_key(0, 1) : watcher_;
      Deposit d;
      d.account = kFirstCustomer + pick(registered_ + 2);
      d.asset = static_cast<AssetId>(pick(4));
      d.amount = static_cast<int64_t>(pick(1'000'000)) * 1000 - (pick(20) == 0 ? 1'000'000'000 : 0);
      d.deposit_id = pick(15) == 0 ? 1 + pick(static_cast<uint32_t>(deposit_id_)) : ++deposit_id_;
      c.body = d;
      return c;
    }
    AccountId acct = kFirstCustomer + pick(registered_);
    c.signer = pick(60) == 0 ? watcher_ : synthetic_key(acct - kFirstCustomer, 1);
    const MarketId m = static_cast<MarketId>(pick(3));
    const MarketConfig& mc = cfg_.markets[m];
    int64_t& mid = mids_[m];
    if (pick(8) == 0) mid = std::max<int64_t>(40, mid + static_cast<int64_t>(pick(11)) - 5);
    auto resting = [&]() -> OrderId {  // an open order, usually acted on by its owner
      std::vector<const book::Order*> orders;
      for (Side s : {Side::Buy, Side::Sell}) e.book(m).for_each_order(s, [&](const book::Order& o) { orders.push_back(&o); });
      if (orders.empty() || pick(25) == 0) return 1 + pick(2000);
      const book::Order* o = orders[pick(static_cast<uint32_t>(orders.size()))];
      if (pick(12) != 0) {
        acct = o->account;
        c.signer = synthetic_key(acct - kFirstCustomer, 1);
      }
      return o->id;
    };
    if (r < 62) {
      PlaceOrder p;
      p.account = acct;
      p.market = m;
      p.side = pick(2) ? Side::Buy : Side::Sell;
      p.type = pick(8) == 0 ? OrderType::Market : OrderType::Limit;
      p.tif = static_cast<TimeInForce>(pick(4));
      p.stp = static_cast<Stp>(pick(3));
      const int64_t off = static_cast<int64_t>(pick(40)) - 8;  // mostly passive: deep books
      const int64_t ticks = p.side == Side::Buy ? mid - off : mid + off;
      p.price = p.type == OrderType::Market && pick(2) ? 0 : ticks * mc.tick_size;
      if (pick(70) == 0) p.price += 1;  // not a tick multiple: refused
      p.quantity = mc.lot_size * (1 + static_cast<int64_t>(pick(30)));
      if (pick(70) == 0) p.quantity = 0;
      p.client_id = pick(3) == 0 ? 1 + pick(6) : 0;
      c.body = p;
    } else if (r < 70) {
      CancelOrder x{acct, m, resting(), 0};
      if (pick(4) == 0) {
        x.order_id = 0;
        x.client_id = pick(7);
      }
      c.body = x;
    } else if (r < 72) {
      c.body = CancelAll{acct, pick(2) ? kAllMarkets : m};
    } else {
      const OrderId id = resting();
      const int64_t off = static_cast<int64_t>(pick(40)) - 8;
      c.body = AmendOrder{acct, m, id, (mid + (pick(2) ? off : -off)) * mc.tick_size,
                          mc.lot_size * (1 + static_cast<int64_t>(pick(30)))};
    }
    return c;
  }

 private:
  uint32_t pick(uint32_t n) { return n == 0 ? 0 : static_cast<uint32_t>(rng_() % n); }

  std::mt19937_64 rng_;
  const ExchangeConfig& cfg_;
  crypto::PublicKey watcher_;
  uint32_t accounts_;
  uint32_t registered_ = 0;
  std::vector<int64_t> mids_;
  SeqNo seq_ = 0;
  Timestamp timestamp_ = 1'700'000'000'000'000;
  uint64_t deposit_id_ = 0;
  std::vector<Deposit> funding_;
};

std::unique_ptr<Engine> restored(const std::string& bytes) {
  auto r = Engine::restore(bytes);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  if (!r) return nullptr;
  return std::move(r).value();
}

class SnapshotHistory : public ::testing::TestWithParam<uint64_t> {};

TEST_P(SnapshotHistory, RestoredEnginesFollowTheOriginalExactly) {
  const crypto::PublicKey watcher = synthetic_key(0, 2);
  const ExchangeConfig cfg = three_markets(watcher);
  Engine a(cfg);
  HistoryGenerator gen(GetParam(), 40, cfg, watcher);
  constexpr int kCommands = 3000;
  std::mt19937_64 rng(GetParam() * 7919);
  std::set<int> points{0};
  while (points.size() < 6) points.insert(1 + static_cast<int>(rng() % (kCommands - 1)));

  std::vector<std::unique_ptr<Engine>> copies;
  std::map<EventKind, int> kinds;
  std::set<Error> errors;
  size_t most_orders = 0;
  for (int i = 0;; ++i) {
    if (points.contains(i)) {
      const std::string bytes = a.snapshot();
      std::unique_ptr<Engine> b = restored(bytes);
      ASSERT_NE(b, nullptr);
      ASSERT_EQ(b->state_root(), a.state_root()) << "at command " << i;
      ASSERT_EQ(b->snapshot(), bytes) << "at command " << i;
      ASSERT_TRUE(b->check_invariants().is_ok());
      size_t orders = 0;
      for (MarketId m = 0; m < 3; ++m) orders += a.book(m).order_count();
      most_orders = std::max(most_orders, orders);
      copies.push_back(std::move(b));
    }
    if (i == kCommands) break;
    const Command c = gen.next(a);
    auto ev = a.apply(c);
    const std::vector<Event> expected(ev.begin(), ev.end());
    for (const Event& e : expected) kinds[e.kind]++;
    if (!expected.empty() && expected[0].kind == EventKind::Rejected) errors.insert(expected[0].error);
    const Status inv = a.check_invariants();
    ASSERT_TRUE(inv.is_ok()) << "after command " << c.seq << ": " << inv.to_string();
    const crypto::Digest root = a.state_root();
    for (size_t k = 0; k < copies.size(); ++k) {
      auto got = copies[k]->apply(c);
      ASSERT_EQ(std::vector<Event>(got.begin(), got.end()), expected)
          << "copy " << k << " diverges at command " << i << " (" << command_name(c.body) << ")";
      ASSERT_EQ(copies[k]->state_root(), root) << "copy " << k << " at command " << i;
    }
  }
  const std::string final_bytes = a.snapshot();
  for (const auto& b : copies) {
    EXPECT_EQ(b->snapshot(), final_bytes);  // projections (recent trades, stats) included
    EXPECT_TRUE(b->check_invariants().is_ok());
  }
  EXPECT_GT(kinds[EventKind::Trade], 300);
  EXPECT_GT(kinds[EventKind::OrderRested], 300);
  EXPECT_GT(kinds[EventKind::OrderCancelled], 200);
  EXPECT_GT(kinds[EventKind::OrderAmended], 50);
  EXPECT_GT(errors.size(), 6u);
  EXPECT_TRUE(errors.contains(Error::BookFull));
  EXPECT_GT(most_orders, 20u);
  std::printf("seed %llu: trades %d, rested %d, cancelled %d, amended %d, refused %d (%zu kinds), most orders %zu\n",
              static_cast<unsigned long long>(GetParam()), kinds[EventKind::Trade], kinds[EventKind::OrderRested],
              kinds[EventKind::OrderCancelled], kinds[EventKind::OrderAmended], kinds[EventKind::Rejected],
              errors.size(), most_orders);
}

INSTANTIATE_TEST_SUITE_P(Seeds, SnapshotHistory, ::testing::Values(1, 2, 3, 4, 5, 6));

TEST(Snapshot, FreshEngineRoundTrips) {
  const crypto::PublicKey watcher = synthetic_key(0, 2);
  Engine a(three_markets(watcher));
  const std::string bytes = a.snapshot();
  EXPECT_EQ(bytes.rfind("glassbook/snapshot/v13", 4), 4u);
  std::unique_ptr<Engine> b = restored(bytes);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->state_root(), a.state_root());
  EXPECT_EQ(b->snapshot(), bytes);
  EXPECT_EQ(b->config(), a.config());
  HistoryGenerator gen(99, 5, a.config(), watcher);
  for (int i = 0; i < 300; ++i) {
    const Command c = gen.next(a);
    auto ea = a.apply(c);
    const std::vector<Event> expected(ea.begin(), ea.end());
    auto eb = b->apply(c);
    ASSERT_EQ(std::vector<Event>(eb.begin(), eb.end()), expected) << "at " << i;
  }
  EXPECT_EQ(b->state_root(), a.state_root());
}

// ---- Refusals -----------------------------------------------------------------------------------

using testing::Exchange;
using testing::kBtc;
using testing::kSol;
using testing::lots;
using testing::px;

std::string le(uint64_t v, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
  return s;
}

// Offset of the only occurrence of `needle` in `hay` (a test failure when not exactly one).
size_t unique_offset(const std::string& hay, const std::string& needle) {
  const size_t at = hay.find(needle);
  EXPECT_NE(at, std::string::npos) << "pattern not found";
  if (at == std::string::npos) return 0;
  EXPECT_EQ(hay.find(needle, at + 1), std::string::npos) << "pattern not unique";
  return at;
}

// A small exchange with trades, resting orders in two markets, client ids and deposits.
class SnapshotRefusal : public ::testing::Test {
 protected:
  void SetUp() override {
    x.trader("alice");
    x.trader("bob");
    x.open("carol");
    x.deposit("carol", testing::USDC, 123'456'789);
    alice_bid = testing::accepted_id(x.order("alice", Side::Buy, px(1000), lots(5), TimeInForce::GTC, kBtc, 11));
    bob_ask = testing::accepted_id(x.order("bob", Side::Sell, px(1010), lots(3)));
    x.order("bob", Side::Sell, px(999), lots(2));  // trades 2 lots with alice's bid at 1000
    alice_sol = testing::accepted_id(x.order("alice", Side::Sell, 25'000'000, 50'000'000, TimeInForce::GTC, kSol, 12));
    bytes = x.engine().snapshot();
    ASSERT_NE(restored(bytes), nullptr);
  }

  // The byte offset of an order's record: its id followed by its account.
  size_t order_at(OrderId id, const std::string& owner) { return unique_offset(bytes, le(id, 8) + le(x.id(owner), 4)); }

  // Restores `tampered` and expects a Corruption naming `what`.
  void expect_refused(const std::string& tampered, const std::string& what) {
    auto r = Engine::restore(tampered);
    ASSERT_FALSE(r.is_ok()) << "accepted a snapshot that should name: " << what;
    EXPECT_EQ(r.code(), Error::Corruption) << r.status().to_string();
    EXPECT_NE(r.status().message().find(what), std::string::npos) << r.status().message();
  }

  std::string with(size_t at, const std::string& patch) {
    std::string s = bytes;
    s.replace(at, patch.size(), patch);
    return s;
  }

  // Small books: every restore builds an engine, and a book's pool is sized by its capacity.
  Exchange x{[](ExchangeConfig& c) {
    for (MarketConfig& m : c.markets) m.max_orders = 256;
  }};
  OrderId alice_bid = 0, bob_ask = 0, alice_sol = 0;
  std::string bytes;
};

// Record layout: id u64, account u32, side u8, stp u8, price i64 (ticks), remaining i64 (lots), client u32.
constexpr size_t kAccount = 8, kSide = 12, kPrice = 14, kRemaining = 22, kClient = 30;

TEST_F(SnapshotRefusal, EveryTruncationIsRefused) {
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = Engine::restore(std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(r.is_ok()) << "prefix of " << n << " bytes accepted";
    ASSERT_EQ(r.code(), Error::Corruption) << r.status().to_string();
  }
}

TEST_F(SnapshotRefusal, TrailingByteIsRefused) {
  expect_refused(bytes + '\0', "1 trailing bytes");
}

TEST_F(SnapshotRefusal, WrongTagIsRefused) {
  std::string s = bytes;
  s[4 + 10] ^= 1;
  expect_refused(s, "not a glassbook/snapshot/v13 snapshot");
}

// v6, written before withdrawals, has no withdrawal section at the end; v5, written before trigger orders, has no trigger section at the end; v4, written before pending deposits, timelocks and the clock-sampled basis, has no pending-deposit
// and no samples section at the end (and no enactable time per proposal: none is pending here); v3,
// written before signed requests were remembered, has no requests section either; v2, written before
// isolated margin, has no isolated and no report sections after the accounts either: all are still
// read, to the same state.
// v8, written before withdrawals, has no withdrawals section at the end; v7, written before deposit
// addresses, no address section either; v6, written before the claims registry, no claims section.
// v9, written before distributions and published liabilities roots, has neither section at the end
// (no estates: u32 0; no root: u64 0). v12, written before custody wallets, has no custody section
// at the end (no wallet, no vote, the next alert id 1, no alert).
TEST_F(SnapshotRefusal, Versions2To12AreStillRead) {
  const std::string v13_tag = "glassbook/snapshot/v13", v12_tag = "glassbook/snapshot/v12";
  ASSERT_EQ(bytes.substr(4, v13_tag.size()), v13_tag);
  const std::string no_custody = std::string(8, '\0') + le(1, 8) + std::string(4, '\0');
  ASSERT_EQ(bytes.substr(bytes.size() - no_custody.size()), no_custody);
  const std::string v12 =
      le(v12_tag.size(), 4) + v12_tag + bytes.substr(4 + v13_tag.size(), bytes.size() - no_custody.size() - 4 - v13_tag.size());
  auto r12 = Engine::restore(v12);
  ASSERT_TRUE(r12.is_ok()) << r12.status().to_string();
  EXPECT_EQ(r12.value()->state_root(), x.engine().state_root());
  EXPECT_EQ(r12.value()->snapshot(), bytes);  // written back as v13
  ASSERT_EQ(v12.substr(v12.size() - 12), std::string(12, '\0'));  // no estates, no liabilities root published
  const std::string tag = "glassbook/snapshot/v9";
  const std::string v9 = le(tag.size(), 4) + tag + v12.substr(4 + v12_tag.size(), v12.size() - 12 - 4 - v12_tag.size());
  auto r9 = Engine::restore(v9);
  ASSERT_TRUE(r9.is_ok()) << r9.status().to_string();
  EXPECT_EQ(r9.value()->state_root(), x.engine().state_root());
  EXPECT_EQ(r9.value()->snapshot(), bytes);  // written back as v13
  // No withdrawal ever: the next id 1, then four empty counts and no reversed deposit (u64 0).
  const std::string no_withdrawals = le(1, 8) + std::string(4 * 4 + 8, '\0');
  ASSERT_EQ(v9.substr(v9.size() - no_withdrawals.size()), no_withdrawals);
  std::string v8 = v9.substr(0, v9.size() - no_withdrawals.size());
  v8[4 + tag.size() - 1] = '8';
  auto r8 = Engine::restore(v8);
  ASSERT_TRUE(r8.is_ok()) << r8.status().to_string();
  EXPECT_EQ(r8.value()->state_root(), x.engine().state_root());
  EXPECT_EQ(r8.value()->snapshot(), bytes);  // written back as v13
  ASSERT_EQ(v8.substr(v8.size() - 8), std::string(8, '\0'));  // no estates, no deposit address
  std::string v7 = v8.substr(0, v8.size() - 4);
  v7[4 + tag.size() - 1] = '7';
  auto r7 = Engine::restore(v7);
  ASSERT_TRUE(r7.is_ok()) << r7.status().to_string();
  EXPECT_EQ(r7.value()->state_root(), x.engine().state_root());
  EXPECT_EQ(r7.value()->snapshot(), bytes);  // written back as v13
  std::string v6 = v7.substr(0, v7.size() - 4);
  v6[4 + tag.size() - 1] = '6';
  auto r6 = Engine::restore(v6);
  ASSERT_TRUE(r6.is_ok()) << r6.status().to_string();
  EXPECT_EQ(r6.value()->state_root(), x.engine().state_root());
  EXPECT_EQ(r6.value()->snapshot(), bytes);  // written back as v13
  ASSERT_EQ(v6.substr(v6.size() - 8), std::string(8, '\0'));  // no trigger order pending, none attached
  std::string v5 = v6.substr(0, v6.size() - 8);
  v5[4 + tag.size() - 1] = '5';
  auto r5 = Engine::restore(v5);
  ASSERT_TRUE(r5.is_ok()) << r5.status().to_string();
  EXPECT_EQ(r5.value()->state_root(), x.engine().state_root());
  EXPECT_EQ(r5.value()->snapshot(), bytes);  // written back as v13
  // The samples: for these spot markets, one empty trade batch each (25 bytes).
  const size_t samples = 25 * x.engine().config().markets.size();
  ASSERT_EQ(v5.substr(v5.size() - samples - 8), std::string(samples + 8, '\0'));  // no requests, no deposit pending
  ASSERT_TRUE(x.engine().pending_proposals().empty());
  std::string v4 = v5.substr(0, v5.size() - samples - 4);
  v4[4 + tag.size() - 1] = '4';
  auto r4 = Engine::restore(v4);
  ASSERT_TRUE(r4.is_ok()) << r4.status().to_string();
  EXPECT_EQ(r4.value()->state_root(), x.engine().state_root());
  EXPECT_EQ(r4.value()->snapshot(), bytes);  // written back as v13
  std::string v3 = v4.substr(0, v4.size() - 4);
  v3[4 + tag.size() - 1] = '3';
  auto r3 = Engine::restore(v3);
  ASSERT_TRUE(r3.is_ok()) << r3.status().to_string();
  EXPECT_EQ(r3.value()->state_root(), x.engine().state_root());
  EXPECT_EQ(r3.value()->snapshot(), bytes);  // written back as v13

  uint32_t config_size = 0, customers = 0;
  std::memcpy(&config_size, v9.data() + 4 + tag.size(), 4);
  const size_t accounts_at = 4 + tag.size() + 4 + config_size + 3 * 8;
  std::memcpy(&customers, v9.data() + accounts_at, 4);
  const size_t isolated_at = accounts_at + 4 + 32 * size_t{customers};
  ASSERT_EQ(v9.substr(isolated_at, 4), std::string(4, '\0'));  // no isolated accounts
  uint32_t sources = 0;
  std::memcpy(&sources, v9.data() + isolated_at + 4, 4);
  ASSERT_EQ(v9.substr(isolated_at + 8, 8 * size_t{sources}), std::string(8 * size_t{sources}, '\0'));  // none reported
  std::string v2 = v3;
  v2.erase(isolated_at, 8 + 8 * size_t{sources});
  v2[4 + tag.size() - 1] = '2';
  auto r2 = Engine::restore(v2);
  ASSERT_TRUE(r2.is_ok()) << r2.status().to_string();
  EXPECT_EQ(r2.value()->state_root(), x.engine().state_root());
  EXPECT_EQ(r2.value()->snapshot(), bytes);
}

TEST_F(SnapshotRefusal, TamperedBalanceBreaksDoubleEntry) {
  const size_t at = unique_offset(bytes, le(123'456'789, 8) + le(0, 8));
  expect_refused(with(at, le(123'456'790, 8)), "invariants broken: double entry broken");
}

TEST_F(SnapshotRefusal, TamperedHoldNoLongerMatchesTheOrders) {
  const ledger::Balance& b = x.balance("alice", testing::USDC);
  ASSERT_GT(b.held, 0);
  const size_t at = unique_offset(bytes, le(static_cast<uint64_t>(b.total), 8) + le(static_cast<uint64_t>(b.held), 8));
  expect_refused(with(at + 8, le(static_cast<uint64_t>(b.held - 1), 8)), "but open orders reserve");
}

TEST_F(SnapshotRefusal, CrossingOrderIsRefused) {
  const size_t at = order_at(bob_ask, "bob");
  expect_refused(with(at + kPrice, le(999, 8)), "sell at 999 ticks crosses the best bid at 1000 ticks");
  expect_refused(with(at + kPrice, le(1000, 8)), "crosses");  // touching counts as crossing
}

TEST_F(SnapshotRefusal, OrderOfUnknownAccountIsRefused) {
  const size_t at = order_at(bob_ask, "bob");
  expect_refused(with(at + kAccount, le(9999, 4)), "unknown account 9999");
  expect_refused(with(at + kAccount, le(kFeeAccount, 4)), "unknown account 1");
}

TEST_F(SnapshotRefusal, OrderMovedToAnotherAccountBreaksTheHolds) {
  const size_t at = order_at(bob_ask, "bob");
  expect_refused(with(at + kAccount, le(x.id("alice"), 4)), "but open orders reserve");
}

TEST_F(SnapshotRefusal, OrderValuesOutOfRangeAreRefused) {
  const size_t at = order_at(bob_ask, "bob");
  expect_refused(with(at + kPrice, le(0, 8)), "price 0 ticks outside");
  expect_refused(with(at + kPrice, le(50'000'001, 8)), "price 50000001 ticks outside 1..50000000");
  expect_refused(with(at + kRemaining, le(0, 8)), "remaining quantity 0 lots is not positive");
  expect_refused(with(at + kRemaining, le(static_cast<uint64_t>(-3), 8)), "not positive");
  expect_refused(with(at + kRemaining, le(4, 8)), "but open orders reserve");  // more than bob holds for it
  expect_refused(with(at + kSide, le(2, 1)), "order side 2 out of range");
  expect_refused(with(at + kSide + 1, le(3, 1)), "order stp 3 out of range");
}

TEST_F(SnapshotRefusal, DuplicateOrUnissuedOrderIdsAreRefused) {
  const size_t at = order_at(bob_ask, "bob");
  expect_refused(with(at, le(alice_bid, 8)), "id rests twice");
  expect_refused(with(at, le(0, 8)), "id outside");
  expect_refused(with(at, le(alice_sol + 10, 8)), "id outside");
  const size_t sol = order_at(alice_sol, "alice");
  expect_refused(with(sol, le(alice_bid, 8)), "rests in two markets");
}

TEST_F(SnapshotRefusal, ClientIdUsedTwiceIsRefused) {
  const size_t sol = order_at(alice_sol, "alice");
  ASSERT_EQ(bytes.substr(sol + kClient, 4), le(12, 4));
  expect_refused(with(sol + kClient, le(11, 4)), "client id 11 already used by another open order");
}

TEST_F(SnapshotRefusal, SharedKeyIsRefused) {
  const auto& alice = x.key("alice").public_key();
  const auto& bob = x.key("bob").public_key();
  const size_t at = unique_offset(bytes, std::string(alice.begin(), alice.end()) + std::string(bob.begin(), bob.end()));
  expect_refused(with(at + 32, std::string(alice.begin(), alice.end())), "share a key");
}

TEST_F(SnapshotRefusal, UnsortedDepositsAreRefused) {
  const size_t at = unique_offset(bytes, le(7, 8) + le(1, 8) + le(2, 8) + le(3, 8));
  expect_refused(with(at + 8, le(2, 8) + le(1, 8)), "deposit ids not strictly increasing");
  expect_refused(with(at + 8, le(2, 8)), "deposit ids not strictly increasing");
}

TEST_F(SnapshotRefusal, HugeCountsAreRefusedBeforeAllocating) {
  const size_t accounts = 4 + std::string("glassbook/snapshot/v13").size() + 4 + encode_config(x.engine().config()).size() + 24;
  ASSERT_EQ(bytes.substr(accounts, 4), le(3, 4));
  expect_refused(with(accounts, le(0x3FFFFFFF, 4)), "accounts: 1073741823 records of 32 bytes do not fit");
  expect_refused(with(accounts, le(0xFFFFFFFF, 4)), "accounts: 4294967295 exceeds the limit");
  const size_t deposits = unique_offset(bytes, le(7, 8) + le(1, 8) + le(2, 8) + le(3, 8));
  expect_refused(with(deposits, le(~uint64_t{0}, 8)), "deposits: 18446744073709551615 records of 8 bytes do not fit");
}

TEST_F(SnapshotRefusal, TamperedProjectionsAreRefused) {
  ASSERT_EQ(x.engine().recent_trades(kBtc).size(), 1u);
  const TradeRecord& t = x.engine().recent_trades(kBtc).front();
  const size_t at = unique_offset(bytes, le(t.seq, 8) + le(static_cast<uint64_t>(t.timestamp), 8));
  expect_refused(with(at + 49, le(2, 8)), "keeps 1 recent trades of 2");  // the stats follow the trade
  expect_refused(with(at, le(t.seq + 100, 8)), "out of order");
  expect_refused(with(at + 32, le(0, 8)), "price and quantity must be positive");
}

// Random byte flips: refused as Corruption, or accepted only as a sound engine that re-encodes
// to the same bytes (flips in fields the invariants cannot see, such as a key).
TEST_F(SnapshotRefusal, RandomFlipsNeverYieldAnUnsoundEngine) {
  std::mt19937_64 rng(5);
  int accepted = 0;
  for (int i = 0; i < 1500; ++i) {
    std::string s = bytes;
    s[rng() % s.size()] ^= static_cast<char>(1 + rng() % 255);
    auto r = Engine::restore(s);
    if (!r) {
      ASSERT_EQ(r.code(), Error::Corruption) << r.status().to_string();
      continue;
    }
    ++accepted;
    ASSERT_TRUE(r.value()->check_invariants().is_ok());
    ASSERT_EQ(r.value()->snapshot(), s);
  }
  std::printf("%d of 1500 flipped snapshots were still sound\n", accepted);
}

// A large state: prints snapshot and restore times (not asserted). GLASSBOOK_SNAPSHOT_ORDERS and
// GLASSBOOK_SNAPSHOT_ACCOUNTS scale it (1000000 and 100000 for a full-size figure). Builds that
// check the invariants after every command use a small default: that check is O(state).
TEST(Snapshot, LargeStateTimings) {
  auto env = [](const char* name, uint64_t fallback) {
    const char* v = std::getenv(name);
    return v ? std::strtoull(v, nullptr, 10) : fallback;
  };
#ifdef GLASSBOOK_CHECK_INVARIANTS
  constexpr uint64_t kDefaultOrders = 5'000, kDefaultAccounts = 500;
#else
  constexpr uint64_t kDefaultOrders = 100'000, kDefaultAccounts = 10'000;
#endif
  const uint32_t accounts = static_cast<uint32_t>(env("GLASSBOOK_SNAPSHOT_ACCOUNTS", kDefaultAccounts));
  const uint64_t orders = env("GLASSBOOK_SNAPSHOT_ORDERS", kDefaultOrders);
  const crypto::PublicKey watcher = synthetic_key(0, 2);
  const ExchangeConfig cfg = demo_config(watcher);
  Engine a(cfg);
  SeqNo seq = 0;
  auto run = [&](const crypto::PublicKey& signer, CommandBody body) {
    Command c;
    c.seq = ++seq;
    c.timestamp = static_cast<Timestamp>(seq);
    c.signer = signer;
    c.body = std::move(body);
    auto ev = a.apply(c);
    ASSERT_FALSE(!ev.empty() && ev[0].kind == EventKind::Rejected) << a.last_error();
  };
  uint64_t deposit = 0;
  for (uint32_t i = 0; i < accounts; ++i) {
    const crypto::PublicKey k = synthetic_key(i, 1);
    run(k, RegisterAccount{k});
    for (AssetId asset = 0; asset < 3; ++asset) run(watcher, Deposit{kFirstCustomer + i, asset, 1'000'000'000'000, ++deposit});
  }
  for (uint64_t i = 0; i < orders; ++i) {  // a few trades near the touch, the rest rests on both sides
    const uint32_t who = static_cast<uint32_t>(i % accounts);
    PlaceOrder p;
    p.account = kFirstCustomer + who;
    p.market = i % 5 < 3 ? 0 : 1;
    p.side = i % 2 ? Side::Sell : Side::Buy;
    const int64_t mid = p.market == 0 ? 1'000'000 : 15'000;
    const int64_t off = static_cast<int64_t>((i * 7919) % 5000);
    p.price = (p.side == Side::Buy ? mid - off : mid + off) * cfg.markets[p.market].tick_size;
    p.quantity = cfg.markets[p.market].lot_size * static_cast<int64_t>(1 + i % 7);
    p.client_id = i % 3 == 0 ? static_cast<uint32_t>(1 + i / accounts) : 0;
    run(synthetic_key(who, 1), p);
  }
  const size_t resting = a.book(0).order_count() + a.book(1).order_count();
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const std::string bytes = a.snapshot();
  const auto t1 = Clock::now();
  std::unique_ptr<Engine> b = restored(bytes);
  const auto t2 = Clock::now();
  ASSERT_NE(b, nullptr);
  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::printf("%zu resting orders, %u accounts: snapshot %.1f MB in %.1f ms, restore (with invariants) in %.1f ms\n",
              resting, accounts, static_cast<double>(bytes.size()) / 1e6, ms(t1 - t0), ms(t2 - t1));
  EXPECT_EQ(b->state_root(), a.state_root());
  EXPECT_EQ(b->snapshot(), bytes);
}

}  // namespace
}  // namespace glassbook::engine
