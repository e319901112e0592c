// Anchored audit: with write access to the directory alone one can roll the journal back after the
// second-to-last checkpoint, damage the last checkpoint entry (it then reads as a torn tail) or drop
// the checkpoint log, restart, and have the exchange sign a fresh checkpoint over the forgery. A
// plain replay accepts that; a replay anchored to a checkpoint kept outside the directory does not.
#include <gtest/gtest.h>

#include <filesystem>

#include <fmt/format.h>

#include "journal/audit.h"
#include "journal/checkpoint_log.h"
#include "journal/reader.h"
#include "rollback_scenario.h"

namespace glassbook::journal {
namespace {

using namespace testing;

TEST(AuditAnchor, TheHonestHistoryReproducesTheAnchor) {
  TempDir dir;
  Session s;
  s.trade(4, 300, 41);
  const AuditAnchor anchor = honest_history(dir.path(), s);
  AuditOptions o;
  o.anchor = anchor;
  auto r = audit_journal(dir.path(), o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->divergence, "");
  EXPECT_EQ(r->anchor_size, 201u);
  EXPECT_EQ(r->covered, 201u);
  EXPECT_EQ(r->tree_size, 201u);
}

TEST(AuditAnchor, ARollbackBehindADamagedLastCheckpointFailsAnchoredReplay) {
  TempDir dir;
  Session s;
  s.trade(4, 300, 42);
  const AuditAnchor anchor = honest_history(dir.path(), s);
  roll_back(dir.path(), s, /*drop_checkpoint_log=*/false);

  auto plain = audit_journal(dir.path());  // the forgery passes a replay without an anchor
  ASSERT_TRUE(plain.is_ok()) << plain.status().to_string();
  EXPECT_EQ(plain->divergence, "");
  EXPECT_EQ(plain->tree_size, 205u);
  EXPECT_EQ(plain->covered, 205u);  // the node signed the forged records

  AuditOptions o;
  o.anchor = anchor;
  auto anchored = audit_journal(dir.path(), o);
  ASSERT_TRUE(anchored.is_ok()) << anchored.status().to_string();
  EXPECT_NE(anchored->divergence.find("the anchor checkpoint (size 201): its Merkle root"), std::string::npos)
      << anchored->divergence;
  EXPECT_FALSE(anchored->anchor_size.has_value());
}

TEST(AuditAnchor, ARollbackWithTheCheckpointLogDroppedFailsAnchoredReplay) {
  TempDir dir;
  Session s;
  s.trade(4, 300, 43);
  const AuditAnchor anchor = honest_history(dir.path(), s);
  roll_back(dir.path(), s, /*drop_checkpoint_log=*/true);
  std::filesystem::remove(checkpoint_log_path(dir.path()));  // and the forger's own checkpoints too

  auto plain = audit_journal(dir.path());
  ASSERT_TRUE(plain.is_ok()) << plain.status().to_string();
  EXPECT_EQ(plain->divergence, "");
  EXPECT_EQ(plain->checkpoints_verified, 0u);
  EXPECT_EQ(plain->covered, 0u);  // nothing signed covers any record

  AuditOptions o;
  o.anchor = anchor;
  auto anchored = audit_journal(dir.path(), o);
  ASSERT_TRUE(anchored.is_ok()) << anchored.status().to_string();
  EXPECT_NE(anchored->divergence.find("the anchor checkpoint (size 201): its Merkle root"), std::string::npos)
      << anchored->divergence;
}

TEST(AuditAnchor, AJournalShorterThanTheAnchorIsARollback) {
  TempDir dir;
  Session s;
  s.trade(4, 300, 44);
  const AuditAnchor anchor = honest_history(dir.path(), s);
  std::filesystem::resize_file(segment_path(dir.path(), 0), offset_of(dir.path(), 193));
  std::filesystem::remove(checkpoint_log_path(dir.path()));
  AuditOptions o;
  o.anchor = anchor;
  auto r = audit_journal(dir.path(), o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->divergence,
            "the anchor checkpoint covers 201 records, but the journal holds only 193: acknowledged records are missing "
            "(the journal was rolled back)");
}

TEST(AuditAnchor, AnAnchorThatDoesNotVerifyIsRefusedBeforeReplay) {
  TempDir dir;
  Session s;
  s.trade(4, 300, 45);
  AuditAnchor anchor = honest_history(dir.path(), s);
  anchor.verifier = note_verifier(anchor.verifier.name, crypto::KeyPair::from_seed(crypto::seed_from_label("other")).public_key()).value();
  AuditOptions o;
  o.anchor = anchor;
  auto r = audit_journal(dir.path(), o);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Error::InvalidArgument);
  EXPECT_NE(r.status().message().find("the anchor checkpoint does not verify"), std::string::npos) << r.status().message();
}

TEST(AuditAnchor, ATornLastCheckpointEntryIsReportedLikeATornJournalTail) {
  TempDir dir;
  Session s;
  s.trade(4, 300, 46);
  honest_history(dir.path(), s);
  const std::string log = checkpoint_log_path(dir.path());
  const uint64_t size = std::filesystem::file_size(log);
  write_all(log, read_all(log) + "checkpoint 9");
  auto r = audit_journal(dir.path());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->divergence, "");
  EXPECT_NE(r->checkpoint_log_damage.find(fmt::format("torn tail at offset {} where entry 4 was expected", size)), std::string::npos)
      << r->checkpoint_log_damage;
  EXPECT_EQ(std::filesystem::file_size(log), size + 12);  // left in place
}

TEST(AuditAnchor, ACommandTheEngineRefusesAsUnauthorizedIsTampering) {
  TempDir dir;
  Session s;
  s.trade(4, 100, 47);
  // A record inserted by someone holding one trader's key: a cancel of another trader's orders.
  const AccountId victim = *s.engine().account_of(s.key(1).public_key());
  s.run(s.key(0), engine::CancelAll{victim, engine::kAllMarkets});
  auto node = Node::open(options_for(dir.path(), s));
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  submit_each(**node, s.records());  // in order: the Cancel lane would otherwise overtake orders
  (*node)->stop();
  auto r = audit_journal(dir.path());
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const SeqNo seq = s.records().size();
  EXPECT_NE(r->divergence.find(fmt::format("seq {}: tampering: the engine refuses this CancelAll as unauthorized", seq)),
            std::string::npos)
      << r->divergence;
  EXPECT_EQ(r->records, seq) << r->divergence;  // everything before it was replayed
}

}  // namespace
}  // namespace glassbook::journal
