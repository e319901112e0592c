// A short served demo (127.0.0.1): oracle rounds applied, perpetuals traded, a replay reproducing the signed state root, a restart answering as before.
#include "api/beast_http.h"  // first: before any other Beast header pulls in the parser

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "app/demo_oracle.h"
#include "app/demo_perpetuals.h"
#include "app/demo_traders.h"
#include "app/exchange_server.h"
#include "engine/engine.h"
#include "journal/audit.h"
#include "journal/checkpoint.h"
#include "journal/genesis.h"
#include "journal/reader.h"
#include "journal/replay.h"
#include "../api/view_answers.h"
#include "loopback_demo.h"

namespace glassbook::app {
namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/glassbook-serve-demo-XXXXXX";
    const char* p = ::mkdtemp(tmpl);
    path_ = p == nullptr ? std::string() : p;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// What a user can ask the view about every account (system accounts, demo accounts, traders) and market.
std::string view_answers(const api::ExchangeView& v) {
  return api::testing::view_answers(v, {"BTC_USDC", "SOL_USDC", "BTC_PERP", "SOL_PERP"});
}

ExchangeServerOptions demo_options(const std::string& dir) {
  ExchangeServerOptions eo = testing::loopback_demo(dir);
  eo.checkpoint_every = 500;
  return eo;
}

struct DemoRun {
  std::string answers;  // the view's answers once the node stopped
  DemoOracle::Counts oracle;
  PerpOrderFlow::Stats perps;
  std::optional<std::string> checkpoint;  // the live node's last signed checkpoint (written at stop)
  std::optional<journal::NoteVerifier> verifier;
};

// Serves the demo with its feeder (a round every 0.1 s) and 4 + 4 traders (400 orders/s) until the
// perpetual traders have traded and hold positions, for 2 s at least and 20 s at most.
DemoRun serve_briefly(const std::string& dir) {
  DemoRun run;
  auto started = ExchangeServer::start(demo_options(dir));
  EXPECT_TRUE(started.is_ok()) << started.status().to_string();
  if (!started.is_ok()) return run;
  ExchangeServer& ex = **started;
  EXPECT_TRUE(ex.recovery().created);
  DemoOracle oracle(ex.node(), ex.keys(), DemoOracleOptions{0.1, 5, 7});
  EXPECT_GT(oracle.reference(kDemoBtc), 0);
  DemoTraders traders(ex.node(), ex.view(), ex.keys(), 4, 400, [&oracle](AssetId a) { return oracle.reference(a); });
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    const auto s = traders.perp_stats();
    if (elapsed >= std::chrono::seconds(20)) break;
    if (elapsed >= std::chrono::seconds(2) && s.trades >= 10 && s.positions >= 2) break;
  }
  // The serve order: traders, feeder, then the node (every accepted command durable, a last checkpoint).
  traders.stop();
  oracle.stop();
  ex.stop();
  traders.print_summary();
  run.answers = view_answers(ex.view());
  run.checkpoint = ex.node().latest_checkpoint();
  run.verifier = ex.node().log_verifier();
  run.oracle = oracle.counts();
  run.perps = traders.perp_stats();
  return run;
}

