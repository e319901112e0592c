// POSIX primitives of the file storage (file_storage.cpp), the only code of the journal that calls the OS on files.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/result.h"

namespace glassbook::journal {

// strerror(err) as a string.
std::string errno_text(int err);

// An owned file descriptor, closed on destruction (-1: none).
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = other.release();
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset();

 private:
  int fd_ = -1;
};

// open(2) with O_CLOEXEC added; Error::Io naming the path on failure (errno is kept for the caller).
Result<UniqueFd> open_file(const std::string& path, int flags, unsigned mode = 0644);
// The file's size (fstat); Error::Io on failure.
Result<uint64_t> file_size(int fd, const std::string& path);
// Reads exactly `size` bytes at `offset`; Error::Io on a read error, Error::Corruption when the file
// ends first.
Status read_fully_at(int fd, void* data, size_t size, uint64_t offset, const std::string& path);
// fsync of a directory, making the creation, rename or removal of its entries durable.
Status sync_directory(const std::string& dir);

}  // namespace glassbook::journal
