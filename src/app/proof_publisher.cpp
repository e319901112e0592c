// ProofPublisher (proof_publisher.h): the liabilities tree built from a node's state copy on a thread
// of its own, its root checked and journaled, the recent trees kept for accounts' proofs.
#include "app/proof_publisher.h"

#include <fmt/format.h>

#include <algorithm>

#include "app/demo_submit.h"
#include "proofs/proof_json.h"

namespace glassbook::app {

Status check_publication(const proofs::LiabilitiesRoot& root, const journal::StateCopy& copy, const crypto::PublicKey& proof_key) {
  if (root.checkpoint_seq != copy.seq)
    return Status(Error::InvalidArgument, fmt::format("the root names sequence {}, but the state copied is at sequence {}", root.checkpoint_seq, copy.seq));
  if (root.snapshot_id != copy.state_root)
    return Status(Error::InvalidArgument, fmt::format("the root's snapshot id {} is not the state root {} the checkpoint at sequence {} carries",
                                                      crypto::to_hex(root.snapshot_id), crypto::to_hex(copy.state_root), copy.seq));
  if (root.time != copy.timestamp) return Status(Error::InvalidArgument, "the root's time is not the time of its sequence");
  if (root.public_key != proof_key) return Status(Error::Unauthorized, "the root is not signed by the configured proof key");
  if (!proofs::root_signature_valid(root)) return Status(Error::InvalidSignature, "the root's signature does not verify");
  return {};
}

engine::PublishLiabilitiesRoot publish_command(const proofs::LiabilitiesRoot& root) {
  engine::PublishLiabilitiesRoot p;
  p.snapshot_id = root.snapshot_id;
  p.checkpoint_seq = root.checkpoint_seq;
  p.hash = root.hash;
  p.sums = root.sums;
  p.depth = static_cast<uint8_t>(root.depth);
  p.time = root.time;
  p.root_signature = root.signature;
  return p;
}

proofs::LiabilitiesRoot root_of_command(const engine::PublishLiabilitiesRoot& p, const engine::ExchangeConfig& config) {
  proofs::LiabilitiesRoot r;
  r.hash = p.hash;
  for (const engine::AssetConfig& a : config.assets) r.assets.push_back(a.symbol);
  r.sums = p.sums;
  r.depth = p.depth;
  r.snapshot_id = p.snapshot_id;
  r.checkpoint_seq = p.checkpoint_seq;
  r.time = p.time;
  r.public_key = config.proof_key;
  r.signature = p.root_signature;
  return r;
}

ProofPublisher::ProofPublisher(ProofPublisherOptions options) : options_(std::move(options)) {}

ProofPublisher::~ProofPublisher() { stop(); }

void ProofPublisher::start(journal::Node& node) {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  node_ = &node;
  thread_ = std::thread([this] { loop(); });
}

void ProofPublisher::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ProofPublisher::offer(journal::StateCopy copy) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    waiting_ = std::move(copy);
  }
  cv_.notify_one();
}

void ProofPublisher::recovered(const engine::Engine& engine) {
  std::lock_guard lock(mu_);
  config_ = engine.config();
  const auto& newest = engine.published_liabilities().newest();
  if (newest) roots_.push_front(root_of_command(*newest, engine.config()));
}

void ProofPublisher::on_durable(const engine::Command& command, bool refused) {
  const auto* p = std::get_if<engine::PublishLiabilitiesRoot>(&command.body);
  if (p == nullptr || refused) return;
  std::lock_guard lock(mu_);
  roots_.push_front(root_of_command(*p, config_));
  while (roots_.size() > std::max<size_t>(1, options_.keep_roots)) roots_.pop_back();
}

void ProofPublisher::loop() {
  for (;;) {
    journal::StateCopy copy;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || waiting_.has_value(); });
      if (stopping_) return;
      copy = std::move(*waiting_);
      waiting_.reset();
    }
    const SeqNo seq = copy.seq;
    Status s = publish(std::move(copy));
    std::lock_guard lock(mu_);
    if (!s) {
      ++counts_.failed;
      counts_.last_error = fmt::format("the liabilities root at sequence {}: {}", seq, s.message());
    }
  }
}

Status ProofPublisher::publish(journal::StateCopy copy) {
  // Restored, then checked against the state root the checkpoint carries: the tree is built from
  // exactly that state.
  auto restored = engine::Engine::restore(copy.engine);
  if (!restored) return restored.status();
  std::unique_ptr<engine::Engine> state = std::move(restored).value();
  std::string().swap(copy.engine);
  if (state->state_root() != copy.state_root)
    return Status(Error::Corruption, "the restored copy's state root is not the one its checkpoint carries");
  auto built = proofs::build_liabilities(*state, options_.proof_key, options_.tree);
  if (!built) return built.status();
  state.reset();
  {
    std::lock_guard lock(mu_);
    ++counts_.built;
  }
  if (Status s = check_publication(built->root, copy, config_.proof_key); !s) return s;
  auto shared = std::make_shared<const proofs::BuiltLiabilities>(std::move(built).value());
  {
    std::lock_guard lock(mu_);
    if (stopping_) return {};
  }
  if (Status s = submit_and_wait(*node_, options_.proof_key, publish_command(shared->root)); !s) return s;
  std::lock_guard lock(mu_);
  ++counts_.published;
  trees_.emplace(shared->root.checkpoint_seq, shared);
  while (trees_.size() > std::max<size_t>(1, options_.keep_trees)) trees_.erase(trees_.begin());
  return {};
}

std::string ProofPublisher::solvency_json() const {
  std::lock_guard lock(mu_);
  std::string out = R"({"newest":)";
  out += roots_.empty() ? "null" : proofs::root_to_json(roots_.front());
  out += R"(,"roots":[)";
  for (size_t i = 0; i < roots_.size(); ++i) {
    if (i) out += ',';
    out += proofs::root_to_json(roots_[i]);
  }
  out += "]}";
  return out;
}

Result<std::string> ProofPublisher::proof_json(AccountId account, std::optional<SeqNo> checkpoint_seq,
                                               std::optional<crypto::Digest> snapshot_id) const {
  std::lock_guard lock(mu_);
  const proofs::LiabilitiesRoot* root = nullptr;
  for (const proofs::LiabilitiesRoot& r : roots_) {
    if ((checkpoint_seq && r.checkpoint_seq != *checkpoint_seq) || (snapshot_id && r.snapshot_id != *snapshot_id)) continue;
    root = &r;
    break;
  }
  if (root == nullptr)
    return Status(Error::InvalidArgument, roots_.empty() ? "no liabilities root has been published yet"
                                                         : "no published liabilities root matches checkpointSeq and snapshotId");
  auto tree = trees_.find(root->checkpoint_seq);
  if (tree == trees_.end() || tree->second->root.hash != root->hash)
    return Status(Error::InvalidArgument,
                  fmt::format("the tree of the root at sequence {} is no longer kept in memory; rebuild the proof from the journal: "
                              "glassbook proof build JOURNAL --at-seq {} --account {}",
                              root->checkpoint_seq, root->checkpoint_seq, account));
  auto proof = tree->second->tree->proof(account);
  if (!proof) return Status(Error::UnknownAccount, fmt::format("account {} is not in the root at sequence {}", account, root->checkpoint_seq));
  return proofs::proof_to_json(*proof);
}

ProofPublisher::Counts ProofPublisher::counts() const {
  std::lock_guard lock(mu_);
  return counts_;
}

}  // namespace glassbook::app
