// Audit: a reader thread scans, hashes and decodes records into batches; the auditing thread checks
// their signatures on all cores, applies them, folds them into the Merkle log and checks each
// checkpoint.
#include "journal/audit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/worker_pool.h"
#include "crypto/compact_range.h"
#include "engine/engine.h"
#include "journal/checkpoint.h"
#include "journal/checkpoint_log.h"
#include "journal/genesis.h"
#include "journal/node_state.h"
#include "journal/reader.h"
#include "journal/replay.h"
#include "journal/snapshot_store.h"

namespace glassbook::journal {

namespace {

constexpr size_t kBatchRecords = 4096;
constexpr size_t kMaxQueuedBatches = 4;

// Records copied out of a segment (whose mapping ends with the scan of that segment), with their
// commands decoded.
struct Batch {
  std::string bytes;                 // the encoded records back to back
  std::vector<RecordView> views;     // point into `bytes` once sealed
  std::vector<size_t> offsets;       // of each record in `bytes`
  std::vector<const char*> origins;  // where each record was when scanned
  std::vector<engine::Command> commands;  // commands[i] of views[i] (left empty for genesis)
  // The batch ends at the first record whose body does not decode: views.back(), with this message.
  std::string undecodable;
};

void add(Batch& b, const RecordView& v) {
  b.offsets.push_back(b.bytes.size());
  b.origins.push_back(v.encoded.data());
  b.bytes.append(v.encoded);
  b.views.push_back(v);
}

void rebase(std::string_view& field, const char* from, const char* to) {
  field = std::string_view(to + (field.data() - from), field.size());
}

// Re-points every view at the batch's own copy (once `bytes` no longer grows).
void seal(Batch& b) {
  for (size_t i = 0; i < b.views.size(); ++i) {
    RecordView& v = b.views[i];
    const char* to = b.bytes.data() + b.offsets[i];
    const char* from = b.origins[i];
    rebase(v.signed_bytes, from, to);
    rebase(v.signer, from, to);
    rebase(v.signature, from, to);
    rebase(v.prev_hash, from, to);
    rebase(v.encoded, from, to);
  }
}

bool signature_ok(const RecordView& v) {
  crypto::PublicKey key;
  crypto::Signature sig;
  std::memcpy(key.data(), v.signer.data(), key.size());
  std::memcpy(sig.data(), v.signature.data(), sig.size());
  return crypto::verify(key, v.signed_bytes, sig);
}

// A bounded hand-off of batches from the reader thread to the auditing thread.
class BatchQueue {
 public:
  // False once the auditing thread has stopped taking batches.
  bool push(std::unique_ptr<Batch> b) {
    std::unique_lock lock(mu_);
    room_.wait(lock, [&] { return q_.size() < kMaxQueuedBatches || cancelled_; });
    if (cancelled_) return false;
    q_.push_back(std::move(b));
    ready_.notify_one();
    return true;
  }
  // nullptr at the end.
  std::unique_ptr<Batch> pop() {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [&] { return !q_.empty() || done_; });
    if (q_.empty()) return nullptr;
    auto b = std::move(q_.front());
    q_.pop_front();
    room_.notify_one();
    return b;
  }
  void finish(Status s) {
    std::lock_guard lock(mu_);
    done_ = true;
    status_ = std::move(s);
    ready_.notify_all();
  }
  void cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    room_.notify_all();
  }
  Status status() {
    std::lock_guard lock(mu_);
    return status_;
  }
  // Batches are reused, so their buffers are allocated (and their pages touched) once.
  std::unique_ptr<Batch> spare() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return std::make_unique<Batch>();
    auto b = std::move(free_.back());
    free_.pop_back();
    b->bytes.clear();
    b->views.clear();
    b->offsets.clear();
    b->origins.clear();
    b->commands.clear();
    b->undecodable.clear();
    return b;
  }
  void recycle(std::unique_ptr<Batch> b) {
    std::lock_guard lock(mu_);
    if (free_.size() < kMaxQueuedBatches + 2) free_.push_back(std::move(b));
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_, room_;
  std::deque<std::unique_ptr<Batch>> q_;
  std::vector<std::unique_ptr<Batch>> free_;
  bool done_ = false, cancelled_ = false;
  Status status_;
};

