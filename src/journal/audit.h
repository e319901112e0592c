// The audit: replays a journal directory from genesis (or its newest snapshot), re-verifying every
// signature on all cores, every checksum and hash link, and every signed checkpoint's Merkle root and
// state root. It stops at the first divergence and says exactly where it is.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "crypto/sha256.h"
#include "journal/checkpoint.h"
#include "journal/cosignature.h"

namespace glassbook::journal {

struct AuditProgress {
  uint64_t records = 0;  // records checked so far
  double seconds = 0;
};

// A checkpoint the auditor holds outside the journal's directory (saved from the exchange's
// endpoint, a witness or an earlier audit) and the key that signed it. With write access to the
// directory alone one can drop the checkpoint log or damage its last entries and rewrite the
// records after them; the anchor cannot be rewritten, so the journal must reproduce it.
// With witnesses, the anchor counts only when at least `quorum` of them cosigned it (valid
// tlog-cosignature lines on the note): then the log cannot have shown this checkpoint to the auditor
// and a smaller or other tree to those witnesses.
struct AuditAnchor {
  std::string note;       // the signed checkpoint note (with its cosignature lines, if any)
  NoteVerifier verifier;  // the log's verifier key, as the auditor knows it
  std::vector<CosignerKey> witnesses;
  size_t quorum = 0;      // valid cosignatures needed, at most witnesses.size()
};

struct AuditOptions {
  std::optional<AuditAnchor> anchor;
  bool verify_signatures = true;
  bool from_snapshot = false;  // start from the newest whole snapshot instead of genesis
  unsigned threads = 0;        // signature checking threads in all; 0: every core
  // Called on the auditing thread about every 2^16 records.
  std::function<void(const AuditProgress&)> progress;
};

struct AuditReport {
  uint64_t records = 0;               // records replayed (after the snapshot, if one was used)
  uint64_t signatures_verified = 0;
  uint64_t checkpoints_verified = 0;  // signature, Merkle root and state root all checked
  uint64_t checkpoints_skipped = 0;   // before the snapshot the audit started from
  std::optional<uint64_t> snapshot_seq;
  uint64_t tree_size = 0;             // records in the journal, genesis included
  crypto::Digest merkle_root{};       // of all of them
  crypto::Digest state_root{};        // after the last one
  std::string tail_damage;            // a torn tail seen (and left in place: the audit writes nothing)
  std::string checkpoint_log_damage;  // a torn last entry of checkpoints.log (left in place)
  std::vector<std::string> skipped_snapshots;  // newer damaged snapshots passed over (from_snapshot)
  std::optional<uint64_t> anchor_size;  // the anchor's tree size, once the journal reproduced it
  std::vector<std::string> anchor_cosigners;  // names of the witnesses whose cosignature on the anchor verified
  // Records [0, covered) are covered by a checkpoint verified here (stored or the anchor); records
  // from `covered` to tree_size are covered by none: nothing signed vouches for them.
  uint64_t covered = 0;
  double seconds = 0;
  // Empty when the history is consistent; otherwise the first divergence, precisely.
  std::string divergence;
};

// Audits the journal in `dir` and never modifies it. A divergence (a bad signature, a checkpoint the
// journal does not reproduce, the anchor it does not reproduce or does not reach, damage in the
// middle, a record that does not decode, a command the engine refuses as unauthorized, a snapshot
// that does not hold) is reported in AuditReport::divergence with the records checked before it;
// Status errors are for I/O failures, an anchor that does not verify with its key or lacks its quorum of
// witness cosignatures (InvalidArgument)
// and a directory that is not a journal at all.
Result<AuditReport> audit_journal(const std::string& dir, const AuditOptions& options = {});

}  // namespace glassbook::journal
