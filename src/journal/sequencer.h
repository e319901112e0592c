// The write path: sequences commands, applies them on the engine thread, group-commits them, and releases events only once durable.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "engine/engine.h"
#include "engine/event.h"
#include "journal/bounded_queue.h"
#include "journal/group_commit.h"
#include "journal/record.h"
#include "journal/sequencer_submission.h"
#include "journal/writer.h"

namespace glassbook::journal {

// Called once a command's record is durable, on the journal thread, in seq order. `events` are
// what the engine produced for the command (one Rejected event when it refused it); the span is
// valid only during the call. Must be quick, must not throw, and must not call Sequencer::stop().
// It may call Sequencer::submit (which never blocks).
using Completion = std::function<void(SeqNo seq, Timestamp timestamp, std::span<const engine::Event> events)>;
// Called for every released command, in seq order, with the command as the engine applied it (seq,
// timestamp, signer, body) and its events; both valid only during the call. Same rules as Completion.
using DurableSink = std::function<void(const engine::Command& command, std::span<const engine::Event> events)>;
// The sequencer's time source, µs since the Unix epoch. Called on the engine thread only.
using Clock = std::function<Timestamp()>;

// The system clock in µs since the Unix epoch (the default Clock).
Timestamp system_clock_micros();

// Limits of the write path. Every queue and buffer is bounded; Sequencer::create refuses values
// outside the documented ranges.
struct SequencerOptions {
  size_t normal_capacity = 4096;  // [1, 1 << 20] commands waiting in the Normal lane
  size_t cancel_capacity = 1024;  // [1, 1 << 20] commands waiting in the Cancel lane
  size_t max_batch = 256;         // [1, 1 << 16] commands the engine thread takes and applies at once
  size_t max_in_flight = 4096;    // [1, 1 << 20] commands applied but not yet durable and released
  size_t max_sync_records = 4096;        // [1, 1 << 20] records in one group commit
  size_t max_sync_bytes = size_t{4} << 20;  // [kMaxRecordBytes, 8 MiB] encoded bytes in one group commit
  // Group commit: when fewer than max_sync_records are ready, the journal thread waits at most this
  // long for more before syncing. Zero (the default) syncs whatever is ready at once. At most 100 ms.
  std::chrono::microseconds max_sync_wait{0};
  // Group commit at the intake: when commands arrive often enough, the engine thread waits (at most
  // group_commit.max_wait, until group_commit.target_records are queued or a cancel arrives) before
  // it takes a batch, so one wake-up of each thread and one fdatasync cover the whole batch. Off by
  // default (max_wait zero); `glassbook serve` turns it on (app/exchange_server.h).
  GroupCommitPolicy group_commit;
  Clock clock;  // empty: system_clock_micros
};

// Optional callbacks for the layers above (market data, private streams, snapshots, checkpoints).
// None may throw; each runs on the thread named, never concurrently with itself.
struct SequencerHooks {
  // Journal thread, just BEFORE each command's Completion: sees every released command, refused
  // ones included, in seq order. The sink for projections, market data and private streams, which
  // are thereby up to date with a command when its client hears back.
  DurableSink on_durable;
  // Engine thread, after each batch is applied and BEFORE it is handed to the journal thread (so
  // after_sync for these seqs always comes later): the engine's state is exactly that after
  // `last_seq`, so a snapshot or state root taken here is labelled by a known seq. Nothing derived
  // from that state may be published before after_sync reports `last_seq` durable. Its time adds
  // to the batch's latency: keep it short, or do the heavy part elsewhere.
  std::function<void(const engine::Engine& engine, SeqNo last_seq)> on_applied_batch;
  // Journal thread, right after each group commit is durable and BEFORE its commands are released,
  // so whatever it records (the Merkle log of record hashes, checkpoints) already covers every
  // command a client has been told about. `batch` is the writer's last_synced(): the seqs and
  // record hashes this sync made durable, valid during the call.
  std::function<void(SeqNo durable_seq, const SyncedBatch& batch)> after_sync;
};

// Counters since create(); a snapshot read with relaxed atomics (fields may be mutually stale).
struct SequencerStats {
  uint64_t accepted = 0;            // submissions queued
  uint64_t refused_overloaded = 0;  // submissions refused with Error::Overloaded
  uint64_t applied = 0;             // commands applied by the engine
  uint64_t applied_batches = 0;     // batches the engine thread applied
  uint64_t max_applied_batch = 0;   // largest such batch
  uint64_t sync_batches = 0;        // group commits (one sync each)
  uint64_t records_synced = 0;      // records made durable
  uint64_t max_sync_batch = 0;      // most records in one group commit
};

// What submit() returns for an accepted command: its acceptance number (1, 2, ... across both
// lanes, in the order submissions were accepted) and its lane. The seq is assigned later, by the
// engine thread, and is passed to the Completion.
struct Ticket {
  uint64_t number = 0;
  Lane lane = Lane::Normal;
};

// The sequencer of one shard: gateway -> sequencer -> journal -> engine -> events (design.md).
//
// Threads and ownership:
//  - Any thread calls submit(). It checks the submission, then (under a mutex held only to push)
//    queues it in its lane's bounded queue, or refuses it with Error::Overloaded when that queue is
//    full. Nothing else happens on the caller's thread.
//  - The engine thread OWNS the engine::Engine from start() to the end of stop(); nothing else may
//    touch it then. It takes a batch (cancels first, then normal orders, each lane FIFO), gives
//    each command seq = previous + 1 and timestamp = max(clock(), previous timestamp), applies it,
//    copies its events into the command's slot of the bounded in-flight window, calls
//    on_applied_batch, and hands the batch to the journal thread. When the window is full it
//    waits; the input queues then fill and new orders are refused with Error::Overloaded, while
//    the Cancel lane keeps its own room.
//  - The journal thread OWNS the JournalWriter. It takes the records ready (group commit, bounded
//    by max_sync_records / max_sync_bytes), appends them, syncs once, calls after_sync, and only
//    then runs their Completions and on_durable in seq order and frees their slots.
// The engine runs ahead of durability (as LMAX does), but nothing derived from a command (its
// completion, its events) leaves before a sync covering its seq has returned.
// Both threads run at a lowered nice value where the process may set one (CAP_SYS_NICE): they are
// the serial stages every request waits for.
//
// Queries about the exchange's state from other threads must go through projections fed by
// on_durable (not yet built): the engine itself is never shared.
//
// Journal failure: when an append or sync fails, the sequencer stops for good. submit() returns
// Error::Io ("journal failed: ..."), the engine thread stops taking commands, and the commands not
// yet durable are never released: their clients get no acknowledgement (their Completions are
// destroyed uncalled). The engine in memory is then ahead of the journal and must be discarded:
// the process must run recovery (journal::recover / open_and_recover + replay) before serving again.
class Sequencer {
 public:
  using Options = SequencerOptions;
  using Hooks = SequencerHooks;