std::string hex(const crypto::Digest& d) { return crypto::to_hex(d); }

// The anchor's witness cosignatures: at least `quorum` must verify.
Status check_anchor_cosignatures(const AuditAnchor& anchor, AuditReport& report) {
  if (anchor.quorum > anchor.witnesses.size())
    return Status(Error::InvalidArgument, fmt::format("a quorum of {} witnesses, but only {} witness keys are given", anchor.quorum,
                                                      anchor.witnesses.size()));
  if (anchor.witnesses.empty()) return Status::ok();
  auto cosigned = verify_cosignatures(anchor.note, anchor.witnesses);
  if (!cosigned) return Status(Error::InvalidArgument, "the anchor checkpoint's cosignatures: " + cosigned.status().message());
  for (const VerifiedCosignature& c : *cosigned) report.anchor_cosigners.push_back(anchor.witnesses[c.witness].name);
  if (cosigned->size() < anchor.quorum)
    return Status(Error::InvalidArgument,
                  fmt::format("the anchor checkpoint carries {} valid cosignature(s) of the {} witnesses given, {} needed: "
                              "no quorum of witnesses vouches that the log showed them this checkpoint",
                              cosigned->size(), anchor.witnesses.size(), anchor.quorum));
  return Status::ok();
}

}  // namespace

