// Witnessed checkpoints against the rollback: a witness that cosigned the honest history refuses the forger's
// checkpoint with an alarm, and anchored replay counts an anchor only with its quorum of valid cosignatures.
#include <gtest/gtest.h>

#include "crypto/merkle.h"
#include "journal/witness.h"
#include "journal/witness_client.h"
#include "rollback_scenario.h"

namespace glassbook::journal {
namespace {

using namespace testing;

constexpr uint64_t kNow = 1'800'000'000;

// The Merkle log of the journal in `dir` (the node stopped).
crypto::MerkleLog journal_tree(const std::string& dir) {
  crypto::MerkleLog log;
  ScanOptions scan;
  scan.repair = false;
  auto scanned = scan_journal(dir, scan, [&](const RecordView& v) {
    log.append_leaf_hash(v.hash);
    return Status::ok();
  });
  EXPECT_TRUE(scanned.is_ok()) << scanned.status().to_string();
  return log;
}

struct WitnessRig {
  TempDir state;
  std::unique_ptr<Witness> witness;

  explicit WitnessRig(const NoteVerifier& log) {
    WitnessOptions o;
    o.state_dir = state.path();
    o.name = "witness.test/w1";
    o.key = crypto::KeyPair::from_seed(crypto::seed_from_label("witnessed rollback w1"));
    o.logs = {log};
    witness = std::move(Witness::open(std::move(o))).value();
  }

  // What the exchange does with its newest checkpoint, from a client that knows nothing yet.
  WitnessOutcome offer(const std::string& journal_dir, const std::string& note) {
    const crypto::MerkleLog tree = journal_tree(journal_dir);
    auto transport = [&](const std::string& body) -> Result<WitnessHttpReply> {
      WitnessReply r = witness->add_checkpoint(body, kNow);
      return WitnessHttpReply{r.status, r.body};
    };
    auto prover = [&](uint64_t old_size, uint64_t new_size) { return tree.consistency_proof(old_size, new_size); };
    uint64_t known = 0;
    return request_cosignature(transport, prover, witness->key(), note, parse_checkpoint_body(parse_note(note)->body)->tree_size, known);
  }
};

// The honest history, each checkpoint offered to the witness as it is written; returns the anchor
// with the witness's cosignature on it.
AuditAnchor witnessed_history(const std::string& dir, const Session& s, WitnessRig*& rig_out, std::unique_ptr<WitnessRig>& rig) {
  AuditAnchor anchor = honest_history(dir, s);
  rig = std::make_unique<WitnessRig>(anchor.verifier);
  rig_out = rig.get();
  const auto stored = read_checkpoints(dir);
  for (const StoredCheckpoint& e : stored->entries) {
    WitnessOutcome o = rig->offer(dir, e.note);
    EXPECT_EQ(o.kind, WitnessOutcome::Kind::Cosigned) << o.message;
    if (e.checkpoint.tree_size == 201) anchor.note = o.note;
  }
  anchor.witnesses = {rig->witness->key()};
  anchor.quorum = 1;
  return anchor;
}

TEST(WitnessedRollback, TheHonestHistoryIsCosignedAndReplaysWithItsQuorum) {
  TempDir dir;
  Session s;
  s.trade(4, 300, 51);
  WitnessRig* rig = nullptr;
  std::unique_ptr<WitnessRig> owner;
  const AuditAnchor anchor = witnessed_history(dir.path(), s, rig, owner);
  EXPECT_EQ(rig->witness->cosigned_size(anchor.verifier.name), 201u);
  AuditOptions o;
  o.anchor = anchor;
  auto r = audit_journal(dir.path(), o);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->divergence, "");
  EXPECT_EQ(r->anchor_size, 201u);
  EXPECT_EQ(r->anchor_cosigners, std::vector<std::string>{"witness.test/w1"});
}

TEST(WitnessedRollback, AnAnchorWithoutItsQuorumOfCosignaturesDoesNotCount) {
  TempDir dir;
  Session s;
  s.trade(4, 300, 52);
  WitnessRig* rig = nullptr;
  std::unique_ptr<WitnessRig> owner;
  AuditAnchor anchor = witnessed_history(dir.path(), s, rig, owner);
  anchor.note = read_checkpoints(dir.path())->entries.back().note;  // the log's signature alone
  AuditOptions o;
  o.anchor = anchor;
  auto r = audit_journal(dir.path(), o);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), Error::InvalidArgument);
  EXPECT_NE(r.status().message().find("carries 0 valid cosignature(s) of the 1 witnesses given, 1 needed"), std::string::npos)
      << r.status().message();
  // A quorum above the witnesses given is refused too.
  o.anchor->quorum = 2;
  EXPECT_FALSE(audit_journal(dir.path(), o).is_ok());
}

