// SimStorage: files as synced bytes plus a log of unsynced writes, directories as synced and current
// entries, and the faults that fire at counted operations.
#include "sim/sim_storage.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

namespace glassbook::sim {

using journal::OpenMode;
using journal::StorageFile;
using journal::StorageView;

const char* fault_name(IoFault f) { return f == IoFault::Eio ? "EIO" : "ENOSPC"; }

namespace {

int errno_of(IoFault f) { return f == IoFault::Eio ? EIO : ENOSPC; }

// How many bytes of an interrupted write of `size` bytes reach the file: none or all of them as
// often as any length in between, since the ends are where the bugs hide (a whole record that was
// never acknowledged, or nothing at all).
size_t landed_prefix(SimRng& rng, size_t size) {
  switch (rng.below(4)) {
    case 0: return 0;
    case 1: return size;
    default: return static_cast<size_t>(rng.below(size + 1));
  }
}

void write_into(std::string& bytes, uint64_t offset, std::string_view data) {
  if (bytes.size() < offset + data.size()) bytes.resize(offset + data.size(), '\0');
  std::memcpy(bytes.data() + offset, data.data(), data.size());
}

}  // namespace

struct SimStorage::Inode {
  // One unsynced change: a write of `bytes` at `offset`, or (truncate) a resize to `offset`.
  struct Change {
    bool truncate = false;
    uint64_t offset = 0;
    std::string bytes;
  };
  std::string durable;  // what a crash keeps
  std::string current;  // what reads see: durable with `unsynced` applied
  std::vector<Change> unsynced;
  const void* lock_holder = nullptr;

  void apply(const Change& c) {
    if (c.truncate)
      current.resize(c.offset, '\0');
    else
      write_into(current, c.offset, c.bytes);
  }
  void synced() {
    durable = current;
    unsynced.clear();
  }
};

struct SimStorage::Directory {
  std::map<std::string, std::shared_ptr<Inode>> current;  // what listings and opens see
  std::map<std::string, std::shared_ptr<Inode>> durable;  // what a crash keeps
};

// A handle of one boot: dead once the machine crashed or rebooted, or once closed.
class SimStorage::File final : public StorageFile {
 public:
  File(SimStorage& storage, std::shared_ptr<Inode> inode, std::string path, uint64_t boot)
      : storage_(storage), inode_(std::move(inode)), path_(std::move(path)), boot_(boot) {}
  ~File() override {
    std::lock_guard lock(storage_.mu_);
    release_lock();
  }
  const std::string& path() const override { return path_; }
  Result<uint64_t> size() override {
    std::lock_guard lock(storage_.mu_);
    if (!storage_.alive(*this)) return storage_.dead(path_);
    return static_cast<uint64_t>(inode_->current.size());
  }
  Status read_at(uint64_t offset, char* data, size_t size) override {
    std::lock_guard lock(storage_.mu_);
    if (!storage_.alive(*this)) return storage_.dead(path_);
    const std::string& bytes = inode_->current;
    if (offset + size > bytes.size()) {
      const uint64_t have = offset >= bytes.size() ? 0 : bytes.size() - offset;
      return Status(Error::Corruption, fmt::format("journal: {} ends at offset {}, {} bytes short", path_, offset + have, size - have));
    }
    std::memcpy(data, bytes.data() + offset, size);
    return Status::ok();
  }
  Status write_at(uint64_t offset, std::string_view bytes) override {
    std::lock_guard lock(storage_.mu_);
    return storage_.file_write(*this, offset, bytes);
  }
  Status sync() override {
    std::lock_guard lock(storage_.mu_);
    return storage_.file_sync(*this);
  }
  Status truncate(uint64_t size) override {
    std::lock_guard lock(storage_.mu_);
    return storage_.file_truncate(*this, size);
  }
  Status lock() override {
    std::lock_guard lock(storage_.mu_);
    if (!storage_.alive(*this)) return storage_.dead(path_);
    if (inode_->lock_holder != nullptr && inode_->lock_holder != this)
      return Status(Error::Io, fmt::format("journal: another writer has {} open", path_));
    inode_->lock_holder = this;
    return Status::ok();
  }
  Status close() override {
    std::lock_guard lock(storage_.mu_);
    if (closed_) return Status(Error::Io, fmt::format("journal: {} is already closed", path_));
    const bool was_alive = storage_.alive(*this);
    closed_ = true;
    release_lock();
    if (!was_alive) return storage_.dead(path_);
    return Status::ok();
  }

  Inode& inode() { return *inode_; }
  uint64_t boot() const { return boot_; }
  bool closed() const { return closed_; }

 private:
  void release_lock() {
    if (inode_->lock_holder == this) inode_->lock_holder = nullptr;
  }

