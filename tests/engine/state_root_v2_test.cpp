// State root format 2: the cached bucket digests equal a computation from scratch after every
// command and after batches (perpetuals, liquidations, spot, deposits, governance, triggers,
// isolated accounts), a restored engine has the root of the one that wrote it, and format 1 holds
// for the configurations that name it.
#include <gtest/gtest.h>

#include <random>

#include "engine/command_codec.h"
#include "engine/config_codec.h"
#include "perp_history.h"

namespace glassbook::engine::testing {
namespace {

class StateRootV2History : public ::testing::TestWithParam<uint64_t> {};

// Perpetual histories with oracle walks, a crash, liquidations, take-overs and deleveraging, spot
// orders and deposits: the cached root equals the one from scratch whether it is taken after every
// command or after batches of random length (as checkpoints take it), and a twin engine that takes
// its root only at the end agrees.
TEST_P(StateRootV2History, CachedRootEqualsRootFromScratch) {
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("v2/watcher")).public_key();
  ExchangeConfig cfg = history_config(watcher);
  ASSERT_EQ(cfg.state_root_version, kStateRootV2);
  Engine live(cfg), twin(cfg);
  HistoryGenerator gen(GetParam(), 40, watcher, /*leaks=*/true);
  gen.set_markets(cfg);
  std::mt19937_64 rng(GetParam());
  std::map<EventKind, int> kinds;
  int until_next = 1, compared = 0;
  for (int i = 0; i < 2500; ++i) {
    const Command c = gen.next(live);
    for (const Event& e : live.apply(c)) kinds[e.kind]++;
    twin.apply(c);
    // The first 200 commands after each one, then batches of 1 to 60 commands.
    if (i < 200 || --until_next == 0) {
      ASSERT_EQ(live.state_root(), live.state_root_from_scratch()) << "after command " << c.seq << " (" << command_name(c.body) << ")";
      until_next = 1 + static_cast<int>(rng() % 60);
      ++compared;
    }
  }
  EXPECT_EQ(twin.state_root(), live.state_root());
  EXPECT_EQ(twin.state_root_from_scratch(), live.state_root());
  EXPECT_GT(kinds[EventKind::Trade], 300);
  EXPECT_GT(kinds[EventKind::LiquidationStarted], 5);
  EXPECT_GT(kinds[EventKind::PositionChanged], 300);
  std::printf("compared %d roots; trades %d, liquidations %d, take-overs %d\n", compared, kinds[EventKind::Trade],
              kinds[EventKind::LiquidationStarted], kinds[EventKind::PositionTakenOver]);
}

INSTANTIATE_TEST_SUITE_P(Seeds, StateRootV2History, ::testing::Values(1, 2, 3, 4));

// A snapshot restores into an engine with nothing cached: its first root is a full pass and equals
// the writer's, and both agree again after the same further commands.
TEST(StateRootV2, ARestoredEngineHasTheWritersRoot) {
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("v2/watcher")).public_key();
  ExchangeConfig cfg = history_config(watcher);
  Engine live(cfg);
  HistoryGenerator gen(7, 30, watcher, /*leaks=*/true);
  gen.set_markets(cfg);
  for (int i = 0; i < 800; ++i) live.apply(gen.next(live));
  const crypto::Digest root = live.state_root();
  auto restored = Engine::restore(live.snapshot());
  ASSERT_TRUE(restored.is_ok()) << restored.status().to_string();
  Engine& copy = *restored.value();
  EXPECT_EQ(copy.state_root(), root);
  for (int i = 0; i < 400; ++i) {
    const Command c = gen.next(live);
    live.apply(c);
    copy.apply(c);
    if (i % 50 == 0) {
      ASSERT_EQ(copy.state_root(), live.state_root()) << i;
    }
  }
  EXPECT_EQ(copy.state_root(), live.state_root());
  EXPECT_TRUE(copy.check_state_root());
}

// A configuration without the version (every one from before format 2) keeps format 1: the root
// differs from format 2's over the same state, and it is what the full rehash gives.
TEST(StateRootV2, AConfigurationWithoutTheVersionKeepsFormat1) {
  const auto watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("v2/watcher")).public_key();
  ExchangeConfig v2 = demo_config(watcher);
  ExchangeConfig v1 = v2;
  v1.state_root_version = kStateRootV1;
  Exchange a([](ExchangeConfig& c) { c.state_root_version = kStateRootV1; });
  Exchange b;
  for (Exchange* ex : {&a, &b}) {
    ex->trader("maker");
    ex->trader("taker");
    ex->order("maker", Side::Sell, px(1'000'000), lots(30));
    ex->order("taker", Side::Buy, px(1'000'000), lots(10));
  }
  EXPECT_NE(a.engine().state_root(), b.engine().state_root());
  EXPECT_TRUE(a.engine().check_state_root()) << "nothing to compare under format 1";
  // The binary configuration of format 1 has no version section: the bytes from before.
  EXPECT_LT(encode_config(v1).size(), encode_config(v2).size());
  auto decoded = decode_config(encode_config(v1));
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_EQ(decoded->state_root_version, kStateRootV1);
  decoded = decode_config(encode_config(v2));
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_EQ(decoded->state_root_version, kStateRootV2);
}

