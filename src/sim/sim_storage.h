// A simulated disk behind the journal's Storage interface: written-but-unsynced bytes kept apart from
// synced ones, and faults injected at chosen operations (crashes, torn writes, EIO, ENOSPC, corruption).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "journal/storage.h"
#include "sim/sim_rng.h"

namespace glassbook::sim {

// What a fault makes the failing call report.
enum class IoFault : uint8_t { Eio, Enospc };

// How a crash treats what was written but not synced.
enum class CrashMode : uint8_t {
  LoseUnsynced,   // every unsynced write and truncation is gone, and every unsynced directory change
  TearLastWrite,  // the unsynced writes survive but the last, of which only a seeded prefix does
};

// Model (what a POSIX file system promises, no more):
//  - a file's bytes are durable once sync() returned after they were written; until then they are
//    visible to reads but a crash may lose them;
//  - a creation, rename or removal is durable once sync_directory() of its directory returned;
//  - a failed sync() drops the file's unsynced writes (after a failed writeback Linux marks the
//    pages clean: the data is gone, and a second fsync would wrongly succeed);
//  - a crash (crash_now, or crash_at an operation) keeps only what was durable (see CrashMode) and
//    kills every handle and call of the boot: they all fail with Error::Io until reboot().
// Directories exist implicitly (every path is "dir/name"). Thread-safe: one mutex serializes every
// call, so a simulation whose calls come in a fixed order is reproducible.
class SimStorage final : public journal::Storage {
 public:
  explicit SimStorage(uint64_t seed);
  ~SimStorage() override;

  // ---- Storage ----
  Result<std::unique_ptr<journal::StorageFile>> open(const std::string& path, journal::OpenMode mode) override;
  Result<std::unique_ptr<journal::StorageView>> map(const std::string& path) override;
  Result<std::vector<std::string>> list(const std::string& dir) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status remove(const std::string& path) override;
  Status sync_directory(const std::string& dir) override;
  // Directories exist implicitly: nothing to create.
  Status create_directories(const std::string& dir) override { (void)dir; return Status::ok(); }
  bool exists(const std::string& path) override;

  // ---- Faults, each armed for the `n`-th next such operation (0: the very next) ----
  // A write_at fails with `fault`; a seeded prefix of its bytes (possibly none) is written, unsynced.
  void fail_write(uint64_t n, IoFault fault);
  // A file sync() fails with `fault`, dropping that file's unsynced writes.
  void fail_sync(uint64_t n, IoFault fault);
  // The machine crashes on the n-th next mutation (write, sync, truncate, creation, rename, removal,
  // directory sync): that operation fails and does nothing durable, except that with TearLastWrite
  // a write crashed on is the torn last write.
  void crash_at(uint64_t n, CrashMode mode);
  // Disarms every fault not yet fired.
  void disarm();
  // Crashes the machine now.
  void crash_now(CrashMode mode);
  // A new boot after a crash: handles and calls from before stay dead, new ones work.
  void reboot();

  // Replaces `length` bytes at `offset` of the file at `path` with other bytes, in its synced and
  // its current contents alike (a sector gone bad). Returns the bytes that were there (for heal);
  // Error::InvalidArgument when the range is not within the file's synced bytes.
  Result<std::string> corrupt(const std::string& path, uint64_t offset, uint64_t length);
  // Puts `original` back at `offset` (synced and current), as a repair from a replica would.
  Status heal(const std::string& path, uint64_t offset, const std::string& original);

  // ---- What happened ----
  bool crashed() const;
  // A sync() failed in this boot (an injected fault).
  bool sync_failed() const;
  // Writes and syncs that succeeded after a sync() failed in the same boot: a fail-stop node has none.
  uint64_t data_ops_after_failed_sync() const;
  // The faults fired since construction, described ("sync of F failed: EIO", ...).
  std::vector<std::string> fired() const;
  // A file's current and durable bytes (nullopt: no such file, now or after a crash).
  std::optional<std::string> current_bytes(const std::string& path) const;
  std::optional<std::string> durable_bytes(const std::string& path) const;
  uint64_t mutations() const;

  struct Inode;
  struct Directory;
  class File;

 private:
  friend class File;
  // Every private helper runs under mu_.
  Status dead(const std::string& what) const;
  // Counts a mutation; fires an armed crash (returning its error) when it is due.
  Status mutation(const std::string& what, const std::string& path, Inode* written, uint64_t offset, std::string_view bytes);
  void crash_locked(CrashMode mode, Inode* torn, uint64_t offset, std::string_view bytes);
  Directory& directory_of(const std::string& path, std::string* name);
  std::shared_ptr<Inode> find(const std::string& path) const;
  Status file_write(File& f, uint64_t offset, std::string_view bytes);
  Status file_sync(File& f);
  Status file_truncate(File& f, uint64_t size);
  bool alive(const File& f) const;

  mutable std::mutex mu_;
  SimRng rng_;
  std::map<std::string, std::unique_ptr<Directory>> dirs_;
  uint64_t boot_ = 0;
  bool crashed_ = false;
  bool sync_failed_ = false;
  uint64_t data_ops_after_failed_sync_ = 0;
  uint64_t mutations_ = 0;
  std::optional<std::pair<uint64_t, IoFault>> write_fault_;  // writes left before it, fault
  std::optional<std::pair<uint64_t, IoFault>> sync_fault_;
  std::optional<std::pair<uint64_t, CrashMode>> crash_fault_;
  std::vector<std::string> fired_;
};

const char* fault_name(IoFault f);

}  // namespace glassbook::sim
