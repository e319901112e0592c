// Snapshot files: the GBSN format, atomic write (temp, fsync, rename, fsync dir), checked reads, newest-valid selection, pruning.
#include "journal/snapshot_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "journal/segment.h"

namespace glassbook::journal {

// Layout (little-endian), docs/journal.md "Snapshots":
//   0 magic "GBSN" | 4 u32 version | 8 u64 seq | 16 chain_hash[32] | 48 state_root[32] | 80 i64 timestamp
//   | 88 u32 state_format | 92 u32 reserved (0) | 96 u64 state length L | 104 state[L]
//   | 104+L SHA-256 of bytes [0, 104+L)
namespace {

constexpr size_t kTrailerBytes = 32;

void put_le(char* p, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) p[i] = static_cast<char>(v >> (8 * i));
}

uint64_t get_le(const char* p, int n) {
  uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << (8 * i);
  return v;
}

std::array<char, kSnapshotHeaderBytes> encode_header(const SnapshotMeta& meta, uint64_t state_bytes) {
  std::array<char, kSnapshotHeaderBytes> h{};
  std::memcpy(h.data(), kSnapshotMagic, 4);
  put_le(h.data() + 4, kSnapshotVersion, 4);
  put_le(h.data() + 8, meta.seq, 8);
  std::memcpy(h.data() + 16, meta.chain_hash.data(), 32);
  std::memcpy(h.data() + 48, meta.state_root.data(), 32);
  put_le(h.data() + 80, static_cast<uint64_t>(meta.timestamp), 8);
  put_le(h.data() + 88, meta.state_format, 4);
  put_le(h.data() + 92, 0, 4);
  put_le(h.data() + 96, state_bytes, 8);
  return h;
}

std::string file_name_of(const std::string& path) { return std::filesystem::path(path).filename().string(); }

Status damaged(const std::string& path, std::string what) {
  return Status(Error::Corruption, fmt::format("journal: snapshot {}: {}", file_name_of(path), what));
}

std::string temp_suffix() { return std::string(kSnapshotSuffix) + std::string(kSnapshotTempSuffix); }

}  // namespace

std::string snapshot_file_name(SeqNo seq) { return seq_file_name(kSnapshotPrefix, seq, kSnapshotSuffix); }

Status write_snapshot(const std::string& dir, const SnapshotMeta& meta, std::string_view state, Storage& storage) {
  if (state.size() > kMaxSnapshotStateBytes)
    return Status(Error::InvalidArgument, fmt::format("journal: snapshot at seq {} has {} state bytes, more than the limit of {}",
                                                      meta.seq, state.size(), kMaxSnapshotStateBytes));
  const std::string path = dir + "/" + snapshot_file_name(meta.seq);
  const std::string temp = path + std::string(kSnapshotTempSuffix);
  const auto header = encode_header(meta, state.size());
  crypto::Sha256 h;
  h.update(header.data(), header.size());
  h.update(state);
  const crypto::Digest trailer = h.finish();

  Status s = [&]() -> Status {
    Result<std::unique_ptr<StorageFile>> file = storage.open(temp, OpenMode::Replace);
    if (!file.is_ok()) return file.status();
    StorageFile& f = **file;
    if (Status w = f.write_at(0, std::string_view(header.data(), header.size())); !w.is_ok()) return w;
    if (Status w = f.write_at(header.size(), state); !w.is_ok()) return w;
    const std::string_view trailer_bytes(reinterpret_cast<const char*>(trailer.data()), trailer.size());
    if (Status w = f.write_at(header.size() + state.size(), trailer_bytes); !w.is_ok()) return w;
    // The contents are durable before the name points at them.
    if (Status w = f.sync(); !w.is_ok()) return w;
    if (Status w = storage.rename(temp, path); !w.is_ok()) return w;
    return storage.sync_directory(dir);
  }();
  // Best effort: the write already failed and says why; prune_snapshots removes any leftover.
  if (!s.is_ok()) (void)storage.remove(temp);
  return s;
}

Result<std::vector<SnapshotFile>> list_snapshots(const std::string& dir, Storage& storage) {
  std::vector<SnapshotFile> out;
  Result<std::vector<std::string>> names = storage.list(dir);
  if (!names.is_ok()) return names.status();
  for (const std::string& name : *names) {
    if (const std::optional<SeqNo> seq = parse_seq_file_name(name, kSnapshotPrefix, kSnapshotSuffix))
      out.push_back(SnapshotFile{*seq, name, dir + "/" + name});
  }
  std::sort(out.begin(), out.end(), [](const SnapshotFile& a, const SnapshotFile& b) { return a.seq < b.seq; });
  return out;
}

