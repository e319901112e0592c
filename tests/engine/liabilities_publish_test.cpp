// Published liabilities roots: the configured proof key publishes a root of a past state; a forged
// one (another signer, no key configured, a future or repeated sequence, wrong sums or depth) is
// refused and changes nothing; the newest root is in the snapshot and the state root.
#include <gtest/gtest.h>

#include "engine/command_codec.h"
#include "engine/config_codec.h"
#include "exchange_fixture.h"

namespace glassbook::engine::testing {
namespace {

const crypto::KeyPair& proof_key() {
  static const crypto::KeyPair k = crypto::KeyPair::from_seed(crypto::seed_from_label("test/proof"));
  return k;
}

class LiabilitiesPublish : public ::testing::Test {
 protected:
  LiabilitiesPublish() : ex([](ExchangeConfig& c) { c.proof_key = proof_key().public_key(); }) {
    ex.check_invariants_always();
    alice = ex.open("alice");
    ex.deposit("alice", USDC, 500 * kUsdc);
  }
  PublishLiabilitiesRoot root_at(SeqNo seq) {
    PublishLiabilitiesRoot p;
    p.snapshot_id[0] = 7;
    p.checkpoint_seq = seq;
    p.hash[0] = 9;
    p.sums = {0, 0, 500 * kUsdc};
    p.depth = 1;
    p.time = ex.now() - 1;
    p.root_signature[0] = 1;
    return p;
  }
  void expect_refused(const crypto::KeyPair& signer, const PublishLiabilitiesRoot& p, Error code, const std::string& why) {
    const auto root = ex.engine().state_root();
    const uint64_t count = ex.engine().published_liabilities().count();
    EXPECT_EQ(rejection(ex.run(signer, p)), code);
    EXPECT_NE(ex.engine().last_error().find(why), std::string::npos) << ex.engine().last_error();
    EXPECT_EQ(ex.engine().state_root(), root);
    EXPECT_EQ(ex.engine().published_liabilities().count(), count);
  }
  Exchange ex;
  AccountId alice = 0;
};

TEST_F(LiabilitiesPublish, TheProofKeyPublishesARootOfAPastState) {
  const SeqNo past = ex.engine().last_seq();
  const auto before = ex.engine().state_root();
  const PublishLiabilitiesRoot p = root_at(past);
  ASSERT_EQ(rejection(ex.run(proof_key(), p)), Error::Ok) << ex.engine().last_error();
  EXPECT_EQ(ex.engine().published_liabilities().count(), 1u);
  ASSERT_TRUE(ex.engine().published_liabilities().newest().has_value());
  EXPECT_EQ(*ex.engine().published_liabilities().newest(), p);
  EXPECT_NE(ex.engine().state_root(), before);  // the root is part of the state
  // A later one replaces it as the newest.
  ex.deposit("alice", USDC, kUsdc);
  PublishLiabilitiesRoot q = root_at(ex.engine().last_seq());
  ASSERT_EQ(rejection(ex.run(proof_key(), q)), Error::Ok) << ex.engine().last_error();
  EXPECT_EQ(ex.engine().published_liabilities().count(), 2u);
  EXPECT_EQ(ex.engine().published_liabilities().newest()->checkpoint_seq, q.checkpoint_seq);
}

TEST_F(LiabilitiesPublish, AForgedRootIsRefusedAndChangesNothing) {
  const SeqNo past = ex.engine().last_seq();
  expect_refused(ex.key("mallory"), root_at(past), Error::Unauthorized, "signed by the configured proof key");
  expect_refused(ex.watcher(), root_at(past), Error::Unauthorized, "signed by the configured proof key");
  // The command's own sequence is past + 1 (refused commands still take a sequence): a root of the
  // state it is in, or of a future one, is refused.
  expect_refused(proof_key(), root_at(past + 10), Error::InvalidArgument, "not a past one");
  expect_refused(proof_key(), root_at(ex.engine().last_seq() + 1), Error::InvalidArgument, "not a past one");
  PublishLiabilitiesRoot few = root_at(past);
  few.sums.pop_back();
  expect_refused(proof_key(), few, Error::InvalidArgument, "2 sums for 3 assets");
  PublishLiabilitiesRoot deep = root_at(past);
  deep.depth = 33;
  expect_refused(proof_key(), deep, Error::InvalidArgument, "depth 33 is outside 1..32");
  PublishLiabilitiesRoot late = root_at(past);
  late.time = ex.now() + 1'000'000;
  expect_refused(proof_key(), late, Error::InvalidArgument, "after the sequencer's");
  // Once one is published, another of the same or an earlier sequence is refused.
  ASSERT_EQ(rejection(ex.run(proof_key(), root_at(past))), Error::Ok) << ex.engine().last_error();
  expect_refused(proof_key(), root_at(past), Error::InvalidArgument, "not after the newest published root's");
  expect_refused(proof_key(), root_at(past - 1), Error::InvalidArgument, "not after the newest published root's");
}

TEST(LiabilitiesPublishNoKey, WithoutAConfiguredProofKeyNothingCanBePublished) {
  Exchange ex;
  ex.open("alice");
  PublishLiabilitiesRoot p;
  p.checkpoint_seq = ex.engine().last_seq();
  p.sums = {0, 0, 0};
  p.depth = 1;
  const auto root = ex.engine().state_root();
  EXPECT_EQ(rejection(ex.run(proof_key(), p)), Error::Unauthorized);
  EXPECT_NE(ex.engine().last_error().find("names no proof key"), std::string::npos) << ex.engine().last_error();
  EXPECT_EQ(ex.engine().state_root(), root);
}

TEST_F(LiabilitiesPublish, TheNewestRootSurvivesASnapshotAndTheCommandItsEncoding) {
  PublishLiabilitiesRoot p = root_at(ex.engine().last_seq());
  p.sums[1] = (static_cast<unsigned __int128>(1) << 100) + 5;  // 128-bit sums travel whole
  ASSERT_EQ(rejection(ex.run(proof_key(), p)), Error::Ok) << ex.engine().last_error();
  auto restored = Engine::restore(ex.engine().snapshot());
  ASSERT_TRUE(restored) << restored.status().to_string();
  EXPECT_EQ((*restored)->state_root(), ex.engine().state_root());
  ASSERT_TRUE((*restored)->published_liabilities().newest().has_value());
  EXPECT_EQ(*(*restored)->published_liabilities().newest(), p);
  auto decoded = decode_body(signing_bytes(CommandBody{p}));
  ASSERT_TRUE(decoded) << decoded.status().to_string();
  EXPECT_EQ(std::get<PublishLiabilitiesRoot>(*decoded), p);
}

TEST(LiabilitiesConfig, TheProofKeyTravelsInItsOwnSectionOnlyWhenNamed) {
  ExchangeConfig c = demo_config(crypto::KeyPair::from_seed(crypto::seed_from_label("test/watcher")).public_key());
  const std::string without = encode_config(c);
  c.proof_key = proof_key().public_key();
  const std::string with = encode_config(c);
  EXPECT_GT(with.size(), without.size());
  auto back = decode_config(with);
  ASSERT_TRUE(back) << back.status().to_string();
  EXPECT_EQ(back->proof_key, c.proof_key);
  auto plain = decode_config(without);
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->proof_key, crypto::PublicKey{});
}

}  // namespace
}  // namespace glassbook::engine::testing
