// rebuild_view: a view rebuilt from the journal answers exactly as one that followed the exchange since genesis; disagreements are refused.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../journal/journal_test_util.h"
#include "api/view_rebuild.h"
#include "view_answers.h"
#include "journal/genesis.h"
#include "journal/replay.h"

namespace glassbook::api {
namespace {

using journal::Record;
using journal::testing::Session;
using journal::testing::TempDir;

// A random trading history (Session: orders of every kind, cancels, amends, refused commands) and
// the real genesis record that configures it.
struct History {
  crypto::KeyPair log = crypto::KeyPair::from_seed(crypto::seed_from_label("view-rebuild/log"));
  Session session;
  engine::ExchangeConfig config;
  std::vector<Record> records;  // genesis first

  explicit History(uint64_t seed, int traders = 6, int commands = 600) {
    session.trade(traders, commands, seed);
    config = engine::demo_config(session.watcher_key());
    config.log_key = log.public_key();
    records.push_back(journal::make_genesis(config, log, 1'700'000'000'000'000));
    records.insert(records.end(), session.records().begin(), session.records().end());
  }
};

// What a user can ask the view about every account (the system accounts and the traders) and market.
std::string answers(const ExchangeView& v) { return testing::view_answers(v, {"BTC_USDC", "SOL_USDC"}); }

TEST(ViewRebuild, EqualsAViewThatFollowedTheExchangeSinceGenesis) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    History h(seed);
    TempDir dir;
    journal::testing::write_journal(dir.path(), h.records, 7);

    // The live path: an engine applying each command, a view fed the command and its events.
    engine::Engine live(h.config);
    ExchangeView followed(std::make_unique<engine::Engine>(h.config));
    std::vector<StreamFrame> frames;
    for (size_t i = 1; i < h.records.size(); ++i) {
      auto command = journal::to_command(h.records[i]);
      ASSERT_TRUE(command.is_ok()) << command.status().to_string();
      const auto events = live.apply(*command);
      followed.apply(*command, events, frames);
    }

    auto rebuilt = rebuild_view(dir.path(), live);
    ASSERT_TRUE(rebuilt.is_ok()) << rebuilt.status().to_string();
    EXPECT_EQ((*rebuilt)->last_seq(), live.last_seq());
    EXPECT_EQ((*rebuilt)->state_root(), live.state_root());
    const std::string expected = answers(followed);
    EXPECT_EQ(answers(**rebuilt), expected) << "seed " << seed;
    // The histories are there: orders with their history, fills and deposits (a view copied from the
    // recovered state alone would have none of them).
    EXPECT_NE(expected.find("\"Filled\""), std::string::npos);
    EXPECT_NE((*rebuilt)->fills(*live.account_of(h.session.key(0).public_key()), "", 1000, 0), "[]");
    EXPECT_NE((*rebuilt)->deposits(*live.account_of(h.session.key(0).public_key()), 1000, 0), "[]");
  }
}

TEST(ViewRebuild, StopsAtTheRecoveredSeq) {
  History h(4);
  TempDir dir;
  journal::testing::write_journal(dir.path(), h.records);
  engine::Engine recovered(h.config);
  const size_t upto = h.records.size() / 2;
  for (size_t i = 1; i <= upto; ++i) recovered.apply(journal::to_command(h.records[i]).value());
  auto rebuilt = rebuild_view(dir.path(), recovered);
  ASSERT_TRUE(rebuilt.is_ok()) << rebuilt.status().to_string();
  EXPECT_EQ((*rebuilt)->last_seq(), upto);
  EXPECT_EQ((*rebuilt)->state_root(), recovered.state_root());
}

TEST(ViewRebuild, AStateTheJournalDoesNotReproduceIsRefused) {
  History h(5);
  TempDir dir;
  journal::testing::write_journal(dir.path(), h.records);
  // The recovered engine applied something else at the last seq: a deposit no record holds.
  engine::Engine recovered(h.config);
  for (size_t i = 1; i + 1 < h.records.size(); ++i) recovered.apply(journal::to_command(h.records[i]).value());
  const crypto::KeyPair watcher = crypto::KeyPair::from_seed(crypto::seed_from_label("journal-test/watcher"));
  const AccountId a = *recovered.account_of(h.session.key(1).public_key());
  const auto sc = engine::sign_command(watcher, h.records.back().seq, h.records.back().timestamp, engine::Deposit{a, 2, 1, 999'999});
  recovered.apply(sc.command);
  ASSERT_EQ(recovered.last_seq(), h.records.back().seq);
  auto rebuilt = rebuild_view(dir.path(), recovered);
  ASSERT_FALSE(rebuilt.is_ok());
  EXPECT_EQ(rebuilt.status().code(), Error::Corruption);
  EXPECT_NE(rebuilt.status().message().find("state root"), std::string::npos) << rebuilt.status().message();
}

TEST(ViewRebuild, AJournalThatEndsBeforeTheRecoveredSeqIsRefused) {
  History h(6);
  TempDir dir;
  const std::vector<Record> shorter(h.records.begin(), h.records.begin() + static_cast<std::ptrdiff_t>(h.records.size() / 2));
  journal::testing::write_journal(dir.path(), shorter);
  engine::Engine recovered(h.config);
  for (size_t i = 1; i < h.records.size(); ++i) recovered.apply(journal::to_command(h.records[i]).value());
  auto rebuilt = rebuild_view(dir.path(), recovered);
  ASSERT_FALSE(rebuilt.is_ok());
  EXPECT_EQ(rebuilt.status().code(), Error::Corruption);
  EXPECT_NE(rebuilt.status().message().find("ends before"), std::string::npos) << rebuilt.status().message();
}

TEST(ViewRebuild, AJournalOfAnotherExchangeIsRefused) {
  History h(7, 2, 20);
  TempDir dir;
  std::vector<Record> records = h.records;
  records[0].signature[0] ^= 1;  // genesis no longer signed by the log key it names
  journal::testing::write_journal(dir.path(), records);
  engine::Engine recovered(h.config);
  auto rebuilt = rebuild_view(dir.path(), recovered);
  ASSERT_FALSE(rebuilt.is_ok());
  EXPECT_NE(rebuilt.status().message().find("rebuilding the view"), std::string::npos) << rebuilt.status().message();
}

}  // namespace
}  // namespace glassbook::api