TEST(ServeDemo, OraclePerpetualsAndAReplayThatReproducesTheStateRoot) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const DemoRun run = serve_briefly(dir.path());

  // The feeder's updates were applied, and the perpetual traders traded (their refusals are counted,
  // never fatal).
  EXPECT_GT(run.oracle.applied, 50u);
  EXPECT_EQ(run.oracle.refused, 0u);
  EXPECT_GT(run.perps.orders, 0u);
  EXPECT_GT(run.perps.trades, 0u);
  EXPECT_GT(run.perps.positions, 0u);

  // Replay from genesis, one command at a time, the invariants checked after each.
  std::vector<journal::Record> records;
  journal::ScanOptions scan;
  scan.repair = false;
  auto scanned = journal::scan_journal(dir.path(), scan, journal::collect_records(records));
  ASSERT_TRUE(scanned.is_ok()) << scanned.status().to_string();
  ASSERT_GT(records.size(), 100u);
  auto genesis = journal::open_genesis(records[0]);
  ASSERT_TRUE(genesis.is_ok()) << genesis.status().to_string();
  EXPECT_EQ(*genesis, demo_exchange_config(demo_keys()));
  engine::Engine eng(*genesis);
  size_t oracle_updates = 0, rejected = 0;
  for (size_t i = 1; i < records.size(); ++i) {
    auto cmd = journal::to_command(records[i]);
    ASSERT_TRUE(cmd.is_ok()) << cmd.status().to_string();
    if (std::holds_alternative<engine::OracleReport>(cmd->body)) ++oracle_updates;
    const auto events = eng.apply(*cmd);
    if (!events.empty() && events[0].kind == engine::EventKind::Rejected) ++rejected;
    const Status inv = eng.check_invariants();
    ASSERT_TRUE(inv.is_ok()) << "after seq " << records[i].seq << ": " << inv.to_string();
  }
  EXPECT_EQ(oracle_updates, run.oracle.applied);
  EXPECT_LT(rejected, records.size() / 2);

  // The index is not frozen at the end, the perpetuals have marks and trades, and accounts hold positions.
  const engine::RiskPrices prices = eng.prices_at(eng.last_timestamp());
  EXPECT_TRUE(prices.asset[kDemoBtc].has_value());
  EXPECT_TRUE(prices.asset[kDemoSol].has_value());
  EXPECT_TRUE(prices.mark[kDemoBtcPerp].has_value());
  EXPECT_TRUE(prices.mark[kDemoSolPerp].has_value());
  EXPECT_GT(eng.stats(kDemoBtcPerp).trades + eng.stats(kDemoSolPerp).trades, 0u);
  EXPECT_GE(eng.accounts_with_positions(), 2u);
  EXPECT_GT(eng.stats(0).trades + eng.stats(1).trades, 0u) << "the spot traders still trade";
  // The insurance fund's capital arrived at start-up.
  EXPECT_GT(eng.ledger().balance(kInsuranceAccount, kDemoUsdc).total, 0);

  // The audit re-checks every signature, hash link and signed checkpoint, the last one (written at
  // stop) covering the whole journal: the replayed state root is the one the live node signed.
  auto audit = journal::audit_journal(dir.path());
  ASSERT_TRUE(audit.is_ok()) << audit.status().to_string();
  EXPECT_EQ(audit->divergence, "");
  EXPECT_EQ(audit->tree_size, records.size());
  EXPECT_GT(audit->checkpoints_verified, 0u);
  EXPECT_EQ(audit->signatures_verified, records.size()) << "genesis and every command are signed";
  EXPECT_EQ(audit->state_root, eng.state_root());
  ASSERT_TRUE(run.checkpoint.has_value());
  ASSERT_TRUE(run.verifier.has_value());
  auto last = journal::verify_checkpoint(*run.checkpoint, *run.verifier);
  ASSERT_TRUE(last.is_ok()) << last.status().to_string();
  EXPECT_EQ(last->tree_size, records.size());
  EXPECT_EQ(last->state_root, eng.state_root()) << "the replay reproduces the live node's last state root";
}

TEST(ServeDemo, ARestartedServerAnswersAsBefore) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const DemoRun run = serve_briefly(dir.path());
  ASSERT_GT(run.perps.trades, 0u);
  ASSERT_NE(run.answers.find("\"Filled\""), std::string::npos) << "orders were filled before the restart";

  // The restarted server rebuilds its view from the journal: order and fill histories, deposits,
  // trades, klines and depth (with its update ids) are those the users saw before the stop.
  auto restarted = ExchangeServer::start(demo_options(dir.path()));
  ASSERT_TRUE(restarted.is_ok()) << restarted.status().to_string();
  EXPECT_FALSE((*restarted)->recovery().created);
  (*restarted)->stop();
  EXPECT_EQ(view_answers((*restarted)->view()), run.answers);
}

}  // namespace
}  // namespace glassbook::app
