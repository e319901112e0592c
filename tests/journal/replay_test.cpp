// Replay of a journaled, signed trading session reproduces the live engine's state root; bad
// signatures and undecodable bodies stop replay naming the record.
#include <gtest/gtest.h>

#include "engine/command_codec.h"
#include "journal/replay.h"
#include "journal_test_util.h"

namespace glassbook::journal::testing {
namespace {

std::vector<Record> recovered(const std::string& dir) {
  auto rec = open_and_recover(dir);
  EXPECT_TRUE(rec.is_ok()) << rec.status().to_string();
  return rec.is_ok() ? rec->records : std::vector<Record>{};
}

TEST(Replay, JournaledSessionReproducesTheStateRoot) {
  Session live;
  live.trade(6, 2000, 31);
  TempDir dir;
  write_journal(dir.path(), live.records(), 64);
  const auto records = recovered(dir.path());
  ASSERT_EQ(records.size(), live.records().size());

  for (bool verify : {true, false}) {
    engine::Engine fresh(engine::demo_config(live.watcher_key()));
    auto report = replay(records, fresh, verify);
    ASSERT_TRUE(report.is_ok()) << report.status().to_string();
    EXPECT_EQ(report->applied, records.size());
    EXPECT_GT(report->rejected, 0u);  // the session includes refused commands
    EXPECT_LT(report->rejected, records.size() / 2);
    EXPECT_EQ(report->last_seq, records.back().seq);
    EXPECT_EQ(fresh.state_root(), live.engine().state_root());
    EXPECT_EQ(fresh.last_seq(), live.engine().last_seq());
    EXPECT_TRUE(fresh.check_invariants().is_ok());
  }
  // The session traded: a replay that reproduced an empty state would not be a test.
  EXPECT_GT(live.engine().stats(0).trades, 0u);
}

TEST(Replay, PrefixReplayDiffersFromTheWholeSession) {
  Session live;
  live.trade(4, 300, 32);
  std::vector<Record> prefix(live.records().begin(), live.records().end() - 10);
  engine::Engine fresh(engine::demo_config(live.watcher_key()));
  ASSERT_TRUE(replay(prefix, fresh, true).is_ok());
  EXPECT_NE(fresh.state_root(), live.engine().state_root());
}

TEST(Replay, ForgedSignatureNamesTheSeq) {
  Session live;
  live.trade(3, 50, 33);
  auto records = live.records();
  const size_t bad = 20;
  records[bad].signature[5] ^= 0x40;
  engine::Engine fresh(engine::demo_config(live.watcher_key()));
  auto report = replay(records, fresh, true);
  ASSERT_FALSE(report.is_ok());
  EXPECT_EQ(report.code(), Error::InvalidSignature);
  EXPECT_NE(report.status().message().find("seq " + std::to_string(records[bad].seq) + ":"), std::string::npos)
      << report.status().message();
  EXPECT_EQ(fresh.last_seq(), records[bad - 1].seq);  // everything before it was applied

  engine::Engine unchecked(engine::demo_config(live.watcher_key()));
  EXPECT_TRUE(replay(records, unchecked, false).is_ok());
}

TEST(Replay, BodySignedByAnotherKeyNamesTheSeq) {
  // A record whose signer field was swapped for another account's key fails verification.
  Session live;
  live.trade(3, 30, 34);
  auto records = live.records();
  records[15].signer = live.key(2).public_key() == records[15].signer ? live.key(1).public_key() : live.key(2).public_key();
  engine::Engine fresh(engine::demo_config(live.watcher_key()));
  auto report = replay(records, fresh, true);
  ASSERT_FALSE(report.is_ok());
  EXPECT_NE(report.status().message().find("seq " + std::to_string(records[15].seq)), std::string::npos);
}

TEST(Replay, UndecodableBodyOrWrongKindNamesTheSeq) {
  Session live;
  live.trade(2, 20, 35);
  {
    auto records = live.records();
    records[7].signed_bytes.push_back('\0');
    engine::Engine fresh(engine::demo_config(live.watcher_key()));
    auto report = replay(records, fresh, false);
    ASSERT_FALSE(report.is_ok());
    EXPECT_NE(report.status().message().find("seq 8:"), std::string::npos) << report.status().message();
  }
  {
    auto records = live.records();
    records[9].kind = static_cast<uint8_t>((records[9].kind + 1) % 6);
    engine::Engine fresh(engine::demo_config(live.watcher_key()));
    auto report = replay(records, fresh, false);
    ASSERT_FALSE(report.is_ok());
    EXPECT_NE(report.status().message().find("seq 10:"), std::string::npos) << report.status().message();
  }
}

}  // namespace
}  // namespace glassbook::journal::testing
