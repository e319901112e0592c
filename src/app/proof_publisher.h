// Publication of the proof of liabilities from a running node: every interval the node hands over a
// copy of a checkpointed state; a thread of its own restores it, builds the liabilities tree, checks
// and journals the signed root (PublishLiabilitiesRoot), and keeps the recent trees to answer
// accounts' proofs (docs/proofs.md, "Publication").
#pragma once
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "engine/command.h"
#include "journal/node.h"
#include "proofs/audit.h"

namespace glassbook::app {

struct ProofPublisherOptions {
  explicit ProofPublisherOptions(crypto::KeyPair key) : proof_key(std::move(key)) {}
  crypto::KeyPair proof_key;  // must be the configuration's proof_key
  // Built trees kept in memory to answer proofs: the newest and the ones before it. About 100 bytes
  // per leaf and asset (hashes and 128-bit sums at every level): 4 trees of 2^20 accounts x 3 assets
  // hold about 1.2 GB, so the demo's small trees are cheap and a large exchange lowers this.
  size_t keep_trees = 4;
  // Published roots listed by GET /api/v1/glassbook/solvency (a day at one a minute); older ones
  // are in the journal.
  size_t keep_roots = 1440;
  proofs::TreeOptions tree;
};

// Why `root` may not be journaled for the state `copy`: it must name the copy's sequence and state
// root (the state root the journal's checkpoint at that sequence carries), its time, and carry a
// valid signature by `proof_key`. Ok when it may.
Status check_publication(const proofs::LiabilitiesRoot& root, const journal::StateCopy& copy, const crypto::PublicKey& proof_key);

// The command that journals `root` (its sums in the configuration's asset order).
engine::PublishLiabilitiesRoot publish_command(const proofs::LiabilitiesRoot& root);
// The root a journaled command publishes, in the JSON form `glassbook proof verify` reads: the
// asset symbols and the public key come from the configuration.
proofs::LiabilitiesRoot root_of_command(const engine::PublishLiabilitiesRoot& p, const engine::ExchangeConfig& config);

class ProofPublisher {
 public:
  explicit ProofPublisher(ProofPublisherOptions options);
  ~ProofPublisher();
  ProofPublisher(const ProofPublisher&) = delete;
  ProofPublisher& operator=(const ProofPublisher&) = delete;

  // Starts the building thread, which submits the roots to `node`. Before: offer() only queues.
  void start(journal::Node& node);
  // Stops it (a build under way finishes; its root is not submitted when the node is stopping).
  void stop();

  // The node's on_state_copy (journal thread): queued; a copy waiting for the thread is replaced
  // by the newer one (one build at a time: a build of 2^20 accounts takes about 2 s of CPU).
  void offer(journal::StateCopy copy);
  // The node's on_recovered (before any command runs): the configuration (its assets and proof key
  // name the roots) and the newest root the recovered state holds.
  void recovered(const engine::Engine& engine);
  // Every durable command (journal thread): a published root joins the list.
  void on_durable(const engine::Command& command, bool refused);

  // GET /api/v1/glassbook/solvency: {"newest": <root JSON or null>, "roots": [<root JSON>, ...]}
  // (newest first; at most keep_roots).
  std::string solvency_json() const;
  // An account's inclusion proof for the newest root, or for the root at `checkpoint_seq` or of
  // `snapshot_id`: NotFound when no published root matches, or when the account is not in it;
  // Unavailable when the root is older than the trees kept in memory (`glassbook proof build
  // --at-seq` rebuilds it from the journal).
  Result<std::string> proof_json(AccountId account, std::optional<SeqNo> checkpoint_seq, std::optional<crypto::Digest> snapshot_id) const;

  struct Counts {
    uint64_t built = 0;
    uint64_t published = 0;
    uint64_t failed = 0;
    std::string last_error;
  };
  Counts counts() const;

 private:
  void loop();
  // Restores, builds, checks and submits; the tree is kept once its root is durable.
  Status publish(journal::StateCopy copy);

  ProofPublisherOptions options_;
  journal::Node* node_ = nullptr;
  engine::ExchangeConfig config_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<journal::StateCopy> waiting_;
  bool stopping_ = false;
  std::thread thread_;
  std::deque<proofs::LiabilitiesRoot> roots_;                          // published, newest first
  std::map<SeqNo, std::shared_ptr<const proofs::BuiltLiabilities>> trees_;  // by checkpoint sequence
  Counts counts_;
};

}  // namespace glassbook::app
