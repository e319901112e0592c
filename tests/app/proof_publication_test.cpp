// Publication of the proof of liabilities from a running node: roots built from the node's state
// copies off the engine thread and journaled; the solvency endpoint and an account's own proof (which
// `proof verify` accepts) for the newest and a past root; another account's proof refused; `proof
// audit` on the journal reproducing the published root byte for byte; a forged root refused.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "../api/gateway_rig.h"
#include "app/journal_state.h"
#include "app/proof_publisher.h"
#include "proofs/audit.h"
#include "proofs/proof_json.h"
#include "proofs/verify.h"

namespace glassbook::app {
namespace {

using api::testing::code_of;
using api::testing::GatewayRig;
using api::testing::kNow;

const crypto::KeyPair& proof_key() {
  static const crypto::KeyPair k = crypto::KeyPair::from_seed(crypto::seed_from_label("test/proof"));
  return k;
}

constexpr int64_t kHourUs = 3'600'000'000;

// A rig whose node hands a state copy to a publisher at its first batch, then at the first batch an
// hour of command time later (the test moves the sequencer's clock).
class Publication : public ::testing::Test {
 protected:
  Publication()
      : publisher(ProofPublisherOptions(proof_key())),
        rig([](engine::ExchangeConfig& c) { c.proof_key = proof_key().public_key(); },
            [this](journal::NodeOptions& no) {
              no.sequencer.clock = [this] { return clock_us.load(); };
              no.state_copy_every_us = kHourUs;
              no.on_state_copy = [this](journal::StateCopy copy) { publisher.offer(std::move(copy)); };
              auto recovered = no.on_recovered;
              no.on_recovered = [this, recovered](const engine::Engine& e) {
                recovered(e);
                publisher.recovered(e);
              };
              auto durable = no.on_durable;
              no.on_durable = [this, durable](const engine::Command& c, std::span<const engine::Event> ev) {
                durable(c, ev);
                publisher.on_durable(c, ev.size() == 1 && ev[0].kind == engine::EventKind::Rejected);
              };
            }) {
    publisher.start(*rig.node_);
    rig.restart_gateway([this](api::GatewayOptions& go) {
      go.solvency_json = [this] { return publisher.solvency_json(); };
      go.solvency_proof = [this](AccountId a, std::optional<SeqNo> s, std::optional<crypto::Digest> id) { return publisher.proof_json(a, s, id); };
    });
  }
  ~Publication() override { publisher.stop(); }