crypto::KeyPair op(int i) { return crypto::KeyPair::from_seed(crypto::seed_from_label("v2/operator" + std::to_string(i))); }

// Governance may raise the version (the root switches format from that command on, so replay
// computes format 1 before it and format 2 after) but never lower it; a configuration change that
// adds an asset gives every account new cells, and every bucket is rehashed.
TEST(StateRootV2, GovernanceRaisesTheVersionAndNeverLowersIt) {
  Exchange ex([](ExchangeConfig& c) {
    c.state_root_version = kStateRootV1;
    c.operators = {{op(1).public_key(), op(2).public_key()}, 2};
  });
  ex.check_invariants_always();
  ex.trader("maker");
  ex.trader("taker");
  ex.order("maker", Side::Sell, px(1'000'000), lots(30), TimeInForce::GTC, kBtc, 7);
  const auto adopt = [&](uint64_t id, const ExchangeConfig& next) {
    auto ev = ex.run(op(1), ProposeConfig{id, std::make_shared<const ExchangeConfig>(next)});
    if (rejection(ev) != Error::Ok) return ev;
    return ex.run(op(2), ApproveConfig{id, crypto::sha256(encode_config(next))});
  };
  ExchangeConfig next = ex.engine().config();
  next.state_root_version = kStateRootV2;
  next.assets.push_back({"ETH", 8});
  auto ev = adopt(1, next);
  ASSERT_EQ(of_kind(ev, EventKind::ConfigApplied).size(), 1u) << ex.engine().last_error();
  EXPECT_EQ(ex.engine().config().state_root_version, kStateRootV2);
  EXPECT_EQ(ex.engine().state_root(), ex.engine().state_root_from_scratch());
  ex.order("taker", Side::Buy, px(1'000'000), lots(10));
  EXPECT_TRUE(ex.engine().check_state_root());

  ExchangeConfig back = ex.engine().config();
  back.state_root_version = kStateRootV1;
  ev = adopt(2, back);
  EXPECT_EQ(rejection(ev), Error::InvalidConfig);
  EXPECT_NE(ex.engine().last_error().find("only be raised"), std::string::npos) << ex.engine().last_error();
  EXPECT_EQ(ex.engine().config().state_root_version, kStateRootV2);
}

// Every kind of state the account and book buckets hold moves in this script, each step checked
// against the root from scratch by the fixture: orders resting, partly filled, amended in place and
// to another price, cancelled one by one and all at once, client ids, deposits (one credited
// twice is refused and changes nothing).
TEST(StateRootV2, EveryBookAndLedgerChangeMarksItsBucket) {
  Exchange ex;
  ex.check_invariants_always();
  for (int i = 0; i < 40; ++i) ex.trader("t" + std::to_string(i));  // three buckets of accounts
  for (int i = 0; i < 40; ++i)
    ex.order("t" + std::to_string(i), i % 2 ? Side::Buy : Side::Sell, px(1'000'000 + (i % 2 ? -1 : 1) * (1 + i * 7)), lots(5 + i),
             TimeInForce::GTC, kBtc, static_cast<uint32_t>(i + 1));
  ex.market("t0", Side::Buy, lots(30));
  ex.amend("t3", 4, px(1'000'000 + 1 + 3 * 7), lots(2));  // in place: keeps priority
  ex.amend("t5", 6, px(1'000'500), lots(9));               // elsewhere: loses it
  ex.cancel("t7", 8);
  ex.run(ex.key("t9"), CancelAll{ex.id("t9"), kAllMarkets});
  const auto root = ex.engine().state_root();
  auto ev = ex.run(ex.watcher(), Deposit{ex.id("t1"), USDC, 5, 1});  // deposit id 1 again
  EXPECT_EQ(rejection(ev), Error::DuplicateDeposit);
  EXPECT_EQ(ex.engine().state_root(), root);
  EXPECT_EQ(ex.engine().state_root(), ex.engine().state_root_from_scratch());
}

}  // namespace
}  // namespace glassbook::engine::testing