  SimStorage& storage_;
  std::shared_ptr<Inode> inode_;
  std::string path_;
  uint64_t boot_;
  bool closed_ = false;
};

namespace {

// A whole file's bytes as they were when mapped (a copy: later writes do not show through).
class CopiedView final : public StorageView {
 public:
  explicit CopiedView(std::string bytes) : bytes_(std::move(bytes)) {}
  std::string_view bytes() const override { return bytes_; }

 private:
  std::string bytes_;
};

}  // namespace

SimStorage::SimStorage(uint64_t seed) : rng_(seed) {}
SimStorage::~SimStorage() = default;

bool SimStorage::alive(const File& f) const { return !crashed_ && f.boot() == boot_ && !f.closed(); }

Status SimStorage::dead(const std::string& what) const {
  return Status(Error::Io, fmt::format("journal: {}: the simulated machine crashed or the handle is gone", what));
}

SimStorage::Directory& SimStorage::directory_of(const std::string& path, std::string* name) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string(".") : path.substr(0, slash);
  if (name) *name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::unique_ptr<Directory>& d = dirs_[dir];
  if (!d) d = std::make_unique<Directory>();
  return *d;
}

std::shared_ptr<SimStorage::Inode> SimStorage::find(const std::string& path) const {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string(".") : path.substr(0, slash);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  auto d = dirs_.find(dir);
  if (d == dirs_.end()) return nullptr;
  auto e = d->second->current.find(name);
  return e == d->second->current.end() ? nullptr : e->second;
}

Status SimStorage::mutation(const std::string& what, const std::string& path, Inode* written, uint64_t offset,
                            std::string_view bytes) {
  ++mutations_;
  if (!crash_fault_) return Status::ok();
  if (crash_fault_->first > 0) {
    --crash_fault_->first;
    return Status::ok();
  }
  const CrashMode mode = crash_fault_->second;
  crash_fault_.reset();
  fired_.push_back(fmt::format("crash ({}) during {} of {}", mode == CrashMode::LoseUnsynced ? "unsynced writes lost" : "last write torn",
                               what, path));
  crash_locked(mode, written, offset, bytes);
  return dead(path);
}

void SimStorage::crash_locked(CrashMode mode, Inode* torn, uint64_t offset, std::string_view bytes) {
  if (torn != nullptr && mode == CrashMode::TearLastWrite) torn->unsynced.push_back(Inode::Change{false, offset, std::string(bytes)});
  std::set<Inode*> seen;
  for (auto& [dir, d] : dirs_) {
    d->current = d->durable;
    for (auto& [name, inode] : d->durable) {
      if (!seen.insert(inode.get()).second) continue;
      Inode& n = *inode;
      n.current = n.durable;
      if (mode == CrashMode::TearLastWrite && !n.unsynced.empty()) {
        // Every unsynced change reached the disk but the last write, of which a prefix did.
        size_t last_write = n.unsynced.size();
        for (size_t i = n.unsynced.size(); i-- > 0;)
          if (!n.unsynced[i].truncate) {
            last_write = i;
            break;
          }
        for (size_t i = 0; i < n.unsynced.size(); ++i) {
          Inode::Change c = n.unsynced[i];
          if (i == last_write) c.bytes.resize(landed_prefix(rng_, c.bytes.size()));
          n.apply(c);
        }
      }
      n.synced();
      n.lock_holder = nullptr;
    }
  }
  crashed_ = true;
}

// ---- Storage ----

Result<std::unique_ptr<StorageFile>> SimStorage::open(const std::string& path, OpenMode mode) {
  std::lock_guard lock(mu_);
  if (crashed_) return dead(path);
  std::string name;
  Directory& d = directory_of(path, &name);
  auto it = d.current.find(name);
  std::shared_ptr<Inode> inode = it == d.current.end() ? nullptr : it->second;
  if (!inode && mode == OpenMode::Read)
    return Status(Error::Io, fmt::format("journal: cannot open {}: {}", path, std::strerror(ENOENT)));
  if (inode && mode == OpenMode::CreateNew)
    return Status(Error::Io, fmt::format("journal: cannot open {}: {}", path, std::strerror(EEXIST)));
  if (!inode) {
    if (Status s = mutation("creation", path, nullptr, 0, {}); !s.is_ok()) return s;
    inode = std::make_shared<Inode>();
    d.current[name] = inode;
  } else if (mode == OpenMode::Replace && !inode->current.empty()) {
    if (Status s = mutation("truncation", path, nullptr, 0, {}); !s.is_ok()) return s;
    inode->unsynced.push_back(Inode::Change{true, 0, {}});
    inode->apply(inode->unsynced.back());
  }
  return std::unique_ptr<StorageFile>(new File(*this, std::move(inode), path, boot_));
}

