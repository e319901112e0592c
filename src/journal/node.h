// A running exchange shard on disk: recovery (snapshot + journal tail), the sequencer, the Merkle log
// of every record, signed checkpoints and periodic snapshots. What `glassbook serve` and the demo run.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "crypto/merkle.h"
#include "journal/tile_store.h"
#include "engine/config.h"
#include "journal/checkpoint.h"
#include "journal/checkpoint_log.h"
#include "journal/proof_format.h"
#include "journal/record_feed.h"
#include "journal/replication_batch.h"
#include "journal/sequencer.h"

namespace glassbook::journal {

// A copy of the engine's state at a checkpointed sequence, for work that must not run on the engine
// thread (the liabilities tree: docs/proofs.md, "Publication"): its snapshot bytes, restored by the
// receiver into an engine of its own.
struct StateCopy {
  SeqNo seq = 0;              // the last command applied
  Timestamp timestamp = 0;    // its time
  crypto::Digest state_root{};  // the state root the checkpoint at seq carries
  std::string engine;         // Engine::snapshot() at seq
};

struct NodeOptions {
  std::string dir;  // must exist
  // The configuration a NEW journal starts from (written as genesis). For an existing journal it
  // must equal the genesis configuration there, or be absent.
  std::optional<engine::ExchangeConfig> genesis;
  // The exchange's log key (config.log_key's pair): signs genesis and checkpoints. Without it the
  // node writes no checkpoints (and cannot create a journal).
  std::optional<crypto::KeyPair> log_key;
  std::string origin = "glassbook.local/journal";  // checkpoint origin line and key name
  uint64_t checkpoint_every = 10'000;    // records between checkpoints; one is also written at stop()
  uint64_t snapshot_every = 1'000'000;   // records between snapshots; 0: never
  size_t keep_snapshots = 2;             // older snapshot files are removed
  bool from_genesis = false;             // recovery ignores snapshots and replays everything
  // Every file of the journal, snapshots and checkpoint log is read and written through it; null:
  // the file storage. The simulator passes its fault-injecting one (src/sim/sim_storage.h).
  Storage* storage = nullptr;
  // Write each snapshot on the journal thread, right after the group commit that made its seq
  // durable, instead of on a thread of its own: file operations then happen in one order fixed by
  // the commands, which a simulation replaying a seed needs. Slows the journal while it writes.
  bool snapshot_on_journal_thread = false;
  SequencerOptions sequencer;
  WriterOptions writer;                  // segment size (the simulator's are small, to rotate often)
  RecordFeedOptions feed;                // what is kept in memory for replicas (record_feed.h)
  DurableSink on_durable;                // every released command, in seq order, before its Completion
  // Called once, after recovery and before the sequencer starts, with the recovered engine (for
  // projections that continue from it). Must not keep the reference.
  std::function<void(const engine::Engine& engine)> on_recovered;
  // When set (and the node has a log key): at the first applied batch, then at the first batch whose
  // time is state_copy_every_us after the last copy's, the engine's state is copied (serialized on
  // the engine thread, as snapshots are), a checkpoint is written at that sequence, and once that
  // checkpoint is on disk the copy is handed to on_state_copy on the journal thread (which must only
  // queue it). 0: never.
  int64_t state_copy_every_us = 0;
  std::function<void(StateCopy copy)> on_state_copy;
};

// What open() found and did.
struct NodeRecovery {
  bool created = false;                 // the directory held no journal: genesis was written
  std::optional<SeqNo> snapshot_seq;    // the snapshot recovery started from
  uint64_t records = 0;                 // records in the journal (genesis included)
  uint64_t replayed = 0;                // records applied after the snapshot (or genesis)
  uint64_t truncated_bytes = 0;         // a torn tail cut off (always beyond the newest checkpoint)
  std::string tail_damage;              // what was found there
  std::string truncated;                // what was cut: "cut N bytes off F: offsets A to B"
  std::string checkpoint_log_damage;    // a torn last entry of checkpoints.log, cut off, and where
  std::vector<std::string> skipped_snapshots;
  std::vector<std::string> repaired_tiles;  // Merkle tiles found missing or damaged, rewritten from the journal
  double seconds = 0;
};

class Node {
 public:
  // Recovers (or creates) the journal in options.dir and starts the sequencer after its tip.
  // Errors: Corruption (damage in the middle, a checkpoint the journal does not contain, a snapshot
  // that does not match the journal), InvalidConfig (another exchange's journal), Io.
  static Result<std::unique_ptr<Node>> open(NodeOptions options);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Sequencer::submit: durable before `done` runs; Overloaded when the lane is full.
  Result<Ticket> submit(Submission submission, Completion done);
  // Drains every accepted command, writes a final checkpoint, waits for a pending snapshot.
  void stop();

  // OK while the node runs as it should. Otherwise why it stopped taking commands (Error::Io): a
  // failed journal write or sync, or a checkpoint or snapshot that could not be written (a full
  // disk, an fsync error). The node is fail-stop: after such a failure it acknowledges nothing
  // more, and only a restart (recovery from the files) serves again. Thread-safe.
  Status health() const;

  const NodeRecovery& recovery() const { return recovery_; }
  SequencerStats stats() const { return sequencer_->stats(); }
  const engine::ExchangeConfig& genesis_config() const { return genesis_config_; }

