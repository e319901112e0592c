// A verifying replica's core: takes the primary's answers (replication_batch.h), checks every record
// (strict decoding, seq, hash link, signature, command) and every checkpoint (the log key's signature,
// the Merkle root, the state root), journals them in its own fsynced journal and checkpoint log, and
// applies them to its own engine. Free of any transport: `glassbook replica` feeds it over HTTP.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "crypto/compact_range.h"
#include "engine/config.h"
#include "engine/engine.h"
#include "journal/checkpoint_log.h"
#include "journal/replication_batch.h"
#include "journal/storage.h"
#include "journal/writer.h"

namespace glassbook::journal {

struct FollowerOptions {
  std::string dir;  // must exist: the replica's own journal (segments and checkpoints.log)
  // When set, the primary's genesis must hold exactly this configuration; otherwise the first
  // genesis received is taken (it is signed by the log key it names, which then signs everything).
  std::optional<engine::ExchangeConfig> genesis;
  WriterOptions writer;
  Storage* storage = nullptr;  // null: the file storage
};

// What open() found in the replica's own directory.
struct FollowerRecovery {
  uint64_t records = 0;          // records in its journal (genesis included)
  uint64_t checkpoints = 0;      // checkpoints in its checkpoint log, each checked again
  uint64_t truncated_bytes = 0;  // a torn tail cut off (never below its newest checkpoint)
  std::string truncated;         // what was cut
};

class Follower {
 public:
  // Recovers the replica's own journal (every record scanned and applied from genesis; every stored
  // checkpoint's Merkle root and state root checked again at its size), cuts a torn tail beyond the
  // newest checkpoint, and opens the journal and checkpoint log to continue. Errors: Corruption
  // (damage, a stored checkpoint the journal does not reproduce, another exchange's genesis), Io.
  static Result<std::unique_ptr<Follower>> open(FollowerOptions options);
  ~Follower();
  Follower(const Follower&) = delete;
  Follower& operator=(const Follower&) = delete;

  // Checks one answer of the primary and takes what holds: every record is decoded strictly (one
  // whole record per entry), must carry the next seq, link to the previous record's hash and bear a
  // valid signature (genesis: by the log key it names, and the pinned configuration if any) over a
  // command that decodes; the good ones are journaled (one fdatasync) and applied. Then the
  // checkpoint, if any: signed by the log key in force, its tree size the replica's, its Merkle root
  // the replica's journal's, its state root the replica's engine's; it is appended (fsynced) to the
  // replica's checkpoint log. Errors:
  //  - Error::Corruption or InvalidSignature: the primary's log disagrees with what the replica
  //    checked; the message names the record (`seq N: ...`) or the checkpoint (`checkpoint of T
  //    records (after seq T-1): ...`) and what differed. The replica must stop.
  //  - Error::Io: the replica's own disk failed; it must stop and be restarted (recovery).
  // After any error the follower refuses further work.
  Status apply(const ReplicationBatch& batch);

  SeqNo next_seq() const { return next_seq_; }           // the seq the next record must carry
  uint64_t checkpointed_size() const { return checkpointed_size_; }  // the newest checkpoint verified
  const engine::Engine* engine() const { return engine_.get(); }     // null before genesis
  const FollowerRecovery& recovery() const { return recovery_; }
  // The newest verified checkpoint's note, if any.
  const std::optional<std::string>& latest_checkpoint() const { return latest_checkpoint_; }

 private:
  explicit Follower(FollowerOptions options);
  Status recover();
  Status check_checkpoint(std::string_view note, bool stored);
  Storage& storage() const { return options_.storage ? *options_.storage : file_storage(); }

  FollowerOptions options_;
  FollowerRecovery recovery_;
  std::unique_ptr<engine::Engine> engine_;
  crypto::CompactRange merkle_;  // the Merkle log of every record in the replica's journal
  crypto::Digest tip_hash_{};    // record_hash of record next_seq_ - 1 (kGenesisHash when empty)
  SeqNo next_seq_ = 0;
  uint64_t checkpointed_size_ = 0;
  std::string origin_;           // the checkpoints' origin, fixed by the first one
  std::optional<std::string> latest_checkpoint_;
  std::unique_ptr<JournalWriter> writer_;
  std::unique_ptr<CheckpointLogWriter> checkpoint_log_;
  Status failure_;
};

}  // namespace glassbook::journal