Result<AuditReport> audit_journal(const std::string& dir, const AuditOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  AuditReport report;

  auto stored = read_checkpoints(dir);
  if (!stored) {
    if (stored.status().code() == Error::Io) return stored.status();
    report.divergence = stored.status().message();
    return report;
  }
  report.checkpoint_log_damage = stored->tail_damage;
  size_t next_cp = 0;  // the next checkpoint (by increasing tree size) still to check

  std::optional<Checkpoint> anchor;
  if (options.anchor) {
    auto cp = verify_checkpoint(options.anchor->note, options.anchor->verifier);
    if (!cp) return Status(Error::InvalidArgument, "the anchor checkpoint does not verify with the key given: " + cp.status().message());
    if (cp->tree_size == 0) return Status(Error::InvalidArgument, "the anchor checkpoint covers no record");
    if (Status s = check_anchor_cosignatures(*options.anchor, report); !s) return s;
    anchor = std::move(cp).value();
  }

  // Checks every stored checkpoint whose tree size is the log's size now, against the log's root and
  // the engine's state after `seq`; returns the first divergence ("" when they all hold).
  auto check_checkpoints_at = [&](const crypto::CompactRange& log, const engine::Engine& state, SeqNo seq) -> std::string {
    while (next_cp < stored->entries.size() && stored->entries[next_cp].checkpoint.tree_size == log.size()) {
      const StoredCheckpoint& e = stored->entries[next_cp];
      const crypto::Digest root = log.root();
      auto verifier = note_verifier(e.checkpoint.origin, state.config().log_key);
      auto signed_cp = verifier ? verify_checkpoint(e.note, verifier.value()) : Result<Checkpoint>(verifier.status());
      if (!signed_cp)
        return fmt::format("checkpoint {} (size {}): {}", next_cp, e.checkpoint.tree_size, signed_cp.status().message());
      if (signed_cp->root != root)
        return fmt::format("checkpoint {} (size {}): its Merkle root {} is not the journal's {}", next_cp, e.checkpoint.tree_size,
                           hex(signed_cp->root), hex(root));
      if (signed_cp->state_root != state.state_root())
        return fmt::format("checkpoint {} (size {}): state after seq {} is {} on replay, but the checkpoint says {}", next_cp,
                           e.checkpoint.tree_size, seq, hex(state.state_root()), hex(signed_cp->state_root));
      ++report.checkpoints_verified;
      report.covered = std::max(report.covered, e.checkpoint.tree_size);
      ++next_cp;
    }
    if (anchor && anchor->tree_size == log.size()) {
      const crypto::Digest root = log.root();
      if (state.config().log_key != options.anchor->verifier.key)
        return fmt::format("the anchor checkpoint (size {}) is signed by key {}, but the journal's log key is {}: it is "
                           "another exchange's journal, or its genesis or configuration was rewritten",
                           anchor->tree_size, hex(options.anchor->verifier.key), hex(state.config().log_key));
      if (anchor->root != root)
        return fmt::format("the anchor checkpoint (size {}): its Merkle root {} is not the journal's {}: records up to "
                           "seq {} were rewritten after the anchor was published",
                           anchor->tree_size, hex(anchor->root), hex(root), seq);
      if (anchor->state_root != state.state_root())
        return fmt::format("the anchor checkpoint (size {}): state after seq {} is {} on replay, but the anchor says {}",
                           anchor->tree_size, seq, hex(state.state_root()), hex(anchor->state_root));
      report.anchor_size = anchor->tree_size;
      report.covered = std::max(report.covered, anchor->tree_size);
    }
    return {};
  };

  std::unique_ptr<engine::Engine> engine;
  crypto::CompactRange merkle;
  ScanOptions scan;
  scan.repair = false;
  std::string snapshot_name;  // the file the audit started from
  if (options.from_snapshot) {
    auto loaded = load_newest_valid_snapshot(dir);
    if (!loaded) return loaded.status();
    report.skipped_snapshots = loaded->skipped;
    if (!loaded->snapshot) {
      if (loaded->skipped.empty()) return Status(Error::InvalidArgument, "no snapshot in " + dir);
      report.divergence = "no whole snapshot: " + loaded->skipped.front();
      return report;
    }
    const Snapshot& snap = *loaded->snapshot;
    snapshot_name = snapshot_file_name(snap.meta.seq);
    // Faults of the snapshot are divergences like the journal's, naming the file.
    auto snapshot_fault = [&](const std::string& why) {
      report.divergence = fmt::format("snapshot {}: {}", snapshot_name, why);
      return report;
    };
    if (snap.meta.state_format != kNodeStateFormat) return snapshot_fault(fmt::format("unknown state format {}", snap.meta.state_format));
    auto state = decode_node_state(snap.state);
    if (!state) return snapshot_fault(state.status().message());
    auto restored = engine::Engine::restore(state->engine);
    if (!restored) return snapshot_fault(restored.status().message());
    engine = std::move(restored).value();
    if (engine->state_root() != snap.meta.state_root)
      return snapshot_fault(fmt::format("the state it holds (after seq {}) does not have the state root it records", snap.meta.seq));
    if (state->merkle.size() != snap.meta.seq + 1)
      return snapshot_fault(fmt::format("its Merkle log holds {} records, not the {} up to seq {}", state->merkle.size(),
                                        snap.meta.seq + 1, snap.meta.seq));
    if (anchor && anchor->tree_size < state->merkle.size())
      return Status(Error::InvalidArgument,
                    fmt::format("the anchor checkpoint covers {} records, before the snapshot {}: replay from genesis to check it",
                                anchor->tree_size, snapshot_name));
    merkle = std::move(state->merkle);
    report.snapshot_seq = snap.meta.seq;
    scan.from_seq = snap.meta.seq + 1;
    scan.link_hash = snap.meta.chain_hash;
    while (next_cp < stored->entries.size() && stored->entries[next_cp].checkpoint.tree_size < merkle.size()) {
      ++report.checkpoints_skipped;
      ++next_cp;
    }
    // A checkpoint at the snapshot point is checked against the restored state.
    report.divergence = check_checkpoints_at(merkle, *engine, snap.meta.seq);
    if (!report.divergence.empty()) return report;
  }

  // Reader thread: scans (checksums, seq, record hashes, chain), decodes each command and hands over
  // batches of copied records. The auditing thread applies them and folds the Merkle log beside the
  // engine: measured, that balances the two threads best (with the decoding on the auditing thread,
  // it was saturated while the reader idled 40% of the time).
  BatchQueue queue;
  std::thread reader([&] {
    auto batch = queue.spare();
    auto flush = [&] {
      seal(*batch);
      const bool taken = queue.push(std::move(batch));
      batch = queue.spare();
      return taken;
    };
    auto scanned = scan_journal(dir, scan, [&](const RecordView& v) -> Status {
      add(*batch, v);
      engine::Command& command = batch->commands.emplace_back();  // genesis: opened as the configuration instead
      if (v.seq != 0) {
        if (Status s = to_command_into(v, command); !s) {
          // Reported by the auditing thread once the records before it are applied.
          batch->undecodable = s.message();
          flush();
          return Status(Error::InvalidArgument, "audit stopped");
        }
      }
      if (batch->views.size() == kBatchRecords && !flush()) return Status(Error::InvalidArgument, "audit stopped");
      return {};
    });
    if (!batch->views.empty()) flush();
    if (scanned && !scanned->report.tail_damage.empty()) report.tail_damage = scanned->report.tail_damage;
    queue.finish(scanned ? Status() : scanned.status());
  });

  WorkerPool pool(options.threads == 0 ? 0 : options.threads - 1);
  std::string divergence;
  uint64_t next_progress = uint64_t{1} << 16;
  while (divergence.empty()) {
    std::unique_ptr<Batch> batch = queue.pop();
    if (!batch) break;
    const auto& views = batch->views;
    // An undecodable last record is reported after the records before it.
    const size_t decoded = batch->undecodable.empty() ? views.size() : views.size() - 1;
    size_t usable = decoded;
    std::string bad_signature;  // reported after the records before it are applied
    if (options.verify_signatures) {
      usable = pool.first_failure(decoded, [&](size_t i) { return signature_ok(views[i]); });
      report.signatures_verified += usable;
      if (usable < decoded)
        bad_signature = fmt::format("seq {}: bad signature (kind {}, signer {})", views[usable].seq, views[usable].kind,
                                 crypto::to_hex({reinterpret_cast<const uint8_t*>(views[usable].signer.data()), 32}));
    }
    for (size_t i = 0; i < usable && divergence.empty(); ++i) {
      const RecordView& v = views[i];
      merkle.append(v.hash);
      if (v.seq == 0) {
        auto config = open_genesis(v.to_record());
        if (!config) {
          divergence = config.status().message();
          break;
        }
        engine = std::make_unique<engine::Engine>(std::move(config).value());
      } else {
        const auto events = engine->apply(batch->commands[i]);
        // The gateway and the sequencer never pass on a command its signer may not give, so a record
        // the engine refuses as unauthorized was forged into the journal (or a bug let it in).
        for (const engine::Event& e : events) {
          if (e.kind == engine::EventKind::Rejected && e.error == Error::Unauthorized) {
            divergence = fmt::format("seq {}: tampering: the engine refuses this {} as unauthorized (signer {}), and no such "
                                     "command is ever sequenced",
                                     v.seq, engine::command_name(batch->commands[i].body),
                                     crypto::to_hex({reinterpret_cast<const uint8_t*>(v.signer.data()), 32}));
            break;
          }
        }
        if (!divergence.empty()) break;
      }
      ++report.records;
      divergence = check_checkpoints_at(merkle, *engine, v.seq);
    }
    if (divergence.empty()) divergence = std::move(bad_signature);
    if (divergence.empty() && usable == decoded && decoded < views.size()) divergence = std::move(batch->undecodable);
    queue.recycle(std::move(batch));
    if (options.progress && report.records >= next_progress) {
      options.progress({report.records, elapsed()});
      next_progress = report.records + (uint64_t{1} << 16);
    }
  }
  queue.cancel();
  while (queue.pop()) {
  }
  reader.join();
  if (divergence.empty()) {
    Status scanned = queue.status();
    if (scanned.code() == Error::Io) return scanned;
    if (!scanned) {
      divergence = scanned.message();
      // Before any record after it, a scan failure is about where the snapshot joins the journal.
      if (options.from_snapshot && report.records == 0) divergence = fmt::format("snapshot {}: {}", snapshot_name, divergence);
    }
  }
  if (divergence.empty() && !engine) divergence = "the journal is empty: no genesis record";
  if (divergence.empty() && next_cp < stored->entries.size())
    divergence = fmt::format("checkpoint {} covers {} records, but the journal holds only {}: acknowledged records are missing",
                             next_cp, stored->entries[next_cp].checkpoint.tree_size, merkle.size());
  if (divergence.empty() && anchor && !report.anchor_size)
    divergence = fmt::format("the anchor checkpoint covers {} records, but the journal holds only {}: acknowledged records "
                             "are missing (the journal was rolled back)",
                             anchor->tree_size, merkle.size());
  report.divergence = std::move(divergence);
  report.tree_size = merkle.size();
  report.merkle_root = merkle.root();
  if (engine) report.state_root = engine->state_root();
  report.seconds = elapsed();
  return report;
}

}  // namespace glassbook::journal
