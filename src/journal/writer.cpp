// JournalWriter: encoding, chaining, buffered writes and fdatasync.
#include "journal/writer.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>

namespace glassbook::journal {

namespace {

std::string errno_text() { return std::strerror(errno); }

Status sync_directory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status(Error::InvalidArgument, fmt::format("journal: cannot open directory {}: {}", dir, errno_text()));
  const int rc = ::fsync(fd);
  const std::string err = rc != 0 ? errno_text() : "";
  ::close(fd);
  if (rc != 0) return Status(Error::InvalidArgument, fmt::format("journal: fsync of directory {} failed: {}", dir, err));
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<JournalWriter>> JournalWriter::open(const std::string& dir, const ChainTip& tip) {
  const std::string path = segment_path(dir);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Status(Error::InvalidArgument, fmt::format("journal: cannot open {}: {}", path, errno_text()));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const std::string err = errno_text();
    ::close(fd);
    return Status(Error::InvalidArgument, fmt::format("journal: cannot stat {}: {}", path, err));
  }
  if (static_cast<uint64_t>(st.st_size) != tip.bytes) {
    ::close(fd);
    return Status(Error::InvalidArgument,
                  fmt::format("journal: {} has {} bytes but its recovered tip ends at {} (seq {}); recover it first",
                              path, st.st_size, tip.bytes, tip.seq));
  }
  // The file's directory entry must be durable before any record in it can be.
  if (Status s = sync_directory(dir); !s.is_ok()) {
    ::close(fd);
    return s;
  }
  return std::unique_ptr<JournalWriter>(new JournalWriter(fd, path, tip));
}

JournalWriter::JournalWriter(int fd, std::string path, const ChainTip& tip)
    : fd_(fd), path_(std::move(path)), tip_(tip), durable_seq_(tip.seq) {
  assert(fd_ >= 0);
}

JournalWriter::~JournalWriter() { ::close(fd_); }

Status JournalWriter::failed_status() const {
  return Status(Error::InvalidArgument, fmt::format("journal: writer failed earlier ({}); recover before writing", failure_));
}

Status JournalWriter::append(Record record) {
  if (!failure_.empty()) return failed_status();
  if (record.seq != tip_.seq + 1)
    return Status(Error::InvalidArgument, fmt::format("journal: append of seq {} after seq {}", record.seq, tip_.seq));
  if (record.signed_bytes.size() > kMaxSignedBytes)
    return Status(Error::InvalidArgument,
                  fmt::format("journal: seq {} has {} signed bytes (limit {})", record.seq, record.signed_bytes.size(), kMaxSignedBytes));
  if (buffer_.size() + encoded_size(record) > kMaxBufferedBytes)
    return Status(Error::InvalidArgument, fmt::format("journal: buffer full at seq {}; sync first", record.seq));
  record.prev_hash = tip_.hash;
  const std::string bytes = encode(record);
  buffer_.append(bytes);
  tip_.seq = record.seq;
  tip_.hash = record_hash(bytes);
  tip_.bytes += bytes.size();
  return Status::ok();
}

Result<SeqNo> JournalWriter::sync() {
  if (!failure_.empty()) return failed_status();
  size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failure_ = fmt::format("write to {} failed: {}", path_, n < 0 ? errno_text() : "no progress");
      return failed_status();
    }
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) {
    // After a failed fdatasync the page cache may have dropped the data: never retry it.
    failure_ = fmt::format("fdatasync of {} failed: {}", path_, errno_text());
    return failed_status();
  }
  buffer_.clear();
  durable_seq_ = tip_.seq;
  return durable_seq_;
}

}  // namespace glassbook::journal
