// The oracle index: stale sources ignored, outliers without weight, a frozen index, restarts and refused updates.
#include <gtest/gtest.h>

#include "perp_fixture.h"

namespace glassbook::engine::testing {
namespace {

std::optional<int64_t> index_now(PerpExchange& ex) { return ex.engine().prices_at(ex.now()).asset[BTC]; }

// alice: long 1 BTC at 50,000 with 6,000 USDC (liquidated near 46,300); a bid rests at 45,900.
void alice_long(PerpExchange& ex) {
  ex.funded("alice", 6'000);
  ex.funded("bob", 1'000'000);
  ex.funded("maker", 1'000'000);
  ex.oracle(usd(50'000));
  ex.perp("bob", Side::Sell, usd(50'000), btc(1));
  if (of_kind(ex.perp("alice", Side::Buy, usd(50'000), btc(1)), EventKind::Trade).size() != 1u) { ADD_FAILURE() << "no trade"; }
  ex.perp("maker", Side::Buy, usd(45'900), btc(2));
}

TEST(RiskOracle, AStaleSourceIsIgnored) {
  PerpExchange ex;
  ex.oracle(usd(40'000));
  ex.advance(6'000'000);
  ex.quote(1, usd(50'000));
  ex.quote(2, usd(51'000));
  ex.quote(3, usd(52'000));
  ex.quote(4, usd(53'000));
  // Source 0 (40,000) is still fresh: the median of five.
  EXPECT_EQ(index_now(ex), usd(51'000));
  ex.advance(5'000'000);  // source 0 is now 11 s old, the others 5 s
  // The median of the four fresh ones: the floored mean of 51,000 and 52,000.
  EXPECT_EQ(index_now(ex), usd(51'500));
  // It is also what the next oracle command judges by: source 1 repeats its price.
  ex.quote(1, usd(50'000));
  EXPECT_EQ(index_now(ex), usd(51'500));
}

TEST(RiskOracle, AnOutlierSourceDoesNotMoveTheIndexNorLiquidate) {
  PerpExchange ex;
  alice_long(ex);
  const auto before = ex.margin("alice");
  // One source prints -40%: alice would be far below maintenance at 30,000.
  auto ev = ex.quote(0, usd(30'000));
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
  EXPECT_EQ(index_now(ex), usd(50'000));
  // A second one too: still a minority of the five.
  ev = ex.quote(1, usd(30'000));
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
  EXPECT_EQ(index_now(ex), usd(50'000));
  EXPECT_EQ(ex.lots("alice"), 1000);
  EXPECT_EQ(ex.margin("alice").equity, before.equity);
  // A third makes it the median: now she is liquidated.
  ev = ex.quote(2, usd(30'000));
  EXPECT_EQ(of_kind(ev, EventKind::LiquidationStarted).size(), 1u);
  EXPECT_EQ(ex.lots("alice"), 0);
}

TEST(RiskOracle, AllStaleFreezesNewRiskAndLiquidations) {
  PerpExchange ex;
  alice_long(ex);
  ex.advance(kStalenessUs + 1);
  EXPECT_FALSE(index_now(ex).has_value());
  ex.funded("carol", 100'000);
  EXPECT_TRUE(rejected_with(ex.perp("carol", Side::Sell, usd(50'000), btc(1) / 10), Error::IndexFrozen));
  EXPECT_TRUE(rejected_with(ex.perp("alice", Side::Buy, usd(50'000), btc(1) / 10), Error::IndexFrozen));
  // One, then two fresh-looking sources print a crash: fewer than the quorum of three.
  auto ev = ex.quote(3, usd(30'000));
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
  ev = ex.quote(4, usd(30'000));
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
  EXPECT_FALSE(index_now(ex).has_value());
  EXPECT_EQ(ex.lots("alice"), 1000);
  EXPECT_TRUE(rejected_with(ex.perp("carol", Side::Sell, usd(50'000), btc(1) / 10), Error::IndexFrozen));
  // The third makes a quorum.
  ev = ex.quote(0, usd(30'000));
  EXPECT_EQ(index_now(ex), usd(30'000));
  EXPECT_EQ(of_kind(ev, EventKind::LiquidationStarted).size(), 1u);
  EXPECT_EQ(ex.lots("alice"), 0);
}

// Applies signed commands to an engine outside the fixture (a restored one).
struct Driver {
  Engine& engine;
  SeqNo seq;
  Timestamp now;

  std::vector<Event> run(const crypto::KeyPair& signer, CommandBody body) {
    now += 1;
    SignedCommand sc = sign_command(signer, ++seq, now, std::move(body));
    EXPECT_TRUE(verify_command(sc));
    auto ev = engine.apply(sc.command);
    std::vector<Event> out(ev.begin(), ev.end());
    const Status inv = engine.check_invariants();
    EXPECT_TRUE(inv) << inv.to_string();
    return out;
  }
  std::vector<Event> quote(int source, int64_t price) { return run(PerpExchange::source(source), OracleUpdate{{{BTC, price}}}); }
};

TEST(RiskOracle, ARestartDoesNotRevivePricesOrLetOneSourceLiquidate) {
  PerpExchange ex;
  alice_long(ex);
  const AccountId alice = ex.id("alice");
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored) << restored.status().to_string();
  Engine& e = *restored.value();
  ASSERT_EQ(e.state_root(), ex.engine().state_root());
  Driver d{e, e.last_seq(), e.last_timestamp() + kStalenessUs + 1};
  // Beyond staleness on the restored engine: frozen, and one source's crash liquidates nothing.
  EXPECT_FALSE(e.prices_at(d.now + 1).asset[BTC].has_value());
  auto ev = d.quote(0, usd(30'000));
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
  ev = d.quote(1, usd(30'000));
  EXPECT_TRUE(of_kind(ev, EventKind::LiquidationStarted).empty());
  ASSERT_NE(e.position(alice, kPerp), nullptr);
  EXPECT_EQ(e.position(alice, kPerp)->lots, 1000);
  // Three sources: the crash is the index and the liquidation proceeds.
  ev = d.quote(2, usd(30'000));
  const auto started = of_kind(ev, EventKind::LiquidationStarted);
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].account, alice);
  EXPECT_EQ(e.position(alice, kPerp), nullptr);
}

TEST(RiskOracle, RefusedUpdatesChangeNothing) {
  PerpExchange ex;
  alice_long(ex);
  auto refused = [&](const crypto::KeyPair& signer, OracleUpdate u, Error want) {
    const auto root = ex.engine().state_root();
    const auto ev = ex.run(signer, std::move(u));
    EXPECT_TRUE(rejected_with(ev, want)) << (ev.empty() ? "no event" : error_name(ev[0].error));
    EXPECT_EQ(ex.engine().state_root(), root);
  };
  const auto source0 = PerpExchange::source(0);
  // Not a source: a customer's key, the chain watcher's.
  refused(ex.key("alice"), OracleUpdate{{{BTC, usd(30'000)}}}, Error::Unauthorized);
  refused(ex.watcher(), OracleUpdate{{{BTC, usd(30'000)}}}, Error::Unauthorized);
  // USDC is the margin asset, SOL is not valued: neither is priced by the oracle.
  refused(source0, OracleUpdate{{{USDC, kUsdc}}}, Error::InvalidArgument);
  refused(source0, OracleUpdate{{{SOL, usd(100)}}}, Error::InvalidArgument);
  refused(source0, OracleUpdate{{{BTC, usd(50'000)}, {USDC, kUsdc}}}, Error::InvalidArgument);
  refused(source0, OracleUpdate{{{BTC, 0}}}, Error::InvalidPrice);
  refused(source0, OracleUpdate{{{BTC, -usd(50'000)}}}, Error::InvalidPrice);
  refused(source0, OracleUpdate{{{BTC, usd(50'000)}, {BTC, usd(30'000)}}}, Error::InvalidArgument);
  refused(source0, OracleUpdate{{}}, Error::InvalidArgument);
  refused(source0, OracleUpdate{{{AssetId{99}, usd(1)}}}, Error::UnknownAsset);
  // Three sources' worth of refused crash quotes moved nothing.
  EXPECT_EQ(index_now(ex), usd(50'000));
  EXPECT_EQ(ex.lots("alice"), 1000);
  // A well-formed one is accepted (and is not a Rejected event).
  const auto ok = ex.quote(0, usd(50'100));
  EXPECT_TRUE(ok.empty() || ok[0].kind != EventKind::Rejected);
}

}  // namespace
}  // namespace glassbook::engine::testing