  void wait_published(uint64_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (publisher.counts().published < n && publisher.counts().failed == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(publisher.counts().failed, 0u) << publisher.counts().last_error;
    ASSERT_GE(publisher.counts().published, n);
  }
  api::HttpResponse solvency() {
    api::HttpRequest r;
    r.method = "GET";
    r.path = "/api/v1/glassbook/solvency";
    r.remote_ip = "127.0.0.1";
    return rig.call(std::move(r));
  }
  // The signed proof request of `key`'s account; `query` in the signed text's order (sorted).
  api::HttpResponse proof_request(const crypto::KeyPair& key, const std::string& query) {
    const std::string text =
        fmt::format("instruction=solvencyProofQuery{}{}&timestamp={}&window=5000", query.empty() ? "" : "&", query, kNow);
    api::HttpRequest r = rig.request(key, "GET", "/api/v1/glassbook/solvency/proof", "", text);
    r.query = query;
    return rig.call(std::move(r));
  }
  // The roots of a solvency answer, newest first.
  static std::vector<proofs::LiabilitiesRoot> roots_of(const std::string& body) {
    simdjson::dom::parser parser;
    simdjson::dom::element e;
    std::vector<proofs::LiabilitiesRoot> out;
    EXPECT_EQ(parser.parse(body).get(e), simdjson::SUCCESS) << body;
    simdjson::dom::array roots;
    EXPECT_EQ(e["roots"].get(roots), simdjson::SUCCESS) << body;
    for (simdjson::dom::element r : roots) {
      proofs::LiabilitiesRoot root;
      EXPECT_TRUE(proofs::root_from_json(simdjson::to_string(r), root).ok());
      out.push_back(root);
    }
    return out;
  }

  std::atomic<int64_t> clock_us{kNow * 1000};
  ProofPublisher publisher;
  GatewayRig rig;
};

TEST_F(Publication, RootsArePublishedServedVerifiedAndAudited) {
  wait_published(1);
  // An hour later the next batch is copied again: a second root, of a state with both accounts funded.
  clock_us += kHourUs;
  rig.submit_native(rig.watcher_, engine::Deposit{*rig.view_->account_of(rig.alice_.public_key()), 2, 5'000'000, 999});
  wait_published(2);

  const api::HttpResponse s = solvency();
  ASSERT_EQ(s.status, 200u) << s.body;
  const auto roots = roots_of(s.body);
  ASSERT_EQ(roots.size(), 2u);
  EXPECT_GT(roots[0].checkpoint_seq, roots[1].checkpoint_seq);
  for (const auto& r : roots) EXPECT_EQ(r.public_key, proof_key().public_key());

  // Alice's own proof, for the newest root and for the older one: both verify.
  const AccountId alice = *rig.view_->account_of(rig.alice_.public_key());
  const AccountId bob = *rig.view_->account_of(rig.bob_.public_key());
  for (const auto& [query, root] : {std::pair{std::string(), roots[0]},
                                     std::pair{fmt::format("checkpointSeq={}", roots[1].checkpoint_seq), roots[1]},
                                     std::pair{"snapshotId=" + crypto::to_hex(roots[1].snapshot_id), roots[1]}}) {
    const api::HttpResponse p = proof_request(rig.alice_, query);
    ASSERT_EQ(p.status, 200u) << query << ": " << p.body;
    proofs::InclusionProof proof;
    ASSERT_TRUE(proofs::proof_from_json(p.body, proof).ok()) << p.body;
    EXPECT_EQ(proof.account, alice);
    const proofs::ProofStatus v = proofs::verify_inclusion(proof, root, proof_key().public_key());
    EXPECT_TRUE(v.ok()) << query << ": " << v.to_string();
  }
  // Alice's key cannot read Bob's proof; a root never published is a clear error.
  EXPECT_EQ(code_of(proof_request(rig.alice_, fmt::format("account={}", bob))), "UNAUTHORIZED");
  const api::HttpResponse none = proof_request(rig.alice_, "checkpointSeq=1000000");
  EXPECT_NE(none.status, 200u);
  EXPECT_NE(none.body.find("no published liabilities root matches"), std::string::npos) << none.body;

  // The journal holds both roots; replayed to each root's sequence, the audit rebuilds it byte for byte.
  publisher.stop();
  rig.node_->stop();
  auto end = load_journal_state(rig.dir_.path(), true);
  ASSERT_TRUE(end) << end.status().to_string();
  EXPECT_EQ(end->engine->published_liabilities().count(), 2u);
  ASSERT_TRUE(end->engine->published_liabilities().newest().has_value());
  EXPECT_EQ(*end->engine->published_liabilities().newest(), publish_command(roots[0]));
  for (const auto& root : roots) {
    auto state = load_journal_state(rig.dir_.path(), true, root.checkpoint_seq);
    ASSERT_TRUE(state) << state.status().to_string();
    const proofs::ProofStatus audit = proofs::audit_root(*state->engine, proof_key(), root);
    EXPECT_TRUE(audit.ok()) << audit.to_string();
  }
}

TEST_F(Publication, AForgedRootIsRefusedAndChangesNothing) {
  wait_published(1);
  const auto roots = roots_of(solvency().body);
  ASSERT_EQ(roots.size(), 1u);
  const proofs::LiabilitiesRoot good = roots[0];
  journal::StateCopy copy;
  copy.seq = good.checkpoint_seq;
  copy.timestamp = good.time;
  copy.state_root = good.snapshot_id;
  EXPECT_TRUE(check_publication(good, copy, proof_key().public_key()));

  proofs::LiabilitiesRoot wrong_id = good;
  wrong_id.snapshot_id[0] ^= 1;
  proofs::sign_root(wrong_id, proof_key());
  Status s = check_publication(wrong_id, copy, proof_key().public_key());
  EXPECT_EQ(s.code(), Error::InvalidArgument);
  EXPECT_NE(s.message().find("is not the state root"), std::string::npos) << s.message();

  proofs::LiabilitiesRoot bad_signature = good;
  bad_signature.signature[0] ^= 1;
  EXPECT_EQ(check_publication(bad_signature, copy, proof_key().public_key()).code(), Error::InvalidSignature);

  proofs::LiabilitiesRoot other_key = good;
  proofs::sign_root(other_key, rig.alice_);
  EXPECT_EQ(check_publication(other_key, copy, proof_key().public_key()).code(), Error::Unauthorized);

  // Through the node: a root signed by another key, or naming a future sequence, is refused by the
  // engine and publishes nothing.
  const uint64_t count = rig.node_->tree_size();
  auto refused = [&](const crypto::KeyPair& key, engine::PublishLiabilitiesRoot p) {
    std::promise<std::vector<engine::Event>> done;
    auto sc = engine::sign_command(key, 0, 0, engine::CommandBody{std::move(p)});
    EXPECT_TRUE(rig.node_->submit(journal::submission_of(sc), [&](SeqNo, Timestamp, std::span<const engine::Event> ev) {
      done.set_value(std::vector<engine::Event>(ev.begin(), ev.end()));
    }).is_ok());
    const auto ev = done.get_future().get();
    return ev.size() == 1 && ev[0].kind == engine::EventKind::Rejected ? ev[0].message : std::string();
  };
  EXPECT_NE(refused(rig.alice_, publish_command(good)).find("signed by the configured proof key"), std::string::npos);
  engine::PublishLiabilitiesRoot future = publish_command(good);
  future.checkpoint_seq = count + 100;
  EXPECT_NE(refused(proof_key(), future).find("not a past one"), std::string::npos);
  EXPECT_NE(refused(proof_key(), publish_command(good)).find("not after the newest published root's"), std::string::npos);
  EXPECT_EQ(roots_of(solvency().body).size(), 1u);
}

}  // namespace
}  // namespace glassbook::app
