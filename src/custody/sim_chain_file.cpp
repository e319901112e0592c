// Atomic save and checked load of the simulated chain's state file (sim_chain_file.h).
#include "custody/sim_chain_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace glassbook::custody {

namespace {

Status io_error(const std::string& what, const std::string& path) {
  return Status(Error::Io, fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

}  // namespace

Status save_sim_chain(const SimChain& chain, const std::string& path) {
  const std::string bytes = chain.encode();
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("cannot create", tmp);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = io_error("cannot write", tmp);
      ::close(fd);
      return s;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = io_error("cannot sync", tmp);
    ::close(fd);
    return s;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) return io_error("cannot rename onto", path);
  // The rename itself must survive a crash: sync the directory that holds it.
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = std::filesystem::path(".");
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

Result<SimChain> load_sim_chain(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("cannot open", path);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (!in && !in.eof()) return io_error("cannot read", path);
  auto chain = SimChain::decode(bytes.str());
  if (!chain) return Status(chain.code(), fmt::format("{}: {}", path, chain.status().message()));
  return chain;
}

}  // namespace glassbook::custody
