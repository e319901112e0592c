// The witness feed's thread: picks up the node's newest checkpoint, offers it to each witness, keeps the
// cosignature lines (stored beside the checkpoint) and each witness's state for the health endpoint.
#include "app/witness_feed.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "api/json_writer.h"
#include "journal/checkpoint.h"
#include "journal/cosigned_checkpoint.h"
#include "journal/witness.h"
#include "journal/witness_client.h"

namespace glassbook::app {

namespace {

std::optional<uint64_t> tree_size_of(const std::string& note) {
  auto parsed = journal::parse_note(note);
  if (!parsed) return std::nullopt;
  auto cp = journal::parse_checkpoint_body(parsed->body);
  if (!cp) return std::nullopt;
  return cp->tree_size;
}

}  // namespace

WitnessFeed::WitnessFeed(journal::Node& node, std::string dir, const engine::WitnessPolicy& policy, WitnessFeedOptions options)
    : node_(node), dir_(std::move(dir)), options_(options), quorum_(policy.quorum) {
  for (const engine::WitnessConfig& w : policy.witnesses) {
    state_.push_back(WitnessState{w.name, w.url, 0, {}, {}});
    next_try_.push_back({});
    backoff_.push_back(options_.retry);
    done_.push_back(false);
    known_size_.push_back(0);
    clients_.emplace_back();
  }
}

Result<std::unique_ptr<WitnessFeed>> WitnessFeed::start(journal::Node& node, std::string dir, const engine::WitnessPolicy& policy,
                                                        WitnessFeedOptions options) {
  std::unique_ptr<WitnessFeed> f(new WitnessFeed(node, std::move(dir), policy, options));
  for (const engine::WitnessConfig& w : policy.witnesses) {
    auto key = journal::cosigner_key(w.name, w.key);
    if (!key) return key.status();
    f->keys_.push_back(std::move(key).value());
  }
  // Cosignatures gathered before a restart count again when they are on the node's newest checkpoint.
  auto stored = journal::load_cosigned_checkpoint(f->dir_);
  if (!stored) return stored.status();
  const auto latest = node.latest_checkpoint();
  if (*stored && latest && stored->value().starts_with(*latest)) {
    auto verified = journal::verify_cosignatures(**stored, f->keys_);
    if (verified) {
      f->note_ = *latest;
      f->cosigned_ = **stored;
      f->note_size_ = tree_size_of(*latest).value_or(0);
      for (const journal::VerifiedCosignature& c : *verified) {
        f->done_[c.witness] = true;
        f->state_[c.witness].cosigned_size = f->note_size_;
        f->known_size_[c.witness] = f->note_size_;
      }
    }
  }
  f->thread_ = std::thread([self = f.get()] { self->run(); });
  return f;
}

WitnessFeed::~WitnessFeed() { stop(); }

void WitnessFeed::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WitnessFeed::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.poll, [&] { return stopping_; });
    if (stopping_) break;
    const auto latest = node_.latest_checkpoint();
    if (!latest) continue;
    if (*latest != note_) {
      const auto size = tree_size_of(*latest);
      if (!size) continue;
      note_ = *latest;
      cosigned_ = *latest;
      note_size_ = *size;
      std::fill(done_.begin(), done_.end(), false);
      std::fill(next_try_.begin(), next_try_.end(), std::chrono::steady_clock::time_point{});
      std::fill(backoff_.begin(), backoff_.end(), options_.retry);
    }
    const std::string note = note_;
    const uint64_t size = note_size_;
    for (size_t i = 0; i < keys_.size() && !stopping_; ++i) {
      if (done_[i] || std::chrono::steady_clock::now() < next_try_[i]) continue;
      lock.unlock();
      // The request runs without the lock: the gateway's readers never wait for a witness.
      journal::WitnessOutcome out;
      if (!clients_[i]) {
        auto client = HttpClient::open(state_[i].url, options_.timeout);
        if (client) clients_[i] = std::move(client).value();
        else out.message = client.status().message();
      }
      if (clients_[i]) {
        auto transport = [&](const std::string& body) -> Result<journal::WitnessHttpReply> {
          auto r = clients_[i]->post(journal::kAddCheckpointPath, body, "text/plain");
          if (!r) return r.status();
          return journal::WitnessHttpReply{static_cast<unsigned>(r->status), std::move(r->body)};
        };
        auto prover = [&](uint64_t old_size, uint64_t new_size) -> Result<std::vector<crypto::Digest>> {
          auto proof = node_.consistency_proof(old_size, new_size);
          if (!proof) return proof.status();
          return std::move(proof->path);
        };
        out = journal::request_cosignature(transport, prover, keys_[i], note, size, known_size_[i]);
      }
      std::string stored_error;
      lock.lock();
      if (note != note_) continue;  // superseded meanwhile (only this thread changes it, but be plain)
      WitnessState& st = state_[i];
      switch (out.kind) {
        case journal::WitnessOutcome::Kind::Cosigned: {
          auto merged = journal::add_signature_lines(cosigned_, out.note.substr(note.size()));
          if (merged) cosigned_ = std::move(merged).value();
          st.cosigned_size = size;
          st.refusal.clear();
          st.unreachable.clear();
          done_[i] = true;
          if (Status s = journal::store_cosigned_checkpoint(dir_, cosigned_); !s) stored_error = s.message();
          break;
        }
        case journal::WitnessOutcome::Kind::Refused:
          st.refusal = fmt::format("refused the checkpoint of {} records: {}", size, out.message);
          st.unreachable.clear();
          done_[i] = true;
          fmt::print(stderr, "witness {} ({}) {}\n", st.name, st.url, st.refusal);
          break;
        case journal::WitnessOutcome::Kind::Unreachable:
          st.unreachable = out.message;
          next_try_[i] = std::chrono::steady_clock::now() + backoff_[i];
          backoff_[i] = std::min(backoff_[i] * 2, options_.retry * 16);
          clients_[i].reset();
          break;
      }
      if (!stored_error.empty()) fmt::print(stderr, "witness feed: the cosigned checkpoint could not be stored: {}\n", stored_error);
    }
  }
}

std::optional<std::string> WitnessFeed::cosigned_checkpoint() const {
  std::lock_guard lock(mu_);
  if (cosigned_.empty() || node_.latest_checkpoint() != note_) return std::nullopt;
  return cosigned_;
}

std::vector<WitnessFeed::WitnessState> WitnessFeed::witnesses() const {
  std::lock_guard lock(mu_);
  return state_;
}

size_t WitnessFeed::cosignatures() const {
  std::lock_guard lock(mu_);
  auto verified = journal::verify_cosignatures(cosigned_.empty() ? std::string_view() : std::string_view(cosigned_), keys_);
  return verified ? verified->size() : 0;
}

std::string WitnessFeed::witnesses_json() const {
  const auto states = witnesses();
  api::JsonWriter json;
  json.begin_array();
  for (const WitnessState& w : states) {
    json.begin_object().key("name").string(w.name).key("url").string(w.url).key("cosignedSize").unsigned_integer(w.cosigned_size);
    if (!w.refusal.empty()) json.key("refusal").string(w.refusal);
    if (!w.unreachable.empty()) json.key("unreachable").string(w.unreachable);
    json.end_object();
  }
  json.end_array();
  return json.take();
}

}  // namespace glassbook::app
