// Snapshot files in a journal directory: atomic writes, listing, loading the newest whole one, pruning.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "crypto/sha256.h"
#include "journal/storage.h"

namespace glassbook::journal {

// "snapshot-<seq, 20 digits>.snap"; written through "<that>.tmp" and renamed.
inline constexpr std::string_view kSnapshotPrefix = "snapshot-";
inline constexpr std::string_view kSnapshotSuffix = ".snap";
inline constexpr std::string_view kSnapshotTempSuffix = ".tmp";
inline constexpr char kSnapshotMagic[4] = {'G', 'B', 'S', 'N'};
inline constexpr uint32_t kSnapshotVersion = 1;
inline constexpr size_t kSnapshotHeaderBytes = 104;             // through the state length field
inline constexpr uint64_t kMaxSnapshotStateBytes = uint64_t{4} << 30;  // 4 GiB of state bytes

// What a snapshot is of: the state after applying every record up to and including `seq`.
struct SnapshotMeta {
  SeqNo seq = 0;
  crypto::Digest chain_hash{};  // record_hash of record `seq`: links the snapshot to the journal
  crypto::Digest state_root{};  // the engine's state root after record `seq`
  Timestamp timestamp = 0;      // record `seq`'s timestamp
  uint32_t state_format = 0;    // version of the state bytes' encoding (the engine's; opaque here)

  bool operator==(const SnapshotMeta&) const = default;
};

struct Snapshot {
  SnapshotMeta meta;
  std::string state;  // opaque serialized state

  bool operator==(const Snapshot&) const = default;
};

struct SnapshotFile {
  SeqNo seq = 0;     // from the file name
  std::string name;  // file name within the directory
  std::string path;
};

std::string snapshot_file_name(SeqNo seq);

// Writes <dir>/snapshot-<meta.seq>.snap atomically: a temporary file is written and fsynced, renamed
// over the final name, and the directory fsynced; a crash leaves either the whole old state of the
// directory or the whole new file (plus perhaps a stale temporary, which prune_snapshots removes).
// Refuses state bigger than kMaxSnapshotStateBytes (Error::InvalidArgument); Error::Io on OS failures.
Status write_snapshot(const std::string& dir, const SnapshotMeta& meta, std::string_view state, Storage& storage = file_storage());

// The snapshot files of `dir` in increasing seq (temporaries and other files ignored); Error::Io
// when the directory cannot be read.
Result<std::vector<SnapshotFile>> list_snapshots(const std::string& dir, Storage& storage = file_storage());

// Reads and checks one snapshot file: magic, version, zero reserved bytes, length within the bound
// and matching the file size, the SHA-256 trailer, and (when expected_seq is given) meta.seq equal to
// the seq its name gives. Error::Corruption for any damage, Error::Io for OS failures.
Result<Snapshot> read_snapshot(const std::string& path, std::optional<SeqNo> expected_seq = std::nullopt,
                               Storage& storage = file_storage());

struct SnapshotLoad {
  std::optional<Snapshot> snapshot;   // the newest whole snapshot, if any
  std::vector<std::string> skipped;   // for each newer, damaged one: the error naming its file and the damage
};

// The newest snapshot that reads back whole. Damaged newer ones are skipped and reported; an I/O
// failure (not damage) stops with Error::Io.
Result<SnapshotLoad> load_newest_valid_snapshot(const std::string& dir, Storage& storage = file_storage());

// Removes all snapshot files but the newest `keep_newest` (by seq, whether whole or not: keep at least
// two to survive damage to the newest) and any stale temporaries, then fsyncs the directory. Returns
// how many snapshot files were removed.
Result<size_t> prune_snapshots(const std::string& dir, size_t keep_newest, Storage& storage = file_storage());

}  // namespace glassbook::journal
