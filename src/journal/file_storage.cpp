// The file storage: Storage over POSIX calls (open, pread, pwrite, fdatasync, mmap, rename, fsync of directories).
#include "journal/storage.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <utility>

#include "journal/file_io.h"

namespace glassbook::journal {

namespace {

Status io_error(std::string what, const std::string& path, int err) {
  return Status(Error::Io, fmt::format("journal: {} {}: {}", what, path, errno_text(err)));
}

class PosixFile final : public StorageFile {
 public:
  PosixFile(UniqueFd fd, std::string path) : fd_(std::move(fd)), path_(std::move(path)) {}
  const std::string& path() const override { return path_; }
  Result<uint64_t> size() override { return file_size(fd_.get(), path_); }
  Status read_at(uint64_t offset, char* data, size_t size) override { return read_fully_at(fd_.get(), data, size, offset, path_); }
  Status write_at(uint64_t offset, std::string_view bytes) override {
    size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pwrite(fd_.get(), bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return io_error("write to", path_, errno);
      if (n == 0) return Status(Error::Io, fmt::format("journal: write to {} failed: no progress", path_));
      done += static_cast<size_t>(n);
    }
    return Status::ok();
  }
  Status sync() override {
    if (::fdatasync(fd_.get()) != 0) return io_error("fdatasync of", path_, errno);
    return Status::ok();
  }
  Status truncate(uint64_t size) override {
    if (::ftruncate(fd_.get(), static_cast<off_t>(size)) != 0) return io_error(fmt::format("cannot truncate to {} bytes", size), path_, errno);
    return Status::ok();
  }
  Status close() override {
    if (!fd_.valid()) return Status(Error::Io, fmt::format("journal: {} is already closed", path_));
    if (::close(fd_.release()) != 0) return io_error("close of", path_, errno);
    return Status::ok();
  }
  Status lock() override {
    if (::flock(fd_.get(), LOCK_EX | LOCK_NB) == 0) return Status::ok();
    if (errno == EWOULDBLOCK) return Status(Error::Io, fmt::format("journal: another writer has {} open", path_));
    return io_error("cannot lock", path_, errno);
  }

 private:
  UniqueFd fd_;
  std::string path_;
};

class MappedView final : public StorageView {
 public:
  MappedView(const char* data, size_t size) : data_(data), size_(size) {}
  ~MappedView() override {
    if (data_ != nullptr) ::munmap(const_cast<char*>(data_), size_);
  }
  std::string_view bytes() const override { return {data_, size_}; }

 private:
  const char* data_;
  size_t size_;
};

class PosixStorage final : public Storage {
 public:
  Result<std::unique_ptr<StorageFile>> open(const std::string& path, OpenMode mode) override {
    int flags = O_RDONLY;
    switch (mode) {
      case OpenMode::Read: flags = O_RDONLY; break;
      case OpenMode::ReadWrite: flags = O_RDWR | O_CREAT; break;
      case OpenMode::CreateNew: flags = O_RDWR | O_CREAT | O_EXCL; break;
      case OpenMode::Replace: flags = O_RDWR | O_CREAT | O_TRUNC; break;
    }
    Result<UniqueFd> fd = open_file(path, flags);
    if (!fd.is_ok()) return fd.status();
    return std::unique_ptr<StorageFile>(new PosixFile(std::move(fd).value(), path));
  }

  Result<std::unique_ptr<StorageView>> map(const std::string& path) override {
    Result<UniqueFd> fd = open_file(path, O_RDONLY);
    if (!fd.is_ok()) return fd.status();
    Result<uint64_t> size = file_size(fd->get(), path);
    if (!size.is_ok()) return size.status();
    if (*size == 0) return std::unique_ptr<StorageView>(new MappedView(nullptr, 0));
    void* p = ::mmap(nullptr, static_cast<size_t>(*size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd->get(), 0);
    if (p == MAP_FAILED) return io_error("cannot map", path, errno);
    ::madvise(p, static_cast<size_t>(*size), MADV_SEQUENTIAL);
    return std::unique_ptr<StorageView>(new MappedView(static_cast<const char*>(p), static_cast<size_t>(*size)));
  }

  Result<std::vector<std::string>> list(const std::string& dir) override {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return io_error("cannot list", dir, errno);
    std::vector<std::string> names;
    errno = 0;
    while (const dirent* e = ::readdir(d)) {
      const std::string_view name = e->d_name;
      if (name != "." && name != "..") names.emplace_back(name);
    }
    const int err = errno;
    ::closedir(d);
    if (err != 0) return io_error("cannot list", dir, err);
    return names;
  }

  Status rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0)
      return Status(Error::Io, fmt::format("journal: cannot rename {} to {}: {}", from, to, errno_text(errno)));
    return Status::ok();
  }

  Status remove(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return io_error("cannot remove", path, errno);
    return Status::ok();
  }

  Status sync_directory(const std::string& dir) override { return journal::sync_directory(dir); }

  Status create_directories(const std::string& dir) override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status(Error::Io, fmt::format("journal: cannot create directory {}: {}", dir, ec.message()));
    return Status::ok();
  }

  bool exists(const std::string& path) override {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
  }
};

}  // namespace

Storage& file_storage() {
  static PosixStorage storage;
  return storage;
}

}  // namespace glassbook::journal
