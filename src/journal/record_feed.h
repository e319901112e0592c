// What a primary keeps for its replicas: the newest durable records in memory (a bounded window of
// group commits, as written) and the newest signed checkpoints, so that an answer to a replica is a
// copy from memory that stops where a checkpoint's tree ends (Node::replication_batch).
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "journal/writer.h"

namespace glassbook::journal {

struct RecordFeedOptions {
  // Bytes of records kept in memory; older group commits are dropped whole (the newest is always
  // kept), and a replica further behind is answered from the segments. 64 MiB holds about 250,000
  // records of the demo's size (about 250 bytes each).
  size_t max_bytes = size_t{64} << 20;
  size_t max_checkpoints = 1024;  // newest checkpoints kept; an older one is read from checkpoints.log
};

// Thread-safe: the journal thread appends, query threads read. Chunks are immutable once appended,
// so a reader copies records outside the lock.
class RecordFeed {
 public:
  // `next_seq`: the seq of the first record that will be appended (the journal's tip after recovery).
  // `checkpoints`: the stored ones (tree size, note), increasing, the newest last.
  RecordFeed(SeqNo next_seq, std::vector<std::pair<uint64_t, std::string>> checkpoints, RecordFeedOptions options = {});

  // Journal thread, after each group commit and after the checkpoints it completes were added: so a
  // record is never handed to a replica before the checkpoint whose tree ends at it.
  void append(const SyncedBatch& batch);
  void add_checkpoint(uint64_t tree_size, std::string note);

  SeqNo end() const;           // one past the newest record appended (the records a replica may read)
  SeqNo window_start() const;  // the oldest record still in memory

  // The first checkpoint whose tree size is at least `min_size`: found (with its note), none yet
  // (nullopt inside a known result), or unknown because it is older than the ones kept (`known` false).
  struct CheckpointLookup {
    bool known = true;
    std::optional<std::pair<uint64_t, std::string>> checkpoint;
  };
  CheckpointLookup checkpoint_from(uint64_t min_size) const;

  // Appends to `out` copies of the records [from, stop) held in memory, while their total stays
  // within max_bytes (at least one record when any is there). Precondition: window_start() <= from.
  // Returns how many were copied.
  size_t copy(SeqNo from, SeqNo stop, size_t max_bytes, std::vector<std::string>& out) const;

 private:
  struct Chunk {
    SeqNo first_seq = 0;
    std::string bytes;             // the records as written, one after another
    std::vector<uint32_t> offsets; // of each record in bytes, and bytes.size() at the end
  };

  const RecordFeedOptions options_;
  mutable std::mutex mu_;
  std::deque<std::shared_ptr<const Chunk>> chunks_;
  size_t bytes_ = 0;
  SeqNo start_;  // window_start()
  SeqNo end_;
  std::deque<std::pair<uint64_t, std::string>> checkpoints_;
  uint64_t checkpoints_complete_after_ = 0;  // every checkpoint above this tree size is in checkpoints_
};

}  // namespace glassbook::journal
