// Node: recovery from snapshot + tail with the Merkle log rebuilt, then the sequencer with hooks that
// checkpoint and snapshot at durable seqs.
#include "journal/node.h"

#include <fmt/format.h>

#include "core/assert.h"

#include "journal/checkpoint_log.h"
#include "journal/genesis.h"
#include "journal/node_state.h"
#include "journal/reader.h"
#include "journal/replay.h"
#include "journal/snapshot_store.h"
#include "journal/writer.h"

namespace glassbook::journal {

namespace {

Status corruption(std::string message) { return Status(Error::Corruption, std::move(message)); }

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Node::Node(NodeOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<Node>> Node::open(NodeOptions options) {
  if (options.log_key && options.genesis && options.log_key->public_key() != options.genesis->log_key)
    return Status(Error::InvalidConfig, "the log key is not the one the genesis configuration names");
  std::unique_ptr<Node> node(new Node(std::move(options)));
  const auto t0 = std::chrono::steady_clock::now();
  if (auto s = node->recover(); !s) return s;
  node->recovery_.seconds = seconds_since(t0);
  if (auto s = node->start(); !s) return s;
  return node;
}

Status Node::recover() {
  std::optional<Snapshot> snapshot;
  if (!options_.from_genesis) {
    auto loaded = load_newest_valid_snapshot(options_.dir, storage());
    if (!loaded) return loaded.status();
    snapshot = std::move(loaded->snapshot);
    recovery_.skipped_snapshots = std::move(loaded->skipped);
  }
  std::optional<NodeState> state;
  if (snapshot) {
    if (snapshot->meta.state_format != kNodeStateFormat)
      return corruption(fmt::format("snapshot at seq {}: unknown state format {}", snapshot->meta.seq, snapshot->meta.state_format));
    auto decoded = decode_node_state(snapshot->state);
    if (!decoded) return decoded.status();
    state = std::move(decoded).value();
    recovery_.snapshot_seq = snapshot->meta.seq;
  }

  // One pass over every record: each feeds the Merkle log; records after the snapshot (after genesis
  // without one) are applied. Hashes come from the scanner, so nothing is hashed twice.
  const SeqNo snap_seq = snapshot ? snapshot->meta.seq : 0;
  auto tiles = TileStore::open(options_.dir, storage());
  if (!tiles) return tiles.status();
  tiles_ = std::move(tiles).value();
  auto sink = [&](const RecordView& v) -> Status {
    if (Status s = tiles_->append(v.hash); !s) return s;
    if (v.seq == 0) {
      auto config = open_genesis(v.to_record());
      if (!config) return config.status();
      if (options_.genesis && !(*options_.genesis == config.value()))
        return Status(Error::InvalidConfig, "the directory holds the journal of an exchange with another genesis configuration");
      genesis_config_ = std::move(config).value();
      if (!snapshot) engine_ = std::make_unique<engine::Engine>(genesis_config_);
      return {};
    }
    if (snapshot && v.seq < snap_seq) return {};
    if (snapshot && v.seq == snap_seq) {
      if (v.hash != snapshot->meta.chain_hash)
        return corruption(fmt::format("snapshot at seq {} does not match the journal's record there", snap_seq));
      if (!(state->merkle.root() == tiles_->root()))
        return corruption(fmt::format("snapshot at seq {}: its Merkle log differs from the journal's", snap_seq));
      auto restored = engine::Engine::restore(state->engine);
      if (!restored) return restored.status();
      engine_ = std::move(restored).value();
      if (engine_->state_root() != snapshot->meta.state_root)
        return corruption(fmt::format("snapshot at seq {}: its state root is not the one recorded", snap_seq));
      return {};
    }
    auto command = to_command(v);
    if (!command) return command.status();
    engine_->apply(*command);
    ++recovery_.replayed;
    return {};
  };
  // The stored checkpoints come first: the records they cover were acknowledged and published, so
  // damage among them stops the start (the scan refuses it), and a torn tail is cut only once the
  // whole journal has been checked against them, and only beyond the newest one.
  auto checkpoints = read_checkpoints(options_.dir, storage());
  if (!checkpoints) return checkpoints.status();
  ScanOptions scan;
  scan.repair = false;
  if (!checkpoints->entries.empty()) scan.checkpointed = checkpoints->entries.back().checkpoint.tree_size;
  auto scanned = scan_journal(options_.dir, scan, sink, storage());
  if (!scanned) return scanned.status();
  tip_ = scanned->tip;
  recovery_.records = tip_.next_seq;
  recovery_.truncated_bytes = scanned->report.truncated_bytes;
  recovery_.tail_damage = scanned->report.tail_damage;
  if (snapshot && snap_seq >= tip_.next_seq)
    return corruption(fmt::format("snapshot at seq {} is ahead of the journal, which ends at seq {}", snap_seq,
                                  static_cast<int64_t>(tip_.next_seq) - 1));
  if (engine_) last_timestamp_ = engine_->last_timestamp();

  // Checkpoints already published must be prefixes of this journal: a checkpoint beyond it means
  // acknowledged records were lost, a different root that the journal was rewritten.
  for (const StoredCheckpoint& e : checkpoints->entries) {
    const Checkpoint& cp = e.checkpoint;
    if (cp.tree_size > tiles_->size())
      return corruption(fmt::format("checkpoint of {} records, but the journal holds only {}", cp.tree_size, tiles_->size()));
    auto root = tiles_->root_at(cp.tree_size);
    if (!root) return root.status();
    if (*root != cp.root)
      return corruption(fmt::format("checkpoint of {} records has another root than the journal", cp.tree_size));
    latest_checkpoint_ = e.note;
    checkpointed_size_ = cp.tree_size;
  }
  if (recovery_.truncated_bytes > 0) {
    auto cut = cut_torn_tail(options_.dir, tip_, recovery_.truncated_bytes, storage());
    if (!cut) return cut.status();
    recovery_.truncated = std::move(cut).value();
  }

  if (tip_.empty()) {  // a new exchange: write genesis
    if (!options_.genesis || !options_.log_key)
      return Status(Error::InvalidConfig, "a new journal needs a genesis configuration and the log key");
    auto writer = JournalWriter::open(options_.dir, tip_, options_.writer, storage());
    if (!writer) return writer.status();
    // The sequencer's clock when one is given: a simulation's genesis is then the same on every run.
    const Timestamp now = options_.sequencer.clock ? options_.sequencer.clock() : system_clock_micros();
    const Record genesis = make_genesis(*options_.genesis, *options_.log_key, now);
    if (auto s = (*writer)->append(genesis); !s) return s;
    if (auto s = (*writer)->sync(); !s) return s.status();
    tip_ = (*writer)->tip();
    if (Status s = tiles_->append((*writer)->last_synced().hashes.at(0)); !s) return s;
    genesis_config_ = *options_.genesis;
    engine_ = std::make_unique<engine::Engine>(genesis_config_);
    last_timestamp_ = genesis.timestamp;
    recovery_.created = true;
    recovery_.records = 1;
  }
  std::vector<std::pair<uint64_t, std::string>> stored;
  for (const StoredCheckpoint& e : checkpoints->entries) stored.emplace_back(e.checkpoint.tree_size, e.note);
  feed_ = std::make_unique<RecordFeed>(tip_.next_seq, std::move(stored), options_.feed);
  // Tiles for the partial right edge; tiles rewritten during the scan are reported.
  if (Status s = tiles_->finish_rebuild(); !s) return s;
  recovery_.repaired_tiles = tiles_->repaired();
  return {};
}

Status Node::start() {
  if (options_.log_key) {
    auto log = CheckpointLogWriter::open(options_.dir, storage());
    if (!log) return log.status();
    checkpoint_log_ = std::move(log).value();
    if (checkpoint_log_->truncated_bytes() > 0)
      recovery_.checkpoint_log_damage = fmt::format("cut {} bytes off {}: {}", checkpoint_log_->truncated_bytes(),
                                                    kCheckpointLogFile, checkpoint_log_->tail_damage());
  }
  auto writer = JournalWriter::open(options_.dir, tip_, options_.writer, storage());
  if (!writer) return writer.status();
  if (options_.on_recovered) options_.on_recovered(*engine_);
  SequencerHooks hooks;
  hooks.on_durable = options_.on_durable;
  hooks.on_applied_batch = [this](const engine::Engine& e, SeqNo last) { on_applied_batch(e, last); };
  hooks.after_sync = [this](SeqNo durable, const SyncedBatch& batch) { after_sync(durable, batch); };
  next_checkpoint_seq_ = tip_.next_seq - 1 + std::max<uint64_t>(1, options_.checkpoint_every);
  next_snapshot_seq_ = options_.snapshot_every ? tip_.next_seq - 1 + options_.snapshot_every : kNoSeq;
  auto seq = Sequencer::create(std::move(engine_), std::move(writer).value(), options_.sequencer, std::move(hooks));
  if (!seq) return seq.status();
  sequencer_ = std::move(seq).value();
  if (options_.snapshot_every && !options_.snapshot_on_journal_thread) snapshot_thread_ = std::thread([this] { snapshot_loop(); });
  return sequencer_->start(tip_.next_seq, last_timestamp_);
}

Node::~Node() { stop(); }

Result<Ticket> Node::submit(Submission submission, Completion done) { return sequencer_->submit(std::move(submission), std::move(done)); }

void Node::stop() {
  if (stopped_ || !sequencer_) return;
  stopped_ = true;
  sequencer_->stop();
  // The final checkpoint covers everything durable.
  if (sequencer_->status().is_ok() && options_.log_key) {
    const SeqNo last = sequencer_->durable_seq();
    if (last + 1 > checkpointed_size_) {
      if (Status s = write_checkpoint(last, sequencer_->engine().state_root()); !s) fail_stop(s);
    }
  }
  // The checkpoint log's last entry was synced; its close may still report a write-back error.
  if (checkpoint_log_ && health().is_ok())
    if (Status s = checkpoint_log_->close(); !s) fail_stop(s);
  {
    std::lock_guard lock(snapshot_mu_);
    stopping_ = true;
  }
  snapshot_cv_.notify_all();
  if (snapshot_thread_.joinable()) snapshot_thread_.join();
}

void Node::on_applied_batch(const engine::Engine& engine, SeqNo last_seq) {
  const bool copy_due = options_.state_copy_every_us > 0 && options_.on_state_copy && options_.log_key &&
                        engine.last_timestamp() >= next_copy_time_;
  // A copy is checkpointed at its own sequence, so that the state it describes is the one a
  // checkpoint's state root names.
  const bool root_due = options_.log_key && (last_seq >= next_checkpoint_seq_ || copy_due);
  const bool snapshot_due = last_seq >= next_snapshot_seq_;
  if (!root_due && !snapshot_due) return;
  const crypto::Digest root = engine.state_root();
  std::lock_guard lock(pending_mu_);
  if (root_due) {
    pending_roots_.push_back({last_seq, root});
    next_checkpoint_seq_ = last_seq + options_.checkpoint_every;
  }
  if (copy_due) {
    next_copy_time_ = engine.last_timestamp() + options_.state_copy_every_us;
    if (!pending_copy_) pending_copy_ = StateCopy{last_seq, engine.last_timestamp(), root, engine.snapshot()};
  }
  if (snapshot_due) {
    next_snapshot_seq_ = last_seq + options_.snapshot_every;
    // Serialized here, on the engine thread (a copy); written by the snapshot thread once durable.
    if (!pending_snapshot_) pending_snapshot_ = PendingSnapshot{last_seq, engine.last_timestamp(), root, engine.snapshot()};
  }
}

void Node::after_sync(SeqNo durable_seq, const SyncedBatch& batch) {
  {
    std::lock_guard lock(merkle_mu_);
    GB_ASSERT(batch.first_seq == tiles_->size() || batch.empty());
    for (const auto& h : batch.hashes) {
      // A tile that cannot be written (a full disk) stops the node like a checkpoint that cannot.
      if (Status s = tiles_->append(h); !s)
        return fail_stop(Status(Error::Io, fmt::format("the Merkle tiles could not be written: {}", s.message())));
    }
  }
  std::vector<PendingRoot> roots;
  std::optional<PendingSnapshot> snap;
  std::optional<StateCopy> copy;
  {
    std::lock_guard lock(pending_mu_);
    if (pending_copy_ && pending_copy_->seq <= durable_seq) {
      copy = std::move(pending_copy_);
      pending_copy_.reset();
    }
    while (!pending_roots_.empty() && pending_roots_.front().seq <= durable_seq) {
      roots.push_back(pending_roots_.front());
      pending_roots_.pop_front();
    }
    if (pending_snapshot_ && pending_snapshot_->seq <= durable_seq) {
      snap = std::move(pending_snapshot_);
      pending_snapshot_.reset();
    }
  }
  for (const auto& r : roots) {
    // A checkpoint that cannot be written (a full disk, a failed fdatasync) stops the node: trading
    // on without checkpoints would leave the journal unanchored while clients are still answered.
    if (Status s = write_checkpoint(r.seq, r.state_root); !s) return fail_stop(s);
  }
  // After the checkpoints this batch completes: a replica learns of a checkpoint before it can have
  // applied past its tree.
  feed_->append(batch);
  if (copy) options_.on_state_copy(std::move(*copy));  // its checkpoint was written above
  if (snap) {
    crypto::CompactRange range;
    {
      std::lock_guard lock(merkle_mu_);
      auto peaks = tiles_->compact_range(snap->seq + 1);
      if (!peaks) return fail_stop(Status(Error::Io, fmt::format("the snapshot at seq {} could not read the Merkle tiles: {}", snap->seq, peaks.status().message())));
      range = std::move(peaks).value();
    }
    if (options_.snapshot_on_journal_thread) return write_snapshot_job({std::move(*snap), std::move(range)});
    std::lock_guard lock(snapshot_mu_);
    if (!snapshot_busy_) snapshot_job_.emplace(std::move(*snap), std::move(range));  // else skipped: one at a time
  }
  snapshot_cv_.notify_one();
}

Status Node::write_checkpoint(SeqNo seq, const crypto::Digest& state_root) {
  Checkpoint cp;
  cp.origin = options_.origin;
  cp.tree_size = seq + 1;
  cp.state_root = state_root;
  {
    std::lock_guard lock(merkle_mu_);
    auto root = tiles_->root_at(cp.tree_size);
    if (!root) return root.status();
    cp.root = root.value();
    // The partial tiles of every checkpointed size are on disk (tlog-tiles asks a log to serve them).
    if (Status s = tiles_->write_partial_tiles(); !s)
      return Status(Error::Io, fmt::format("the partial Merkle tiles of {} records could not be written: {}", cp.tree_size, s.message()));
  }
  auto note = sign_checkpoint(cp, options_.origin, *options_.log_key);
  if (!note) return note.status();
  if (auto s = checkpoint_log_->append(note.value()); !s)
    return Status(Error::Io, fmt::format("the checkpoint of {} records could not be written: {}", cp.tree_size, s.message()));
  feed_->add_checkpoint(cp.tree_size, note.value());
  std::lock_guard lock(merkle_mu_);
  latest_checkpoint_ = std::move(note).value();
  checkpointed_size_ = cp.tree_size;
  return {};
}

void Node::snapshot_loop() {
  for (;;) {
    std::pair<PendingSnapshot, crypto::CompactRange> job;
    {
      std::unique_lock lock(snapshot_mu_);
      snapshot_cv_.wait(lock, [&] { return stopping_ || snapshot_job_.has_value(); });
      if (!snapshot_job_) return;
      job = std::move(*snapshot_job_);
      snapshot_job_.reset();
      snapshot_busy_ = true;
    }
    write_snapshot_job(std::move(job));
    std::lock_guard lock(snapshot_mu_);
    snapshot_busy_ = false;
  }
}

void Node::write_snapshot_job(std::pair<PendingSnapshot, crypto::CompactRange> job) {
  SnapshotMeta meta;
  meta.seq = job.first.seq;
  meta.timestamp = job.first.timestamp;
  meta.state_root = job.first.state_root;
  meta.state_format = kNodeStateFormat;
  {
    std::lock_guard lock(merkle_mu_);
    auto leaf = tiles_->leaf(meta.seq);
    if (!leaf) return fail_stop(Status(Error::Io, fmt::format("the snapshot at seq {} could not read the Merkle tiles: {}", meta.seq, leaf.status().message())));
    meta.chain_hash = *leaf;
  }
  NodeState state{std::move(job.first.engine), std::move(job.second)};
  // Fail-stop here too: a snapshot whose fsync failed may or may not be on disk, and a disk that
  // refuses snapshots will soon refuse the journal.
  Status written = write_snapshot(options_.dir, meta, encode_node_state(state), storage());
  if (!written) {
    fail_stop(Status(Error::Io, fmt::format("the snapshot at seq {} could not be written: {}", meta.seq, written.message())));
  } else if (auto pruned = prune_snapshots(options_.dir, std::max<size_t>(1, options_.keep_snapshots), storage()); !pruned) {
    fail_stop(Status(Error::Io, fmt::format("old snapshots could not be removed: {}", pruned.status().message())));
  }
}

void Node::fail_stop(Status cause) {
  Status failure(Error::Io, fmt::format("node stopped: {}; it takes no more commands until restarted", cause.message()));
  {
    std::lock_guard lock(health_mu_);
    if (!failure_.is_ok()) return;
    failure_ = failure;
  }
  if (sequencer_) sequencer_->halt(failure);
}

Status Node::health() const {
  {
    std::lock_guard lock(health_mu_);
    if (!failure_.is_ok()) return failure_;
  }
  if (!sequencer_) return Status(Error::Io, "node not started");
  return sequencer_->status();
}

uint64_t Node::tree_size() const {
  std::lock_guard lock(merkle_mu_);
  return tiles_->size();
}

Result<crypto::Digest> Node::root_at(uint64_t tree_size) const {
  std::lock_guard lock(merkle_mu_);
  return tiles_->root_at(tree_size);
}

Result<InclusionProof> Node::inclusion_proof(SeqNo seq, uint64_t tree_size) const {
  std::lock_guard lock(merkle_mu_);
  auto path = tiles_->inclusion_proof(seq, tree_size);
  if (!path) return path.status();
  auto leaf = tiles_->leaf(seq);
  if (!leaf) return leaf.status();
  return InclusionProof{seq, tree_size, *leaf, std::move(path).value()};
}

Result<ConsistencyProof> Node::consistency_proof(uint64_t old_size, uint64_t new_size) const {
  std::lock_guard lock(merkle_mu_);
  auto path = tiles_->consistency_proof(old_size, new_size);
  if (!path) return path.status();
  return ConsistencyProof{old_size, new_size, std::move(path).value()};
}

uint64_t Node::checkpointed_size() const {
  std::lock_guard lock(merkle_mu_);
  return checkpointed_size_;
}

std::optional<std::string> Node::latest_checkpoint() const {
  std::lock_guard lock(merkle_mu_);
  return latest_checkpoint_;
}

std::optional<NoteVerifier> Node::log_verifier() const {
  if (!options_.log_key) return std::nullopt;
  auto v = note_verifier(options_.origin, options_.log_key->public_key());
  if (!v) return std::nullopt;
  return v.value();
}

}  // namespace glassbook::journal