void expect_rollback_caught(bool drop_checkpoint_log, uint64_t seed) {
  TempDir dir;
  Session s;
  s.trade(4, 300, seed);
  WitnessRig* rig = nullptr;
  std::unique_ptr<WitnessRig> owner;
  const AuditAnchor anchor = witnessed_history(dir.path(), s, rig, owner);
  const std::string honest_note = read_checkpoints(dir.path())->entries.back().note;
  roll_back(dir.path(), s, drop_checkpoint_log);

  // The forger's node signed a checkpoint of 205 records over the rewritten tail. The witness
  // cosigned 201 honest records: the forged tree's proof from 201 does not lead to that root.
  const std::string forged = read_checkpoints(dir.path())->entries.back().note;
  EXPECT_EQ(parse_checkpoint_body(parse_note(forged)->body)->tree_size, 205u);
  WitnessOutcome o = rig->offer(dir.path(), forged);
  EXPECT_EQ(o.kind, WitnessOutcome::Kind::Refused) << o.message;
  EXPECT_NE(o.message.find("422"), std::string::npos) << o.message;
  const std::string alarms = rig->witness->alarms();
  EXPECT_NE(alarms.find("ALARM: log " + anchor.verifier.name + ": fork"), std::string::npos) << alarms;
  EXPECT_NE(alarms.find(honest_note), std::string::npos);  // both checkpoints named, in full
  EXPECT_NE(alarms.find(forged), std::string::npos);
  EXPECT_EQ(rig->witness->cosigned_size(anchor.verifier.name), 201u);

  AuditOptions ao;
  ao.anchor = anchor;
  auto r = audit_journal(dir.path(), ao);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_NE(r->divergence.find("the anchor checkpoint (size 201): its Merkle root"), std::string::npos) << r->divergence;
}

TEST(WitnessedRollback, ARollbackBehindADamagedLastCheckpointIsRefusedByTheWitnessAndFailsReplay) {
  expect_rollback_caught(/*drop_checkpoint_log=*/false, 53);
}

TEST(WitnessedRollback, ARollbackWithTheCheckpointLogDroppedIsRefusedByTheWitnessAndFailsReplay) {
  expect_rollback_caught(/*drop_checkpoint_log=*/true, 54);
}

TEST(WitnessedRollback, ACutJournalThatSignsASmallerCheckpointIsARollbackAlarm) {
  TempDir dir;
  Session s;
  s.trade(4, 300, 55);
  WitnessRig* rig = nullptr;
  std::unique_ptr<WitnessRig> owner;
  const AuditAnchor anchor = witnessed_history(dir.path(), s, rig, owner);
  // Cut to 193 records with the checkpoint log dropped, and restart: the node signs 193 again.
  std::filesystem::resize_file(segment_path(dir.path(), 0), offset_of(dir.path(), 193));
  std::filesystem::remove(checkpoint_log_path(dir.path()));
  auto o = options_for(dir.path(), s);
  o.genesis.reset();
  auto node = Node::open(o);
  ASSERT_TRUE(node.is_ok()) << node.status().to_string();
  submit_all(**node, slice(s.records(), 192, 193));
  (*node)->stop();
  const std::string smaller = read_checkpoints(dir.path())->entries.back().note;
  const uint64_t size = parse_checkpoint_body(parse_note(smaller)->body)->tree_size;
  ASSERT_LT(size, 201u);
  WitnessOutcome out = rig->offer(dir.path(), smaller);
  EXPECT_EQ(out.kind, WitnessOutcome::Kind::Refused) << out.message;
  EXPECT_NE(out.message.find("rolled back"), std::string::npos) << out.message;
  EXPECT_NE(rig->witness->alarms().find("rollback"), std::string::npos);
  AuditOptions ao;
  ao.anchor = anchor;
  auto r = audit_journal(dir.path(), ao);
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_FALSE(r->divergence.empty());
}

}  // namespace
}  // namespace glassbook::journal
