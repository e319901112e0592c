// Key files on disk: created 0600 and never over another file; read only when no one else may.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "crypto/key_file.h"

namespace glassbook::crypto {
namespace {

// A sealed key is a few hundred bytes; anything much larger is not a key file.
constexpr size_t kMaxKeyFileBytes = 4096;

Status os_error(const std::string& what, const std::string& path) {
  return Status(Error::Io, "cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

Status write_key_file(const std::string& path, std::string_view sealed) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Status(Error::InvalidArgument, path + " already exists: a key file is never replaced");
    return os_error("create", path);
  }
  // The umask can only take bits away from 0600; fchmod makes the mode exact all the same.
  bool ok = ::fchmod(fd, 0600) == 0;
  size_t done = 0;
  while (ok && done < sealed.size()) {
    const ssize_t n = ::write(fd, sealed.data() + done, sealed.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  Status s = ok ? Status() : os_error("write", path);
  ::close(fd);
  if (!ok) ::unlink(path.c_str());
  return s;
}

Result<std::string> read_key_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return os_error("open", path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = os_error("stat", path);
    ::close(fd);
    return s;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status(Error::InvalidArgument, path + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Status(Error::Unauthorized, path + " has mode " + mode +
                                           ": its group or others may read or change it; `chmod 600 " + path +
                                           "` and treat the key as exposed if anyone else could read it");
  }
  if (static_cast<size_t>(st.st_size) > kMaxKeyFileBytes) {
    ::close(fd);
    return Status(Error::InvalidArgument, path + " is " + std::to_string(st.st_size) + " bytes: too large to be a key file");
  }
  std::string bytes(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  bytes.resize(done);
  return bytes;
}

}  // namespace glassbook::crypto
