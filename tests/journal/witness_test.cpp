// The witness (tlog-witness): cosigns a growing log, answers the spec's status codes, refuses rollbacks and
// forks with an alarm kept in its state directory, and remembers across restarts.
#include "journal/witness.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <filesystem>

#include "crypto/merkle.h"
#include "journal_test_util.h"

namespace glassbook::journal {
namespace {

using testing::TempDir;

constexpr std::string_view kOrigin = "glassbook.test/journal";
constexpr uint64_t kNow = 1'800'000'000;

crypto::KeyPair log_key() { return crypto::KeyPair::from_seed(crypto::seed_from_label("witness test log")); }
crypto::KeyPair witness_key() { return crypto::KeyPair::from_seed(crypto::seed_from_label("witness test w1")); }
NoteVerifier log_verifier() { return *note_verifier(kOrigin, log_key().public_key()); }

// A Merkle log of `n` distinct leaves (`tag` makes another history).
crypto::MerkleLog tree(uint64_t n, char tag = 'a') {
  crypto::MerkleLog log;
  for (uint64_t i = 0; i < n; ++i) {
    const std::string leaf = fmt::format("{}{}", tag, i);
    log.append({reinterpret_cast<const uint8_t*>(leaf.data()), leaf.size()});
  }
  return log;
}

std::string signed_checkpoint(const crypto::MerkleLog& log, const crypto::KeyPair& key = log_key()) {
  Checkpoint cp;
  cp.origin = std::string(kOrigin);
  cp.tree_size = log.size();
  cp.root = log.root();
  return *sign_checkpoint(cp, kOrigin, key);
}

std::string request(uint64_t old_size, const crypto::MerkleLog& log, const std::string& note) {
  AddCheckpointRequest r;
  r.old_size = old_size;
  if (old_size > 0 && old_size < log.size()) r.proof = *log.consistency_proof(old_size, log.size());
  r.note = note;
  return encode_add_checkpoint(r);
}

std::unique_ptr<Witness> open_witness(const std::string& dir) {
  WitnessOptions o;
  o.state_dir = dir;
  o.name = "witness.test/w1";
  o.key = witness_key();
  o.logs = {log_verifier()};
  auto w = Witness::open(std::move(o));
  EXPECT_TRUE(w.is_ok()) << w.status().message();
  return std::move(w).value();
}

TEST(Witness, CosignsAGrowingLogAndTheCosignatureVerifies) {
  TempDir dir;
  auto w = open_witness(dir.path());
  const auto t5 = tree(5);
  const std::string note5 = signed_checkpoint(t5);
  WitnessReply r = w->add_checkpoint(request(0, t5, note5), kNow);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.alarm.empty());
  const CosignerKey keys[] = {w->key()};
  auto got = verify_cosignatures(*add_signature_lines(note5, r.body), keys);
  ASSERT_TRUE(got.is_ok()) << got.status().message();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].timestamp, kNow);

  const auto t9 = tree(9);
  r = w->add_checkpoint(request(5, t9, signed_checkpoint(t9)), kNow + 1);
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(w->cosigned_size(kOrigin), 9u);
  // The same checkpoint again is cosigned again (a client that lost the answer).
  EXPECT_EQ(w->add_checkpoint(request(9, t9, signed_checkpoint(t9)), kNow + 2).status, 200u);
  EXPECT_TRUE(w->alarms().empty());
}

TEST(Witness, StaleOldSizeGets409WithTheWitnessSize) {
  TempDir dir;
  auto w = open_witness(dir.path());
  const auto t5 = tree(5), t9 = tree(9);
  ASSERT_EQ(w->add_checkpoint(request(0, t5, signed_checkpoint(t5)), kNow).status, 200u);
  WitnessReply r = w->add_checkpoint(request(0, t9, signed_checkpoint(t9)), kNow);
  EXPECT_EQ(r.status, 409u);
  EXPECT_EQ(r.body, "5\n");
  EXPECT_EQ(r.content_type, kSizeContentType);
  EXPECT_TRUE(r.alarm.empty());  // a client that did not know, not a misbehaving log
}

TEST(Witness, SpecStatusCodesForBadRequests) {
  TempDir dir;
  auto w = open_witness(dir.path());
  const auto t5 = tree(5);
  EXPECT_EQ(w->add_checkpoint("old 01\n\n" + signed_checkpoint(t5), kNow).status, 400u);  // leading zero
  EXPECT_EQ(w->add_checkpoint("old 0\n" + signed_checkpoint(t5), kNow).status, 400u);     // no empty line
  EXPECT_EQ(w->add_checkpoint(request(6, t5, signed_checkpoint(t5)), kNow).status, 400u); // old above size
  // Another log's origin: 404.
  Checkpoint other{"other.example/log", 5, t5.root(), {}, {}};
  EXPECT_EQ(w->add_checkpoint(request(0, t5, *sign_checkpoint(other, "other.example/log", log_key())), kNow).status, 404u);
  // Signed by another key: 403.
  const auto forger = crypto::KeyPair::from_seed(crypto::seed_from_label("forger"));
  EXPECT_EQ(w->add_checkpoint(request(0, t5, signed_checkpoint(t5, forger)), kNow).status, 403u);
  EXPECT_EQ(w->cosigned_size(kOrigin), 0u);
  EXPECT_TRUE(w->alarms().empty());
}

