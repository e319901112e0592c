// POSIX file primitives with errno-checked, retrying reads and writes.
#include "journal/file_io.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace glassbook::journal {

std::string errno_text(int err) { return std::strerror(err); }

void UniqueFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<UniqueFd> open_file(const std::string& path, int flags, unsigned mode) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC, static_cast<mode_t>(mode));
  if (fd < 0) {
    const int err = errno;
    Status s(Error::Io, fmt::format("journal: cannot open {}: {}", path, errno_text(err)));
    errno = err;
    return s;
  }
  return UniqueFd(fd);
}

Result<uint64_t> file_size(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status(Error::Io, fmt::format("journal: cannot stat {}: {}", path, errno_text(errno)));
  return static_cast<uint64_t>(st.st_size);
}

Status read_fully_at(int fd, void* data, size_t size, uint64_t offset, const std::string& path) {
  char* p = static_cast<char*>(data);
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::pread(fd, p + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status(Error::Io, fmt::format("journal: read of {} failed: {}", path, errno_text(errno)));
    if (n == 0)
      return Status(Error::Corruption, fmt::format("journal: {} ends at offset {}, {} bytes short", path, offset + done, size - done));
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

Status sync_directory(const std::string& dir) {
  Result<UniqueFd> fd = open_file(dir, O_RDONLY | O_DIRECTORY);
  if (!fd.is_ok()) return fd.status();
  if (::fsync(fd->get()) != 0)
    return Status(Error::Io, fmt::format("journal: fsync of directory {} failed: {}", dir, errno_text(errno)));
  return Status::ok();
}

}  // namespace glassbook::journal