  static constexpr size_t kMaxQueueCapacity = size_t{1} << 20;
  static constexpr size_t kMaxBatch = size_t{1} << 16;
  static constexpr size_t kMaxInFlight = size_t{1} << 20;
  static constexpr size_t kMaxSyncBytes = size_t{8} << 20;  // below the writer's 16 MiB buffer
  static constexpr std::chrono::microseconds kMaxSyncWait{100'000};

  // Takes the engine and the writer (positioned at the journal's tip, e.g. after recovery). Refuses
  // options outside their limits and missing engine or writer with Error::InvalidArgument.
  static Result<std::unique_ptr<Sequencer>> create(std::unique_ptr<engine::Engine> engine,
                                                   std::unique_ptr<JournalWriter> writer, Options options = {},
                                                   Hooks hooks = {});
  // Stops (see stop()).
  ~Sequencer();
  Sequencer(const Sequencer&) = delete;
  Sequencer& operator=(const Sequencer&) = delete;

  // Starts the engine and journal threads. `first_seq` is the seq the first command gets: the
  // journal's durable tip + 1 (so it continues after recovery), and after the engine's last seq.
  // `last_timestamp` is the tip's timestamp: no command is timed before it. Once only.
  Status start(SeqNo first_seq, Timestamp last_timestamp);

  // Queues a command from any thread; never blocks on the engine or the journal. `done` (may be
  // empty) runs once the command is durable. Errors, in which case nothing was queued:
  //  - Error::InvalidArgument: check_submission failed, or the sequencer is not running;
  //  - Error::Overloaded: the command's lane is full ("overloaded: the order queue is full, retry
  //    later"); the exchange is unchanged and the client may retry;
  //  - Error::Io: the journal failed ("journal failed: ..."); recovery must run.
  Result<Ticket> submit(Submission submission, Completion done);

  // Refuses new submissions, applies everything already accepted, makes all of it durable and runs
  // its completions, then joins both threads. After a journal failure it only joins. Idempotent.
  // Must not be called from a Completion or hook.
  void stop();

  // Stops the sequencer for good, as a failed journal write does; status() and submit() then give
  // Error::Io with cause's message. For a layer above whose own durable write failed (a
  // checkpoint, a snapshot), after which nothing more may be acknowledged. The first failure wins.
  // From any thread, hooks included; the journal thread finishes the group commit it is in, whose
  // records are already durable, and takes no more.
  void halt(const Status& cause);

  // OK, or the failure (Error::Io) once the sequencer has failed or been halted.
  Status status() const;
  // The highest seq made durable by this sequencer (first_seq - 1 before any).
  SeqNo durable_seq() const { return durable_seq_.load(std::memory_order_acquire); }
  SequencerStats stats() const;
  // The engine, for inspection before start() or after stop() only (asserted).
  const engine::Engine& engine() const;

 private:
  enum class State : uint8_t { Idle, Running, Stopping, Stopped };

  // An accepted submission waiting in a lane.
  struct Pending {
    Submission submission;
    Completion done;
  };

  // One command of the in-flight window: applied, waiting for durability. Written by the engine
  // thread, then (after it publishes applied_ under flight_mu_) read and freed by the journal thread.
  struct Slot {
    engine::Command command;             // as applied; its body is dropped once released
    Record record;                       // moved into the writer by the journal thread
    std::vector<engine::Event> events;   // keeps its capacity from one use to the next
    Completion done;
  };

  Sequencer(std::unique_ptr<engine::Engine> engine, std::unique_ptr<JournalWriter> writer, Options options, Hooks hooks);

  void engine_loop();
  // Engine thread, holding in_mu_ with commands queued: waits for the batch to fill when the
  // arrival rate says it soon will (group_commit); false when the sequencer failed meanwhile.
  bool wait_for_batch(std::unique_lock<std::mutex>& lk, size_t limit);
  void apply_batch();
  void journal_loop();
  // Makes the sequencer refuse all further work; called by the journal thread only.
  void fail(const Status& cause);
  // Records `failure` (unless one is already recorded) and wakes every thread so that it stops.
  void set_failure(Status failure);
  Slot& slot(uint64_t index) { return slots_[index % slots_.size()]; }

  const Options options_;
  const Hooks hooks_;

  // Owned by the engine thread while running.
  std::unique_ptr<engine::Engine> engine_;
  std::vector<Pending> batch_;  // capacity max_batch, reused
  ArrivalRate arrivals_;                                   // submissions per second
  uint64_t tickets_seen_ = 0;                              // tickets_ at the last observation
  std::chrono::steady_clock::time_point seen_at_{};        // when
  SeqNo next_seq_ = 0;
  Timestamp last_timestamp_ = 0;

  // Owned by the journal thread while running.
  std::unique_ptr<JournalWriter> writer_;

  // Input: both lanes, the state and the failure, guarded by in_mu_. The engine thread waits on
  // in_cv_ for work.
  mutable std::mutex in_mu_;
  std::condition_variable in_cv_;
  BoundedQueue<Pending> normal_;
  BoundedQueue<Pending> cancel_;
  State state_ = State::Idle;
  Status failure_;
  uint64_t tickets_ = 0;
  // Commands queued at which submit() wakes the engine thread: 1, or the batch target while the
  // engine thread waits for a batch to fill (a cancel wakes it whatever this says).
  size_t engine_wants_ = 1;
  std::atomic<bool> failed_{false};  // set (under in_mu_) once failure_ is set

  // The in-flight window: slots_[i % size] for released_ <= i < applied_ hold applied commands
  // awaiting durability; the engine thread fills slots from applied_ up to released_ + size.
  // Invariant: released_ <= applied_ <= released_ + slots_.size(). Slot i holds seq first_seq + i.
  std::mutex flight_mu_;
  std::condition_variable journal_cv_;  // the journal thread waits for applied commands
  std::condition_variable room_cv_;     // the engine thread waits for free slots
  std::vector<Slot> slots_;
  uint64_t applied_ = 0;   // written by the engine thread under flight_mu_
  uint64_t released_ = 0;  // written by the journal thread under flight_mu_
  bool engine_done_ = false;

  std::atomic<SeqNo> durable_seq_{0};

  // Serializes start() and stop().
  std::mutex lifecycle_mu_;
  std::thread engine_thread_;
  std::thread journal_thread_;

  struct Counters {
    std::atomic<uint64_t> accepted{0}, refused_overloaded{0}, applied{0}, applied_batches{0}, max_applied_batch{0},
        sync_batches{0}, records_synced{0}, max_sync_batch{0};
  };
  Counters counters_;
};

}  // namespace glassbook::journal