TEST(Witness, RollbackIsRefusedWithAnAlarmNamingBothCheckpoints) {
  TempDir dir;
  auto w = open_witness(dir.path());
  const auto t9 = tree(9), t5 = tree(5);
  const std::string note9 = signed_checkpoint(t9), note5 = signed_checkpoint(t5);
  ASSERT_EQ(w->add_checkpoint(request(0, t9, note9), kNow).status, 200u);
  // Whatever old size the log claims, a smaller tree after 9 is refused.
  WitnessReply a = w->add_checkpoint(request(0, t5, note5), kNow);
  EXPECT_EQ(a.status, 409u);
  EXPECT_EQ(a.body, "9\n");
  EXPECT_NE(a.alarm.find("rollback"), std::string::npos);
  EXPECT_NE(a.alarm.find(note9), std::string::npos);
  EXPECT_NE(a.alarm.find(note5), std::string::npos);
  WitnessReply b = w->add_checkpoint(request(9, t5, note5), kNow);
  EXPECT_EQ(b.status, 400u);
  EXPECT_NE(b.alarm.find("rollback"), std::string::npos);
  EXPECT_EQ(w->cosigned_size(kOrigin), 9u);
  // The alarm is on disk, once (the repeated offer adds nothing), and a restarted witness reports it.
  const std::string on_disk = testing::read_all(dir.path() + "/" + kWitnessAlarmFile);
  EXPECT_NE(on_disk.find(note5), std::string::npos);
  EXPECT_EQ(on_disk.find(note5), on_disk.rfind(note5));
  w.reset();
  auto again = open_witness(dir.path());
  EXPECT_EQ(again->alarms(), on_disk);
  EXPECT_EQ(again->cosigned_size(kOrigin), 9u);
}

TEST(Witness, ForkOfTheSameSizeIsA409WithAnAlarm) {
  TempDir dir;
  auto w = open_witness(dir.path());
  const auto t9 = tree(9), fork9 = tree(9, 'b');
  ASSERT_EQ(w->add_checkpoint(request(0, t9, signed_checkpoint(t9)), kNow).status, 200u);
  WitnessReply r = w->add_checkpoint(request(9, fork9, signed_checkpoint(fork9)), kNow);
  EXPECT_EQ(r.status, 409u);
  EXPECT_NE(r.alarm.find("fork"), std::string::npos);
}

TEST(Witness, ForkOfAGreaterSizeFailsTheProofWith422AndAnAlarm) {
  TempDir dir;
  auto w = open_witness(dir.path());
  const auto t5 = tree(5), fork12 = tree(12, 'b');
  ASSERT_EQ(w->add_checkpoint(request(0, t5, signed_checkpoint(t5)), kNow).status, 200u);
  // The forked log's own proof from 5 leads to its own old root, not the cosigned one.
  WitnessReply r = w->add_checkpoint(request(5, fork12, signed_checkpoint(fork12)), kNow);
  EXPECT_EQ(r.status, 422u);
  EXPECT_NE(r.alarm.find("not consistent"), std::string::npos);
  EXPECT_EQ(w->cosigned_size(kOrigin), 5u);
}

TEST(Witness, StateSurvivesARestartAndADamagedStateRefusesToStart) {
  TempDir dir;
  const auto t9 = tree(9), t5 = tree(5);
  {
    auto w = open_witness(dir.path());
    ASSERT_EQ(w->add_checkpoint(request(0, t9, signed_checkpoint(t9)), kNow).status, 200u);
  }
  {
    auto w = open_witness(dir.path());
    EXPECT_EQ(w->cosigned_size(kOrigin), 9u);
    EXPECT_EQ(w->add_checkpoint(request(0, t5, signed_checkpoint(t5)), kNow).status, 409u);
  }
  // No temporary file is left behind by the atomic replacement.
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    EXPECT_FALSE(e.path().string().ends_with(".tmp")) << e.path();
  const std::string state = witness_state_file(dir.path(), log_verifier());
  std::string bytes = testing::read_all(state);
  bytes[bytes.size() / 2] ^= 1;
  testing::write_all(state, bytes);
  WitnessOptions o;
  o.state_dir = dir.path();
  o.name = "witness.test/w1";
  o.key = witness_key();
  o.logs = {log_verifier()};
  auto refused = Witness::open(std::move(o));
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().code(), Error::Corruption);
}

}  // namespace
}  // namespace glassbook::journal