Result<std::unique_ptr<StorageView>> SimStorage::map(const std::string& path) {
  std::lock_guard lock(mu_);
  if (crashed_) return dead(path);
  std::shared_ptr<Inode> inode = find(path);
  if (!inode) return Status(Error::Io, fmt::format("journal: cannot open {}: {}", path, std::strerror(ENOENT)));
  return std::unique_ptr<StorageView>(new CopiedView(inode->current));
}

Result<std::vector<std::string>> SimStorage::list(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (crashed_) return dead(dir);
  std::vector<std::string> names;
  auto d = dirs_.find(dir);
  if (d != dirs_.end())
    for (const auto& [name, inode] : d->second->current) names.push_back(name);
  return names;
}

Status SimStorage::rename(const std::string& from, const std::string& to) {
  std::lock_guard lock(mu_);
  if (crashed_) return dead(from);
  std::string from_name, to_name;
  Directory& fd = directory_of(from, &from_name);
  Directory& td = directory_of(to, &to_name);
  auto it = fd.current.find(from_name);
  if (it == fd.current.end())
    return Status(Error::Io, fmt::format("journal: cannot rename {} to {}: {}", from, to, std::strerror(ENOENT)));
  if (Status s = mutation("rename", from, nullptr, 0, {}); !s.is_ok()) return s;
  std::shared_ptr<Inode> inode = it->second;
  fd.current.erase(it);
  td.current[to_name] = std::move(inode);
  return Status::ok();
}

Status SimStorage::remove(const std::string& path) {
  std::lock_guard lock(mu_);
  if (crashed_) return dead(path);
  std::string name;
  Directory& d = directory_of(path, &name);
  if (d.current.find(name) == d.current.end()) return Status::ok();
  if (Status s = mutation("removal", path, nullptr, 0, {}); !s.is_ok()) return s;
  d.current.erase(name);
  return Status::ok();
}

Status SimStorage::sync_directory(const std::string& dir) {
  std::lock_guard lock(mu_);
  if (crashed_) return dead(dir);
  if (Status s = mutation("directory sync", dir, nullptr, 0, {}); !s.is_ok()) return s;
  Directory& d = directory_of(dir + "/.", nullptr);
  d.durable = d.current;
  return Status::ok();
}

bool SimStorage::exists(const std::string& path) {
  std::lock_guard lock(mu_);
  return !crashed_ && find(path) != nullptr;
}

// ---- file operations (under mu_) ----

Status SimStorage::file_write(File& f, uint64_t offset, std::string_view bytes) {
  if (!alive(f)) return dead(f.path());
  if (Status s = mutation("write", f.path(), &f.inode(), offset, bytes); !s.is_ok()) return s;
  if (write_fault_) {
    if (write_fault_->first == 0) {
      const IoFault fault = write_fault_->second;
      write_fault_.reset();
      // Part of the write may have landed before the error: a seeded prefix, unsynced.
      const size_t landed = landed_prefix(rng_, bytes.size());
      if (landed > 0) {
        f.inode().unsynced.push_back(Inode::Change{false, offset, std::string(bytes.substr(0, landed))});
        f.inode().apply(f.inode().unsynced.back());
      }
      fired_.push_back(fmt::format("write to {} failed: {} ({} of {} bytes landed)", f.path(), fault_name(fault), landed, bytes.size()));
      return Status(Error::Io, fmt::format("journal: write to {}: {} (simulated)", f.path(), std::strerror(errno_of(fault))));
    }
    --write_fault_->first;
  }
  if (sync_failed_) ++data_ops_after_failed_sync_;
  f.inode().unsynced.push_back(Inode::Change{false, offset, std::string(bytes)});
  f.inode().apply(f.inode().unsynced.back());
  return Status::ok();
}

Status SimStorage::file_sync(File& f) {
  if (!alive(f)) return dead(f.path());
  if (Status s = mutation("sync", f.path(), nullptr, 0, {}); !s.is_ok()) return s;
  if (sync_fault_) {
    if (sync_fault_->first == 0) {
      const IoFault fault = sync_fault_->second;
      sync_fault_.reset();
      // The writeback failed and the kernel marked the pages clean: the unsynced data is gone.
      Inode& n = f.inode();
      n.current = n.durable;
      n.unsynced.clear();
      sync_failed_ = true;
      fired_.push_back(fmt::format("sync of {} failed: {}", f.path(), fault_name(fault)));
      return Status(Error::Io, fmt::format("journal: fdatasync of {}: {} (simulated)", f.path(), std::strerror(errno_of(fault))));
    }
    --sync_fault_->first;
  }
  if (sync_failed_) ++data_ops_after_failed_sync_;
  f.inode().synced();
  return Status::ok();
}