  // The Merkle log of the durable records (leaf i = record_hash of record seq i), kept in tiles on
  // disk (journal/tile_store.h). Thread-safe.
  uint64_t tree_size() const;
  Result<crypto::Digest> root_at(uint64_t tree_size) const;
  Result<InclusionProof> inclusion_proof(SeqNo seq, uint64_t tree_size) const;
  Result<ConsistencyProof> consistency_proof(uint64_t old_size, uint64_t new_size) const;
  // A durable record's encoded bytes, read back from its segment (node_record.cpp): InvalidArgument
  // past the durable size or when its segment was pruned. Thread-safe; reads files, never repairs.
  Result<std::string> record(SeqNo seq) const;
  // C2SP tlog-tiles resources over the durable log (node_record.cpp). A hash tile from the tile store;
  // an entry bundle (coord.entries) built from the journal's segments: the encoded bytes of records
  // index * 256 .. index * 256 + width - 1, each after its length as a big-endian uint16, every
  // record's hash checked against the level-0 tile first. InvalidArgument for a resource beyond the
  // durable size; Corruption when a tile or a record does not match the tree. Thread-safe.
  Result<std::string> tile(const TileCoord& coord) const;
  // What a replica asks for (GET /api/v1/glassbook/records): durable records from seq `from` on,
  // exactly as journaled, at most max_bytes of them (at least one when any is durable), stopped at
  // the tree size of the first checkpoint above `checkpointed` (the newest the replica verified) and
  // at least `from`, whose signed note then comes with them (alone, when it ends at `from`).
  // Records are never handed out before the checkpoint that ends at them is written, so a replica
  // always learns where a checkpoint falls before it has applied past it. From memory (record_feed.h)
  // or, for a replica further behind, from the segments. For `from` beyond the durable records, none
  // (`durable` tells the replica it is ahead of the log). Thread-safe.
  static constexpr size_t kDefaultBatchBytes = size_t{1} << 20;
  Result<ReplicationBatch> replication_batch(SeqNo from, uint64_t checkpointed, size_t max_bytes = kDefaultBatchBytes) const;
  // The tree size of the newest checkpoint written (0: none). Thread-safe.
  uint64_t checkpointed_size() const;
  // The newest signed checkpoint (note text), if any.
  std::optional<std::string> latest_checkpoint() const;
  // The verifier of this node's checkpoints; empty without a log key.
  std::optional<NoteVerifier> log_verifier() const;

 private:
  struct PendingRoot {
    SeqNo seq;
    crypto::Digest state_root;
  };
  struct PendingSnapshot {
    SeqNo seq;
    Timestamp timestamp;
    crypto::Digest state_root;
    std::string engine;
  };

  explicit Node(NodeOptions options);
  Status recover();
  Status start();
  // Engine thread, after each applied batch.
  void on_applied_batch(const engine::Engine& engine, SeqNo last_seq);
  // Journal thread, after each group commit.
  void after_sync(SeqNo durable_seq, const SyncedBatch& batch);
  Status write_checkpoint(SeqNo seq, const crypto::Digest& state_root);
  void snapshot_loop();
  // Writes one snapshot and prunes older ones; fail-stop when either fails.
  void write_snapshot_job(std::pair<PendingSnapshot, crypto::CompactRange> job);
  Storage& storage() const { return options_.storage ? *options_.storage : file_storage(); }
  // Records the first failure of the node's own writes and halts the sequencer with it.
  void fail_stop(Status cause);

  NodeOptions options_;
  NodeRecovery recovery_;
  engine::ExchangeConfig genesis_config_;
  std::unique_ptr<engine::Engine> engine_;  // until the sequencer takes it
  ChainTip tip_;
  Timestamp last_timestamp_ = 0;
  std::unique_ptr<Sequencer> sequencer_;

  mutable std::mutex merkle_mu_;
  // Every durable record's hash, as C2SP tiles under <dir>/tile. Set by recover(); appended only by the
  // journal thread after each group commit (and by recovery before it), under merkle_mu_.
  std::unique_ptr<TileStore> tiles_;
  std::optional<std::string> latest_checkpoint_;
  std::unique_ptr<CheckpointLogWriter> checkpoint_log_;  // journal thread while running, then stop()
  std::unique_ptr<RecordFeed> feed_;  // set by recover(); appended by the journal thread
  uint64_t checkpointed_size_ = 0;

  // Engine thread -> journal thread: state roots (and snapshots) waiting for their seq to be durable.
  std::mutex pending_mu_;
  std::deque<PendingRoot> pending_roots_;
  std::optional<PendingSnapshot> pending_snapshot_;
  std::optional<StateCopy> pending_copy_;  // waits for its checkpoint; a copy due while one waits is skipped
  Timestamp next_copy_time_ = 0;
  SeqNo next_checkpoint_seq_ = 0;
  SeqNo next_snapshot_seq_ = 0;

  // Journal thread -> snapshot thread: a durable snapshot to write (at most one at a time).
  std::mutex snapshot_mu_;
  std::condition_variable snapshot_cv_;
  std::optional<std::pair<PendingSnapshot, crypto::CompactRange>> snapshot_job_;
  bool snapshot_busy_ = false;
  bool stopping_ = false;
  std::thread snapshot_thread_;
  bool stopped_ = false;

  mutable std::mutex health_mu_;
  Status failure_;  // the first failed checkpoint or snapshot write; guarded by health_mu_
};

}  // namespace glassbook::journal
