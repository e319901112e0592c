// run_storage_sim: clients submit rounds of commands to a node on a SimStorage; seeded faults fire
// inside the node's file operations; every restart is checked against a fault-free model.
#include "sim/storage_simulator.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <sstream>

#include "engine/config.h"
#include "engine/engine.h"
#include "journal/checkpoint_log.h"
#include "journal/node.h"
#include "journal/reader.h"
#include "journal/replay.h"
#include "journal/segment_files.h"
#include "journal/snapshot_store.h"
#include "sim/sim_clients.h"
#include "sim/sim_storage.h"

namespace glassbook::sim {

namespace {

constexpr const char* kDir = "/sim/journal";
constexpr Timestamp kStartTime = 1'700'000'000'000'000;
constexpr Timestamp kTimeStep = 1'000;  // µs the simulated clock advances per reading
constexpr uint64_t kSectorBytes = 512;
// A fault armed for the n-th next operation, n below these: within the next command or two (a
// command costs a write and a sync, plus the checkpoint's and snapshot's when due).
constexpr uint64_t kCrashWithin = 8;
constexpr uint64_t kErrorWithin = 3;
// Commands in flight at once: up to this many per round, so the engine runs ahead of the journal as
// in production; the sequencer takes one command per batch and one record per group commit, so
// the order of file operations stays the seed's whatever the threads' timing.
constexpr uint64_t kMaxRound = 8;
// Each boot's clock starts this far after the previous boot's start (10,000 simulated seconds, far
// more than a boot's commands use), so that timestamps do not depend on how many commands an
// engine applied ahead of a failure before it was discarded.
constexpr Timestamp kBootSpan = 10'000'000'000;

constexpr const char* kFaultNames[kFaultKinds] = {"crash", "torn", "write-eio", "write-enospc", "sync-eio", "sync-enospc", "corrupt"};

// One submission's acknowledgement, filled on the node's journal thread.
struct Ack {
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  SeqNo seq = 0;
  Timestamp timestamp = 0;
  std::vector<engine::Event> events;
};

// A record of the journal, located: what a corruption aims at.
struct Located {
  SeqNo seq;
  std::string path;
  uint64_t offset;
  uint64_t size;
};

class Simulation {
 public:
  explicit Simulation(const StorageSimOptions& o)
      : o_(o),
        rng_(o.seed),
        disk_(o.seed ^ 0x5EED'D15C'0000'0001ull),
        clients_(o.seed, std::max(1, o.traders)),
        log_key_(crypto::KeyPair::from_seed(crypto::seed_from_label(fmt::format("storage-sim/{}/log", o.seed)))) {
    config_ = engine::demo_config(clients_.watcher().public_key());
    config_.log_key = log_key_.public_key();
    model_ = std::make_unique<engine::Engine>(config_);
    acked_.emplace_back();  // seq 0: genesis, never a client's
    r_.seed = o.seed;
  }

  StorageSimResult run() {
    const auto t0 = std::chrono::steady_clock::now();
    [&] {
      if (!boot(false)) return;
      while (r_.commands < o_.commands) {
        if (!armed_) maybe_fault();
        if (!r_.ok) return;
        if (!node_ && !restart()) return;
        if (!submit_round(std::min<uint64_t>(1 + rng_.below(kMaxRound), o_.commands - r_.commands))) return;
      }
      // A last restart: everything acknowledged must be there.
      disk_.disarm();
      armed_.reset();
      restart();
    }();
    r_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (node_) {
      disk_.disarm();
      node_->stop();
      node_.reset();
    }
    return r_;
  }

 private:
  bool fail(std::string why) {
    if (r_.ok) {
      r_.ok = false;
      r_.failure = fmt::format("at command {}: {}", r_.commands, why);
    }
    return false;
  }

  journal::NodeOptions node_options() {
    journal::NodeOptions no;
    no.dir = kDir;
    no.genesis = config_;
    no.log_key = log_key_;
    no.checkpoint_every = std::max<uint64_t>(1, o_.checkpoint_every);
    no.snapshot_every = o_.snapshot_every;
    no.keep_snapshots = 2;
    no.storage = &disk_;
    no.snapshot_on_journal_thread = true;
    no.writer.segment_bytes = std::max<uint64_t>(1, o_.segment_bytes);
    no.sequencer.clock = [this] { return clock_.fetch_add(kTimeStep) + kTimeStep; };
    no.sequencer.max_batch = 1;
    no.sequencer.max_sync_records = 1;
    // Bounds fitted to a round (at most kMaxRound in flight): a restart then allocates little.
    no.sequencer.normal_capacity = 4 * kMaxRound;
    no.sequencer.cancel_capacity = 4 * kMaxRound;
    no.sequencer.max_in_flight = 4 * kMaxRound;
    no.on_recovered = [this](const engine::Engine& e) {
      recovered_root_ = e.state_root();
      recovered_last_seq_ = e.last_seq();
    };
    return no;
  }

  // Opens the node and, after a restart, checks what it recovered.
  bool boot(bool check) {
    ++boots_;
    clock_ = kStartTime + boots_ * kBootSpan;
    auto opened = journal::Node::open(node_options());
    if (!opened.is_ok()) return fail("the node did not start: " + opened.status().to_string());
    node_ = std::move(opened).value();
    return !check || check_recovered();
  }

  // Stops the node (after a crash, a fail-stop, or to damage its files) and starts it again.
  bool restart() {
    if (node_) {
      node_->stop();
      node_.reset();
    }
    if (disk_.data_ops_after_failed_sync() != 0)
      return fail(fmt::format("the node wrote or synced {} times after an fsync failed (not fail-stop)", disk_.data_ops_after_failed_sync()));
    if (disk_.crashed()) ++r_.crashes;
    disk_.disarm();
    armed_.reset();
    disk_.reboot();
    ++r_.restarts;
    return boot(true);
  }

  // The journal holds every acknowledged command, in order, and the recovered state is the model's.
  bool check_recovered() {
    std::vector<journal::Record> records;
    journal::ScanOptions scan;
    scan.repair = false;
    scan.from_seq = 1;
    auto scanned = journal::scan_journal(kDir, scan, journal::collect_records(records), disk_);
    if (!scanned.is_ok()) return fail("the journal does not scan after the restart: " + scanned.status().to_string());
    const SeqNo acked_last = acked_.size() - 1;
    if (records.size() < acked_last)
      return fail(fmt::format("acknowledged seq {} is missing: the journal ends at seq {}", records.size() + 1, records.size()));
    for (SeqNo seq = 1; seq <= acked_last; ++seq)
      if (records[seq - 1].signature != acked_[seq])
        return fail(fmt::format("seq {} holds another command than the one acknowledged", seq));
    // Durable but never acknowledged (a crash between the sync and the answer, or a torn write that
    // kept the whole record): part of history now, as a client asking again would learn.
    for (size_t i = acked_last; i < records.size(); ++i) {
      auto command = journal::to_command(records[i]);
      if (!command.is_ok()) return fail("an unacknowledged record does not decode: " + command.status().to_string());
      if (!model_apply(*command, nullptr)) return false;
      acked_.push_back(records[i].signature);
      ++r_.acknowledged;
    }
    if (recovered_last_seq_ != model_->last_seq())
      return fail(fmt::format("the node recovered up to seq {}, the journal holds seq {}", recovered_last_seq_, model_->last_seq()));
    if (recovered_root_ != model_->state_root())
      return fail(fmt::format("the recovered state root at seq {} differs from the fault-free model's", recovered_last_seq_));
    return true;
  }

  // Applies one command to the model and checks its invariants; `live` (the node's events) must match.
  bool model_apply(const engine::Command& command, const std::vector<engine::Event>* live) {
    const std::span<const engine::Event> events = model_->apply(command);
    if (model_->last_seq() != command.seq) return fail(fmt::format("the model refused seq {} as out of order", command.seq));
    if (live && !std::equal(events.begin(), events.end(), live->begin(), live->end()))
      return fail(fmt::format("seq {}: the node's events differ from the model's", command.seq));
    clients_.acknowledged(events);
    if (Status s = model_->check_invariants(); !s.is_ok())
      return fail(fmt::format("invariants broken after seq {}: {}", command.seq, s.message()));
    return true;
  }

  // Submits `n` commands at once and waits until each is acknowledged or the node has stopped.
  bool submit_round(uint64_t n) {
    std::vector<engine::SignedCommand> commands;
    std::vector<std::shared_ptr<Ack>> acks;
    for (uint64_t i = 0; i < n; ++i) {
      commands.push_back(clients_.next(rng_, *model_));
      acks.push_back(std::make_shared<Ack>());
    }
    r_.commands += n;
    for (uint64_t i = 0; i < n; ++i) {
      std::shared_ptr<Ack> ack = acks[i];
      // One lane, so that seqs follow the submission order: a cancel in its own lane would overtake
      // the orders before it or not, as the threads' timing fell.
      journal::Submission submission = journal::submission_of(commands[i]);
      submission.lane = journal::Lane::Normal;
      auto ticket = node_->submit(std::move(submission), [ack](SeqNo seq, Timestamp ts, std::span<const engine::Event> events) {
        std::lock_guard lock(ack->mu);
        ack->done = true;
        ack->seq = seq;
        ack->timestamp = ts;
        ack->events.assign(events.begin(), events.end());
        ack->cv.notify_all();
      });
      if (ticket.is_ok()) continue;
      if (ticket.code() != Error::Io) return fail("a submission was refused: " + ticket.status().to_string());
      acks.resize(i);  // the node has stopped: these were never taken
      break;
    }
    for (const std::shared_ptr<Ack>& ack : acks) {
      for (;;) {
        {
          std::unique_lock lock(ack->mu);
          if (ack->cv.wait_for(lock, std::chrono::milliseconds(1), [&] { return ack->done; })) break;
        }
        if (!node_->health().is_ok() || disk_.crashed()) break;
      }
    }
    const bool stopped = !node_->health().is_ok() || disk_.crashed();
    // A stopping node may still answer the group commit it was in: wait for its threads, so that
    // which commands were acknowledged does not depend on timing.
    if (stopped) node_->stop();
    note_fired();
    for (size_t i = 0; i < acks.size(); ++i) {
      Ack& ack = *acks[i];
      std::lock_guard lock(ack.mu);
      if (!ack.done) break;  // acknowledged in seq order: none after this one
      const engine::SignedCommand& sc = commands[i];
      engine::Command command{ack.seq, ack.timestamp, sc.command.signer, sc.command.body};
      if (!model_apply(command, &ack.events)) return false;
      acked_.push_back(sc.signature);
      ++r_.acknowledged;
    }
    if (disk_.sync_failed() && !stopped) return fail("the node went on after an fsync failed");
    if (stopped && !disk_.crashed()) {
      const Status why = node_->health();
      if (why.code() != Error::Io || why.message().empty())
        return fail("the node stopped without saying why: " + why.to_string());
    }
    if (stopped) return restart();
    return true;
  }

  void note_fired() {
    const size_t fired = disk_.fired().size();
    if (fired == fired_seen_) return;
    fired_seen_ = fired;
    if (armed_) ++r_.faults[static_cast<size_t>(*armed_)];
    armed_.reset();
  }

  void maybe_fault() {
    if (!rng_.chance(o_.fault_per_mille)) return;
    std::vector<FaultKind> kinds;
    for (size_t k = 0; k < kFaultKinds; ++k)
      if (o_.faults[k]) kinds.push_back(static_cast<FaultKind>(k));
    if (kinds.empty()) return;
    const FaultKind kind = kinds[rng_.below(kinds.size())];
    switch (kind) {
      case FaultKind::Crash: disk_.crash_at(rng_.below(kCrashWithin), CrashMode::LoseUnsynced); break;
      case FaultKind::Torn: disk_.crash_at(rng_.below(kCrashWithin), CrashMode::TearLastWrite); break;
      case FaultKind::WriteEio: disk_.fail_write(rng_.below(kErrorWithin), IoFault::Eio); break;
      case FaultKind::WriteEnospc: disk_.fail_write(rng_.below(kErrorWithin), IoFault::Enospc); break;
      case FaultKind::SyncEio: disk_.fail_sync(rng_.below(kErrorWithin), IoFault::Eio); break;
      case FaultKind::SyncEnospc: disk_.fail_sync(rng_.below(kErrorWithin), IoFault::Enospc); break;
      case FaultKind::Corrupt: corrupt(); return;
    }
    armed_ = kind;
  }

  // Damages a sector of synced data with the node stopped, then starts it: a checkpointed record
  // must stop the start with an error naming its segment (and leave the files as they were); a
  // damaged newest snapshot must be skipped, and the start survive.
  void corrupt() {
    if (node_) {
      node_->stop();
      if (!node_->health().is_ok()) return (void)restart();  // the stop's final checkpoint failed: no corruption now
      node_.reset();
      disk_.reboot();
      ++r_.restarts;
    }
    const bool snapshot = rng_.below(3) == 0;
    if (snapshot ? corrupt_snapshot() : corrupt_record()) {
      ++r_.faults[static_cast<size_t>(FaultKind::Corrupt)];
      fired_seen_ = disk_.fired().size();
    } else if (r_.ok) {
      boot(true);  // nothing to damage yet
    }
  }

  bool corrupt_record() {
    auto checkpoints = journal::read_checkpoints(kDir, disk_);
    if (!checkpoints.is_ok()) return fail("the checkpoint log does not read: " + checkpoints.status().to_string());
    if (checkpoints->entries.empty()) return false;
    const uint64_t covered = checkpoints->entries.back().checkpoint.tree_size;
    auto segments = journal::list_segments(kDir, disk_);
    if (!segments.is_ok()) return fail("the journal does not list: " + segments.status().to_string());
    std::vector<Located> records;
    for (const journal::SegmentFile& seg : *segments) {
      const std::string bytes = disk_.current_bytes(seg.path).value_or("");
      for (uint64_t at = 0; at < bytes.size();) {
        auto v = journal::decode_view(std::string_view(bytes).substr(at));
        if (!v.is_ok() || v->seq >= covered) break;
        records.push_back(Located{v->seq, seg.path, at, v->encoded.size()});
        at += v->encoded.size();
      }
    }
    if (records.empty()) return false;
    const Located& target = records[rng_.below(records.size())];
    const uint64_t at = target.offset + rng_.below(target.size);
    const uint64_t sector = at / kSectorBytes * kSectorBytes;
    const uint64_t from = std::max(sector, target.offset);
    const uint64_t to = std::min(sector + kSectorBytes, target.offset + target.size);
    auto original = disk_.corrupt(target.path, from, to - from);
    if (!original.is_ok()) return fail(original.status().to_string());
    const std::string damaged = disk_.current_bytes(target.path).value_or("");

    auto opened = journal::Node::open(node_options());
    const std::string name = target.path.substr(target.path.rfind('/') + 1);
    if (opened.is_ok())
      return fail(fmt::format("a damaged checkpointed record (seq {}, {} bytes {} to {}) was not detected at start", target.seq,
                              name, from, to));
    if (opened.code() != Error::Corruption || opened.status().message().find(name) == std::string::npos)
      return fail(fmt::format("a damaged record (seq {} in {}) stopped the start without naming it: {}", target.seq, name,
                              opened.status().to_string()));
    if (disk_.current_bytes(target.path).value_or("") != damaged)
      return fail(fmt::format("the start that found a damaged record changed {}", name));
    // Repaired from elsewhere (a replica), the node starts again.
    if (Status s = disk_.heal(target.path, from, *original); !s.is_ok()) return fail(s.to_string());
    boot(true);
    return true;
  }

  bool corrupt_snapshot() {
    auto snapshots = journal::list_snapshots(kDir, disk_);
    if (!snapshots.is_ok()) return fail("the snapshots do not list: " + snapshots.status().to_string());
    if (snapshots->empty()) return false;
    const journal::SnapshotFile& newest = snapshots->back();
    const uint64_t size = disk_.current_bytes(newest.path).value_or("").size();
    if (size == 0) return false;
    const uint64_t sector = rng_.below(size) / kSectorBytes * kSectorBytes;
    auto original = disk_.corrupt(newest.path, sector, std::min(kSectorBytes, size - sector));
    if (!original.is_ok()) return fail(original.status().to_string());
    if (!boot(true)) return true;
    const auto& skipped = node_->recovery().skipped_snapshots;
    if (skipped.empty() || skipped.front().find(newest.name) == std::string::npos)
      return fail(fmt::format("the damaged snapshot {} was not reported as skipped", newest.name));
    return true;
  }

  StorageSimOptions o_;
  SimRng rng_;
  SimStorage disk_;
  SimClients clients_;
  crypto::KeyPair log_key_;
  engine::ExchangeConfig config_;
  std::unique_ptr<engine::Engine> model_;  // the acknowledged commands, applied without faults
  std::vector<crypto::Signature> acked_;   // by seq: the signature of the command acknowledged there
  std::atomic<Timestamp> clock_{kStartTime};
  Timestamp boots_ = 0;
  std::unique_ptr<journal::Node> node_;
  std::optional<FaultKind> armed_;  // a fault waiting for its operation
  size_t fired_seen_ = 0;
  crypto::Digest recovered_root_{};
  SeqNo recovered_last_seq_ = 0;
  StorageSimResult r_;
};

}  // namespace

const char* fault_kind_name(FaultKind k) { return kFaultNames[static_cast<size_t>(k)]; }

bool parse_fault_kinds(const std::string& text, std::array<bool, kFaultKinds>& out, std::string& error) {
  out.fill(false);
  if (text == "all") {
    out.fill(true);
    return true;
  }
  if (text == "none") return true;
  std::stringstream in(text);
  std::string name;
  while (std::getline(in, name, ',')) {
    const auto* it = std::find_if(std::begin(kFaultNames), std::end(kFaultNames), [&](const char* n) { return name == n; });
    if (it == std::end(kFaultNames)) {
      error = fmt::format("unknown fault kind '{}' (known: all, none, crash, torn, write-eio, write-enospc, sync-eio, sync-enospc, corrupt)", name);
      return false;
    }
    out[static_cast<size_t>(it - std::begin(kFaultNames))] = true;
  }
  return true;
}

std::string StorageSimResult::line() const {
  std::string faults_text;
  for (size_t k = 0; k < kFaultKinds; ++k) faults_text += fmt::format("{}{}={}", k ? " " : "", kFaultNames[k], faults[k]);
  const double rate = seconds > 0 ? static_cast<double>(commands) / seconds : 0;
  return fmt::format("sim: seed {}, commands {}, acknowledged {}, crashes {}, faults {}, restarts {}, result {}, {:.0f} simulated commands/s",
                     seed, commands, acknowledged, crashes, faults_text, restarts, ok ? std::string("ok") : "FAILED " + failure, rate);
}

StorageSimResult run_storage_sim(const StorageSimOptions& options) { return Simulation(options).run(); }

}  // namespace glassbook::sim