Result<Snapshot> read_snapshot(const std::string& path, std::optional<SeqNo> expected_seq, Storage& storage) {
  Result<std::unique_ptr<StorageFile>> file = storage.open(path, OpenMode::Read);
  if (!file.is_ok()) return file.status();
  StorageFile& f = **file;
  Result<uint64_t> size = f.size();
  if (!size.is_ok()) return size.status();
  if (*size < kSnapshotHeaderBytes + kTrailerBytes)
    return damaged(path, fmt::format("{} bytes, shorter than an empty snapshot ({})", *size, kSnapshotHeaderBytes + kTrailerBytes));

  std::array<char, kSnapshotHeaderBytes> header{};
  if (Status s = f.read_at(0, header.data(), header.size()); !s.is_ok()) return s;
  if (std::memcmp(header.data(), kSnapshotMagic, 4) != 0) return damaged(path, "bad magic");
  if (const uint64_t version = get_le(header.data() + 4, 4); version != kSnapshotVersion)
    return damaged(path, fmt::format("unsupported version {}", version));
  if (get_le(header.data() + 92, 4) != 0) return damaged(path, "reserved bytes are not zero");
  const uint64_t length = get_le(header.data() + 96, 8);
  if (length > kMaxSnapshotStateBytes)
    return damaged(path, fmt::format("state length {} is beyond the limit of {}", length, kMaxSnapshotStateBytes));
  if (*size != kSnapshotHeaderBytes + length + kTrailerBytes)
    return damaged(path, fmt::format("{} bytes, but its header announces {} state bytes ({} in all)", *size, length,
                                     kSnapshotHeaderBytes + length + kTrailerBytes));

  Snapshot snap;
  snap.meta.seq = get_le(header.data() + 8, 8);
  std::memcpy(snap.meta.chain_hash.data(), header.data() + 16, 32);
  std::memcpy(snap.meta.state_root.data(), header.data() + 48, 32);
  snap.meta.timestamp = static_cast<Timestamp>(get_le(header.data() + 80, 8));
  snap.meta.state_format = static_cast<uint32_t>(get_le(header.data() + 88, 4));
  snap.state.resize(length);
  if (Status s = f.read_at(kSnapshotHeaderBytes, snap.state.data(), length); !s.is_ok()) return s;
  crypto::Digest stored{};
  if (Status s = f.read_at(kSnapshotHeaderBytes + length, reinterpret_cast<char*>(stored.data()), stored.size()); !s.is_ok())
    return s;
  crypto::Sha256 h;
  h.update(header.data(), header.size());
  h.update(snap.state);
  if (h.finish() != stored) return damaged(path, "SHA-256 mismatch: the file is damaged");
  if (expected_seq && snap.meta.seq != *expected_seq)
    return damaged(path, fmt::format("named for seq {} but holds the snapshot at seq {}", *expected_seq, snap.meta.seq));
  return snap;
}

Result<SnapshotLoad> load_newest_valid_snapshot(const std::string& dir, Storage& storage) {
  Result<std::vector<SnapshotFile>> files = list_snapshots(dir, storage);
  if (!files.is_ok()) return files.status();
  SnapshotLoad out;
  for (auto it = files->rbegin(); it != files->rend(); ++it) {
    Result<Snapshot> snap = read_snapshot(it->path, it->seq, storage);
    if (snap.is_ok()) {
      out.snapshot = std::move(snap).value();
      break;
    }
    if (snap.code() != Error::Corruption) return snap.status();
    out.skipped.push_back(snap.status().message());
  }
  return out;
}

Result<size_t> prune_snapshots(const std::string& dir, size_t keep_newest, Storage& storage) {
  Result<std::vector<SnapshotFile>> files = list_snapshots(dir, storage);
  if (!files.is_ok()) return files.status();
  std::vector<std::string> doomed;
  const size_t remove = files->size() > keep_newest ? files->size() - keep_newest : 0;
  for (size_t i = 0; i < remove; ++i) doomed.push_back((*files)[i].path);
  const size_t removed = doomed.size();

  // Stale temporaries of interrupted writes.
  Result<std::vector<std::string>> names = storage.list(dir);
  if (!names.is_ok()) return names.status();
  for (const std::string& name : *names)
    if (parse_seq_file_name(name, kSnapshotPrefix, temp_suffix())) doomed.push_back(dir + "/" + name);

  for (const std::string& path : doomed)
    if (Status s = storage.remove(path); !s.is_ok()) return s;
  if (!doomed.empty()) {
    if (Status s = storage.sync_directory(dir); !s.is_ok()) return s;
  }
  return removed;
}

}  // namespace glassbook::journal