Status SimStorage::file_truncate(File& f, uint64_t size) {
  if (!alive(f)) return dead(f.path());
  if (Status s = mutation("truncation", f.path(), nullptr, 0, {}); !s.is_ok()) return s;
  if (sync_failed_) ++data_ops_after_failed_sync_;
  f.inode().unsynced.push_back(Inode::Change{true, size, {}});
  f.inode().apply(f.inode().unsynced.back());
  return Status::ok();
}

// ---- faults ----

void SimStorage::fail_write(uint64_t n, IoFault fault) {
  std::lock_guard lock(mu_);
  write_fault_.emplace(n, fault);
}

void SimStorage::fail_sync(uint64_t n, IoFault fault) {
  std::lock_guard lock(mu_);
  sync_fault_.emplace(n, fault);
}

void SimStorage::crash_at(uint64_t n, CrashMode mode) {
  std::lock_guard lock(mu_);
  crash_fault_.emplace(n, mode);
}

void SimStorage::disarm() {
  std::lock_guard lock(mu_);
  write_fault_.reset();
  sync_fault_.reset();
  crash_fault_.reset();
}

void SimStorage::crash_now(CrashMode mode) {
  std::lock_guard lock(mu_);
  fired_.push_back(fmt::format("crash ({})", mode == CrashMode::LoseUnsynced ? "unsynced writes lost" : "last write torn"));
  crash_locked(mode, nullptr, 0, {});
}

void SimStorage::reboot() {
  std::lock_guard lock(mu_);
  crashed_ = false;
  sync_failed_ = false;
  ++boot_;
  for (auto& [dir, d] : dirs_)
    for (auto& [name, inode] : d->current) inode->lock_holder = nullptr;
}

Result<std::string> SimStorage::corrupt(const std::string& path, uint64_t offset, uint64_t length) {
  std::lock_guard lock(mu_);
  std::shared_ptr<Inode> inode = find(path);
  if (!inode) return Status(Error::InvalidArgument, fmt::format("sim: no file {} to corrupt", path));
  if (length == 0 || offset + length > inode->durable.size() || offset + length > inode->current.size())
    return Status(Error::InvalidArgument, fmt::format("sim: bytes {} to {} are not synced bytes of {} ({} synced)", offset,
                                                      offset + length, path, inode->durable.size()));
  std::string original = inode->durable.substr(offset, length);
  for (uint64_t i = 0; i < length; ++i) {
    const char flip = static_cast<char>(1 + rng_.below(255));  // never 0: every byte changes
    inode->durable[offset + i] ^= flip;
    inode->current[offset + i] ^= flip;
  }
  fired_.push_back(fmt::format("{} bytes of {} corrupted at offset {}", length, path, offset));
  return original;
}

Status SimStorage::heal(const std::string& path, uint64_t offset, const std::string& original) {
  std::lock_guard lock(mu_);
  std::shared_ptr<Inode> inode = find(path);
  if (!inode || offset + original.size() > inode->durable.size() || offset + original.size() > inode->current.size())
    return Status(Error::InvalidArgument, fmt::format("sim: cannot heal {} at offset {}", path, offset));
  write_into(inode->durable, offset, original);
  write_into(inode->current, offset, original);
  return Status::ok();
}

// ---- what happened ----

bool SimStorage::crashed() const {
  std::lock_guard lock(mu_);
  return crashed_;
}

bool SimStorage::sync_failed() const {
  std::lock_guard lock(mu_);
  return sync_failed_;
}

uint64_t SimStorage::data_ops_after_failed_sync() const {
  std::lock_guard lock(mu_);
  return data_ops_after_failed_sync_;
}

std::vector<std::string> SimStorage::fired() const {
  std::lock_guard lock(mu_);
  return fired_;
}

std::optional<std::string> SimStorage::current_bytes(const std::string& path) const {
  std::lock_guard lock(mu_);
  std::shared_ptr<Inode> inode = find(path);
  if (!inode) return std::nullopt;
  return inode->current;
}

std::optional<std::string> SimStorage::durable_bytes(const std::string& path) const {
  std::lock_guard lock(mu_);
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string(".") : path.substr(0, slash);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  auto d = dirs_.find(dir);
  if (d == dirs_.end()) return std::nullopt;
  auto e = d->second->durable.find(name);
  if (e == d->second->durable.end()) return std::nullopt;
  return e->second->durable;
}

uint64_t SimStorage::mutations() const {
  std::lock_guard lock(mu_);
  return mutations_;
}

}  // namespace glassbook::sim
